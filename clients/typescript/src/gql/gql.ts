/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment UserErrorFields on UserError {\n    __typename\n    message\n    path\n    ... on ValidationError { code }\n    ... on Conflict { currentVersion }\n  }\n": typeof types.UserErrorFieldsFragmentDoc,
    "\n  query Viewer {\n    viewer { id email name roles }\n  }\n": typeof types.ViewerDocument,
    "\n  query OrganizationsPage($first: Int, $after: String, $filter: OrganizationFilter) {\n    organizations(first: $first, after: $after, filter: $filter, orderBy: { field: NAME }) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id name kinds lifecycleStage version } }\n    }\n  }\n": typeof types.OrganizationsPageDocument,
    "\n  mutation OrganizationCreate($input: OrganizationCreateInput!) {\n    organizationCreate(input: $input) {\n      organization { id name kinds version }\n      errors { ...UserErrorFields }\n    }\n  }\n": typeof types.OrganizationCreateDocument,
    "\n  mutation OrganizationUpdate($input: OrganizationUpdateInput!) {\n    organizationUpdate(input: $input) {\n      organization { id name kinds version }\n      errors { ...UserErrorFields }\n    }\n  }\n": typeof types.OrganizationUpdateDocument,
    "\n  mutation InteractionLog($input: InteractionLogInput!) {\n    interactionLog(input: $input) {\n      interaction { id kind subject occurredAt }\n      errors { ...UserErrorFields }\n    }\n  }\n": typeof types.InteractionLogDocument,
    "\n  subscription Events($types: [String!], $after: String) {\n    events(types: $types, after: $after) { id type recordType recordId version occurredAt }\n  }\n": typeof types.EventsDocument,
};
const documents: Documents = {
    "\n  fragment UserErrorFields on UserError {\n    __typename\n    message\n    path\n    ... on ValidationError { code }\n    ... on Conflict { currentVersion }\n  }\n": types.UserErrorFieldsFragmentDoc,
    "\n  query Viewer {\n    viewer { id email name roles }\n  }\n": types.ViewerDocument,
    "\n  query OrganizationsPage($first: Int, $after: String, $filter: OrganizationFilter) {\n    organizations(first: $first, after: $after, filter: $filter, orderBy: { field: NAME }) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id name kinds lifecycleStage version } }\n    }\n  }\n": types.OrganizationsPageDocument,
    "\n  mutation OrganizationCreate($input: OrganizationCreateInput!) {\n    organizationCreate(input: $input) {\n      organization { id name kinds version }\n      errors { ...UserErrorFields }\n    }\n  }\n": types.OrganizationCreateDocument,
    "\n  mutation OrganizationUpdate($input: OrganizationUpdateInput!) {\n    organizationUpdate(input: $input) {\n      organization { id name kinds version }\n      errors { ...UserErrorFields }\n    }\n  }\n": types.OrganizationUpdateDocument,
    "\n  mutation InteractionLog($input: InteractionLogInput!) {\n    interactionLog(input: $input) {\n      interaction { id kind subject occurredAt }\n      errors { ...UserErrorFields }\n    }\n  }\n": types.InteractionLogDocument,
    "\n  subscription Events($types: [String!], $after: String) {\n    events(types: $types, after: $after) { id type recordType recordId version occurredAt }\n  }\n": types.EventsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment UserErrorFields on UserError {\n    __typename\n    message\n    path\n    ... on ValidationError { code }\n    ... on Conflict { currentVersion }\n  }\n"): (typeof documents)["\n  fragment UserErrorFields on UserError {\n    __typename\n    message\n    path\n    ... on ValidationError { code }\n    ... on Conflict { currentVersion }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    viewer { id email name roles }\n  }\n"): (typeof documents)["\n  query Viewer {\n    viewer { id email name roles }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrganizationsPage($first: Int, $after: String, $filter: OrganizationFilter) {\n    organizations(first: $first, after: $after, filter: $filter, orderBy: { field: NAME }) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id name kinds lifecycleStage version } }\n    }\n  }\n"): (typeof documents)["\n  query OrganizationsPage($first: Int, $after: String, $filter: OrganizationFilter) {\n    organizations(first: $first, after: $after, filter: $filter, orderBy: { field: NAME }) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id name kinds lifecycleStage version } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OrganizationCreate($input: OrganizationCreateInput!) {\n    organizationCreate(input: $input) {\n      organization { id name kinds version }\n      errors { ...UserErrorFields }\n    }\n  }\n"): (typeof documents)["\n  mutation OrganizationCreate($input: OrganizationCreateInput!) {\n    organizationCreate(input: $input) {\n      organization { id name kinds version }\n      errors { ...UserErrorFields }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OrganizationUpdate($input: OrganizationUpdateInput!) {\n    organizationUpdate(input: $input) {\n      organization { id name kinds version }\n      errors { ...UserErrorFields }\n    }\n  }\n"): (typeof documents)["\n  mutation OrganizationUpdate($input: OrganizationUpdateInput!) {\n    organizationUpdate(input: $input) {\n      organization { id name kinds version }\n      errors { ...UserErrorFields }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InteractionLog($input: InteractionLogInput!) {\n    interactionLog(input: $input) {\n      interaction { id kind subject occurredAt }\n      errors { ...UserErrorFields }\n    }\n  }\n"): (typeof documents)["\n  mutation InteractionLog($input: InteractionLogInput!) {\n    interactionLog(input: $input) {\n      interaction { id kind subject occurredAt }\n      errors { ...UserErrorFields }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription Events($types: [String!], $after: String) {\n    events(types: $types, after: $after) { id type recordType recordId version occurredAt }\n  }\n"): (typeof documents)["\n  subscription Events($types: [String!], $after: String) {\n    events(types: $types, after: $after) { id type recordType recordId version occurredAt }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;