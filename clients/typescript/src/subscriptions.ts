// Subscriptions over graphql-ws (token in connectionParams), with GraphQL over
// server-sent events (graphql-sse, token in the Authorization header) as the fallback
// where WebSockets are missing or cannot connect (a proxy that drops upgrades).
import type { ExecutionResult } from "graphql";
import { createClient as createSseClient, type Client as SseClient } from "graphql-sse";
import { createClient as createWsClient, type Client as WsClient } from "graphql-ws";

export type SubscriptionTransport = "auto" | "ws" | "sse";

export interface SubscriptionRequest {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  extensions?: Record<string, unknown>;
}

export interface Sink {
  next(value: ExecutionResult): void;
  error(error: unknown): void;
  complete(): void;
}

export interface SubscriberOptions {
  httpUrl: string;
  wsUrl: string;
  transport: SubscriptionTransport;
  authorization: () => string | undefined;
  /** A WebSocket class where the runtime has none (Node 20: the `ws` package). */
  webSocketImpl?: unknown;
  fetch?: typeof fetch;
}

/** The server closed the WebSocket refusing the connection (4401, 4403: the token). */
export class SubscriptionRefused extends Error {
  override readonly name = "SubscriptionRefused";

  constructor(readonly closeCode: number, reason: string) {
    super(reason || `The server closed the subscription socket (${closeCode}).`);
  }
}

/** The server refused the event stream with a 4xx status. */
export class StreamRefused extends Error {
  override readonly name = "StreamRefused";
  readonly response: { status: number };

  constructor(status: number) {
    super(`The server refused the event stream (HTTP ${status}).`);
    this.response = { status };
  }
}

/** A 4xxx close code is the server refusing (authentication, protocol): SSE would be refused too. */
function isRefusal(error: unknown): boolean {
  if (Array.isArray(error)) return true; // GraphQL errors: the operation itself failed
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "number" && code >= 4000 && code < 5000;
}

export class Subscriber {
  private ws: WsClient | undefined;
  private sse: SseClient | undefined;
  private wsConnected = false;
  private refusedStatus: number | undefined;
  /** The transport now in use; "auto" settles on "sse" after WebSockets fail. */
  current: "ws" | "sse";

  constructor(private readonly options: SubscriberOptions) {
    const hasWebSocket = options.webSocketImpl !== undefined || typeof globalThis.WebSocket === "function";
    this.current = options.transport === "sse" || (options.transport === "auto" && !hasWebSocket) ? "sse" : "ws";
  }

  subscribe(request: SubscriptionRequest, sink: Sink): () => void {
    if (this.current === "sse") return this.sseClient().subscribe(request, sink);
    let dispose = this.wsClient().subscribe(request, {
      next: (value) => sink.next(value as ExecutionResult),
      complete: () => sink.complete(),
      error: (error) => {
        if (this.options.transport === "auto" && !this.wsConnected && !isRefusal(error)) {
          this.current = "sse";
          dispose = this.sseClient().subscribe(request, sink);
          return;
        }
        const code = (error as { code?: unknown } | null)?.code;
        if (typeof code === "number" && code >= 4000) {
          sink.error(new SubscriptionRefused(code, String((error as { reason?: unknown }).reason ?? "")));
          return;
        }
        sink.error(error);
      },
    });
    return () => dispose();
  }

  async close(): Promise<void> {
    await this.ws?.dispose();
    this.sse?.dispose();
  }

  private wsClient(): WsClient {
    this.ws ??= createWsClient({
      url: this.options.wsUrl,
      webSocketImpl: this.options.webSocketImpl,
      // Read at each (re)connection, so a refreshed token is used.
      connectionParams: () => {
        const authorization = this.options.authorization();
        return authorization ? { authorization } : {};
      },
      // Reconnect only a socket that once worked; a first failure goes to SSE ("auto").
      shouldRetry: () => this.wsConnected,
      retryAttempts: this.options.transport === "auto" ? 5 : 3,
      on: { connected: () => { this.wsConnected = true; } },
    });
    return this.ws;
  }

  private sseClient(): SseClient {
    const base = this.options.fetch ?? fetch;
    this.sse ??= createSseClient({
      url: this.options.httpUrl,
      // graphql-sse retries every failed response; a 4xx (a bad token) will not get
      // better, so `retry` reports it at once instead of after five backoffs.
      fetchFn: async (input: RequestInfo | URL, init?: RequestInit) => {
        const response = await base(input, init);
        this.refusedStatus = response.status >= 400 && response.status < 500 && response.status !== 429
          ? response.status : undefined;
        return response;
      },
      retry: async (retries: number) => {
        if (this.refusedStatus !== undefined) throw new StreamRefused(this.refusedStatus);
        await new Promise((resolve) => setTimeout(resolve, 1000 * 2 ** Math.min(retries, 4) * (0.5 + Math.random())));
      },
      headers: (): Record<string, string> => {
        const authorization = this.options.authorization();
        return authorization ? { Authorization: authorization } : {};
      },
    });
    return this.sse;
  }
}
