// Typed errors. Two kinds reach a caller:
// - CrmApiError: the operation did not run or failed as a whole (HTTP 401, a
//   GraphQL error with extensions.code such as FORBIDDEN or BAD_USER_INPUT, a
//   network failure); `code` says which.
// - PayloadError: a mutation ran and refused its input; its payload's `errors`
//   (ValidationError, NotFound, Forbidden, Conflict) are kept typed in `errors`.
import type { CombinedError } from "@urql/core";

export type ApiErrorCode =
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "BAD_USER_INPUT"
  | "NOT_FOUND"
  | "LIMIT_EXCEEDED"
  | "RATE_LIMITED"
  | "PERSISTED_QUERY_NOT_FOUND"
  | "TRUSTED_DOCUMENTS_ONLY"
  | "GRAPHQL_VALIDATION_FAILED"
  | "NETWORK_ERROR"
  | (string & {});

export class CrmApiError extends Error {
  override readonly name = "CrmApiError";

  constructor(
    message: string,
    readonly code: ApiErrorCode,
    /** The HTTP status, when the server answered. */
    readonly status: number | undefined,
    /** Every GraphQL error's extensions, in order. */
    readonly extensions: ReadonlyArray<Readonly<Record<string, unknown>>> = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  static from(error: CombinedError): CrmApiError {
    // The HTTP response: urql's for queries and mutations, graphql-sse's NetworkError's
    // for a refused event stream.
    const response = (error.response ?? (error.networkError as { response?: unknown } | undefined)?.response) as
      | { status?: number }
      | undefined;
    const status = typeof response?.status === "number" ? response.status : undefined;
    const first = error.graphQLErrors[0];
    if (first !== undefined) {
      const extensions = error.graphQLErrors.map((e) => e.extensions ?? {});
      const code = typeof first.extensions?.code === "string" ? first.extensions.code : "INTERNAL_SERVER_ERROR";
      return new CrmApiError(first.message, code, status, extensions, { cause: error });
    }
    const closeCode = (error.networkError as { closeCode?: unknown } | undefined)?.closeCode;
    const refused = status === 401 || closeCode === 4401 || closeCode === 4403;
    const code = refused ? "UNAUTHENTICATED" : "NETWORK_ERROR";
    return new CrmApiError(error.networkError?.message ?? error.message, code, status, [], { cause: error });
  }
}

/** What every mutation payload's `errors` holds (see the UserErrorFields fragment). */
export interface UserErrorLike {
  readonly __typename: string;
  readonly message: string;
  readonly path: ReadonlyArray<string> | null;
}

/** Mutation payloads: the record (or null) and the errors that stopped it. */
export interface PayloadLike {
  readonly errors: ReadonlyArray<UserErrorLike>;
}

export class PayloadError<E extends UserErrorLike = UserErrorLike> extends Error {
  override readonly name = "PayloadError";

  constructor(readonly errors: ReadonlyArray<E>) {
    super(errors.map((e) => (e.path?.length ? `${e.path.join(".")}: ${e.message}` : e.message)).join("; "));
  }

  /** The errors of one kind, narrowed by `__typename`. */
  ofType<T extends E["__typename"]>(typename: T): Array<Extract<E, { __typename: T }>> {
    return this.errors.filter((e): e is Extract<E, { __typename: T }> => e.__typename === typename);
  }

  /** The first error about an input field (its path without the leading "input"). */
  forField(field: string): E | undefined {
    return this.errors.find((e) => (e.path ?? []).filter((p) => p !== "input").join(".") === field);
  }
}

/** The payload when its `errors` is empty; otherwise throws a PayloadError holding them. */
export function unwrap<P extends PayloadLike>(payload: P): P {
  if (payload.errors.length > 0) {
    throw new PayloadError<P["errors"][number]>(payload.errors);
  }
  return payload;
}
