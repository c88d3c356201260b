// createCrmClient: an urql Client set up for crm-graph, and typed helpers over it.
import {
  Client,
  fetchExchange,
  subscriptionExchange,
  type AnyVariables,
  type Exchange,
  type TypedDocumentNode,
} from "@urql/core";
import { persistedExchange } from "@urql/exchange-persisted";

import { CrmApiError } from "./errors.js";
import { paginate, type ConnectionLike, type PageVariables, type PaginateOptions } from "./paging.js";
import { Subscriber, type SubscriptionTransport } from "./subscriptions.js";

export interface CrmClientOptions {
  /** The GraphQL endpoint, e.g. https://crm.example.com/graphql. */
  url: string;
  /** A bearer token or an API key (crm_...), or a function giving the current one. */
  token?: string | (() => string | undefined);
  /** "auto" (default): graphql-ws, falling back to SSE when WebSockets fail. */
  subscriptions?: SubscriptionTransport;
  /** Default: ws(s):// of `url`. */
  wsUrl?: string;
  /** Where `globalThis.WebSocket` is missing (Node 20): `import WebSocket from "ws"`. */
  webSocketImpl?: unknown;
  /**
   * "automatic" (default): send a query's sha256 first and its text only when the
   * server does not know it yet (Apollo's APQ). "trusted": send only the hash the
   * code generator computed (the server runs CRM_TRUSTED_DOCUMENTS_ONLY with
   * src/gql/persisted-documents.json as its manifest). false: always send the text.
   */
  persistedQueries?: "automatic" | "trusted" | false;
  fetch?: typeof fetch;
}

type Variables = Record<string, unknown>;

/** The hash the client preset embeds in each generated document. */
function generatedHash(document: unknown): string | undefined {
  return (document as { __meta__?: { hash?: string } }).__meta__?.hash;
}

export class CrmClient {
  readonly urql: Client;
  private readonly subscriber: Subscriber;
  private token: string | (() => string | undefined) | undefined;

  constructor(options: CrmClientOptions) {
    this.token = options.token;
    this.subscriber = new Subscriber({
      httpUrl: options.url,
      wsUrl: options.wsUrl ?? options.url.replace(/^http/, "ws"),
      transport: options.subscriptions ?? "auto",
      authorization: () => this.authorization(),
      webSocketImpl: options.webSocketImpl,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    const exchanges: Exchange[] = [];
    const persisted = options.persistedQueries ?? "automatic";
    if (persisted !== false) {
      exchanges.push(
        persistedExchange({
          preferGetForPersistedQueries: false,
          enableForMutation: true,
          ...(persisted === "trusted"
            ? { enforcePersistedQueries: true, generateHash: async (_query, document) => generatedHash(document) }
            : {}),
        }),
      );
    }
    exchanges.push(
      fetchExchange,
      subscriptionExchange({
        enableAllOperations: false,
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({
            unsubscribe: this.subscriber.subscribe(
              { ...request, query: request.query ?? "", variables: request.variables as Variables },
              sink,
            ),
          }),
        }),
      }),
    );
    this.urql = new Client({
      url: options.url,
      exchanges,
      requestPolicy: "network-only",
      preferGetMethod: false,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      fetchOptions: () => {
        const authorization = this.authorization();
        // urql also accepts text/event-stream, which crm-graph reads as a request for
        // GraphQL over SSE (subscriptions only): queries and mutations ask for JSON.
        const headers: Record<string, string> = { accept: "application/graphql-response+json, application/json" };
        if (authorization) headers.Authorization = authorization;
        return { headers };
      },
    });
  }

  /** Use another token from now on (WebSockets already open keep theirs until they reconnect). */
  setToken(token: string | (() => string | undefined) | undefined): void {
    this.token = token;
  }

  /** Which transport subscriptions use now: "ws", or "sse" after a fallback. */
  get subscriptionTransport(): "ws" | "sse" {
    return this.subscriber.current;
  }

  /** The data of a query; throws CrmApiError when the server reports an error. */
  async query<D, V extends AnyVariables>(document: TypedDocumentNode<D, V>, variables: V): Promise<D> {
    const result = await this.urql.query(document, variables).toPromise();
    if (result.error) throw CrmApiError.from(result.error);
    return result.data as D;
  }

  /** The data of a mutation; its payload errors are data (see `unwrap`), other errors throw. */
  async mutate<D, V extends AnyVariables>(document: TypedDocumentNode<D, V>, variables: V): Promise<D> {
    const result = await this.urql.mutation(document, variables).toPromise();
    if (result.error) throw CrmApiError.from(result.error);
    return result.data as D;
  }

  /** Every node of a connection, page after page (see paging.ts). */
  paginate<D, V extends PageVariables & Variables, N>(
    document: TypedDocumentNode<D, V>,
    variables: Omit<V, "first" | "after">,
    select: (data: D) => ConnectionLike<N> | null | undefined,
    options?: PaginateOptions,
  ): AsyncGenerator<N, void, undefined> {
    return paginate((doc, vars) => this.query(doc, vars), document, variables, select, options);
  }

  /**
   * A subscription's results as an async iterator; `return()` (or leaving a for-await
   * loop) unsubscribes. An error from the server ends the iteration by throwing CrmApiError.
   */
  subscribe<D, V extends AnyVariables>(document: TypedDocumentNode<D, V>, variables: V): AsyncIterableIterator<D> {
    const queue: D[] = [];
    let failure: CrmApiError | undefined;
    let done = false;
    let wake: (() => void) | undefined;
    const { unsubscribe } = this.urql.subscription(document, variables).subscribe((result) => {
      if (result.error) failure = CrmApiError.from(result.error);
      else if (result.data !== undefined) queue.push(result.data as D);
      wake?.();
    });
    const finish = (): IteratorResult<D> => {
      done = true;
      unsubscribe();
      return { done: true, value: undefined };
    };
    const iterator: AsyncIterableIterator<D> = {
      [Symbol.asyncIterator]: () => iterator,
      next: async () => {
        while (!done) {
          const value = queue.shift();
          if (value !== undefined) return { done: false, value };
          if (failure) {
            finish();
            throw failure;
          }
          await new Promise<void>((resolve) => (wake = resolve));
        }
        return { done: true, value: undefined };
      },
      return: async () => finish(),
    };
    return iterator;
  }

  /** Closes the subscription transports. */
  async close(): Promise<void> {
    await this.subscriber.close();
  }

  private authorization(): string | undefined {
    const token = typeof this.token === "function" ? this.token() : this.token;
    return token ? `Bearer ${token}` : undefined;
  }
}

export function createCrmClient(options: CrmClientOptions): CrmClient {
  return new CrmClient(options);
}
