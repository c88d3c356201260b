// Relay connection paging: an async iterator over every node of every page.
import type { TypedDocumentNode } from "@urql/core";

export interface ConnectionLike<N> {
  readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
  readonly edges: ReadonlyArray<{ readonly node: N }>;
}

export type PageVariables = { first?: number | null; after?: string | null };

/** Runs a query with the given variables; the client's `query` fits. */
export type Runner = <D, V extends Record<string, unknown>>(document: TypedDocumentNode<D, V>, variables: V) => Promise<D>;

export interface PaginateOptions {
  /** Nodes per request (the query's `$first`); default 100. */
  pageSize?: number;
  /** Stop after this many nodes. */
  limit?: number;
}

/**
 * Every node of a connection, fetched page by page as the loop asks for more.
 * `select` picks the connection out of the query's data (null ends the iteration).
 */
export async function* paginate<D, V extends PageVariables & Record<string, unknown>, N>(
  run: Runner,
  document: TypedDocumentNode<D, V>,
  variables: Omit<V, "first" | "after">,
  select: (data: D) => ConnectionLike<N> | null | undefined,
  options: PaginateOptions = {},
): AsyncGenerator<N, void, undefined> {
  const first = options.pageSize ?? 100;
  let after: string | null = null;
  let seen = 0;
  for (;;) {
    const data = await run(document, { ...variables, first, after } as V);
    const connection = select(data);
    if (!connection) return;
    for (const edge of connection.edges) {
      yield edge.node;
      seen += 1;
      if (options.limit !== undefined && seen >= options.limit) return;
    }
    const { hasNextPage, endCursor } = connection.pageInfo;
    // A server that says "more" without a cursor would make this loop forever.
    if (!hasNextPage || endCursor === null || endCursor === after) return;
    after = endCursor;
  }
}
