export { CrmClient, createCrmClient, type CrmClientOptions } from "./client.js";
export { CrmApiError, PayloadError, unwrap, type ApiErrorCode, type PayloadLike, type UserErrorLike } from "./errors.js";
export { paginate, type ConnectionLike, type PaginateOptions, type Runner } from "./paging.js";
export type { SubscriptionTransport } from "./subscriptions.js";
// The documents of src/operations.ts, generated with their types: ViewerDocument and
// ViewerQuery, OrganizationsPageDocument and OrganizationsPageQuery, ...
export * from "./gql/graphql.js";
export { graphql } from "./gql/index.js";
