/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Inclusive bounds; either may be omitted. */
export type DateTimeRange = {
  from?: string | null | undefined;
  to?: string | null | undefined;
};

export type Direction =
  | 'INBOUND'
  | 'INTERNAL'
  | 'OUTBOUND';

/** Inclusive bounds; either may be omitted. */
export type IntRange = {
  from?: number | null | undefined;
  to?: number | null | undefined;
};

export type InteractionKind =
  | 'CALL'
  | 'CHAT'
  | 'EMAIL'
  | 'MEETING'
  | 'NOTE'
  | 'SOCIAL'
  | 'VISIT';

export type InteractionLogInput = {
  body?: string | null | undefined;
  contactIds?: Array<string | number>;
  direction?: Direction;
  durationMinutes?: number | null | undefined;
  kind: InteractionKind;
  /** Defaults to now; without an offset, UTC. */
  occurredAt?: string | null | undefined;
  opportunityId?: string | number | null | undefined;
  /** Defaults to the opportunity's organization. */
  organizationId?: string | number | null | undefined;
  subject: string;
  /** Defaults to you. */
  userIds?: Array<string | number> | null | undefined;
};

export type LifecycleStage =
  | 'ACTIVE'
  | 'CHURNED'
  | 'LEAD'
  | 'LOYAL'
  | 'NEW'
  | 'PROSPECT';

export type OrganizationCreateInput = {
  attributes?: unknown;
  /** ISO 3166-1 alpha-2 code. */
  country?: string | null | undefined;
  industry?: string | null | undefined;
  kinds?: Array<OrganizationKind>;
  lifecycleStage?: LifecycleStage;
  name: string;
  /** Defaults to you. */
  ownerId?: string | number | null | undefined;
  region?: string | null | undefined;
  /** Number of employees. */
  size?: number | null | undefined;
  tags?: Array<string>;
  website?: string | null | undefined;
};

/** Filters for Organization lists; all given conditions apply. */
export type OrganizationFilter = {
  country?: Array<string> | null | undefined;
  createdAt?: DateTimeRange | null | undefined;
  industry?: Array<string> | null | undefined;
  kinds?: Array<OrganizationKind> | null | undefined;
  lifecycleStage?: Array<LifecycleStage> | null | undefined;
  owner?: Array<string | number> | null | undefined;
  region?: Array<string> | null | undefined;
  search?: string | null | undefined;
  size?: IntRange | null | undefined;
  tags?: Array<string> | null | undefined;
  updatedAt?: DateTimeRange | null | undefined;
};

export type OrganizationKind =
  | 'COMPETITOR'
  | 'CUSTOMER'
  | 'PARTNER'
  | 'PROSPECT'
  | 'SUPPLIER';

/** Only the fields you give change; null clears a field. */
export type OrganizationUpdateInput = {
  attributes?: unknown;
  country?: string | null | undefined;
  /** Fail with Conflict if the record moved on. */
  expectedVersion?: number | null | undefined;
  id: string | number;
  industry?: string | null | undefined;
  kinds?: Array<OrganizationKind> | null | undefined;
  lifecycleStage?: LifecycleStage | null | undefined;
  name?: string | null | undefined;
  ownerId?: string | number | null | undefined;
  region?: string | null | undefined;
  size?: number | null | undefined;
  tags?: Array<string> | null | undefined;
  website?: string | null | undefined;
};

type UserErrorFields_Conflict_Fragment = { __typename: 'Conflict', currentVersion: number, message: string, path: Array<string> | null };

type UserErrorFields_Forbidden_Fragment = { __typename: 'Forbidden', message: string, path: Array<string> | null };

type UserErrorFields_NotFound_Fragment = { __typename: 'NotFound', message: string, path: Array<string> | null };

type UserErrorFields_ValidationError_Fragment = { __typename: 'ValidationError', code: string, message: string, path: Array<string> | null };

export type UserErrorFieldsFragment =
  | UserErrorFields_Conflict_Fragment
  | UserErrorFields_Forbidden_Fragment
  | UserErrorFields_NotFound_Fragment
  | UserErrorFields_ValidationError_Fragment
;

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { viewer: { id: string, email: string, name: string, roles: Array<string> } | null };

export type OrganizationsPageQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: OrganizationFilter | null | undefined;
}>;


export type OrganizationsPageQuery = { organizations: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string, kinds: Array<OrganizationKind>, lifecycleStage: LifecycleStage, version: number } }> } };

export type OrganizationCreateMutationVariables = Exact<{
  input: OrganizationCreateInput;
}>;


export type OrganizationCreateMutation = { organizationCreate: { organization: { id: string, name: string, kinds: Array<OrganizationKind>, version: number } | null, errors: Array<
      | { __typename: 'Conflict', currentVersion: number, message: string, path: Array<string> | null }
      | { __typename: 'Forbidden', message: string, path: Array<string> | null }
      | { __typename: 'NotFound', message: string, path: Array<string> | null }
      | { __typename: 'ValidationError', code: string, message: string, path: Array<string> | null }
    > } };

export type OrganizationUpdateMutationVariables = Exact<{
  input: OrganizationUpdateInput;
}>;


export type OrganizationUpdateMutation = { organizationUpdate: { organization: { id: string, name: string, kinds: Array<OrganizationKind>, version: number } | null, errors: Array<
      | { __typename: 'Conflict', currentVersion: number, message: string, path: Array<string> | null }
      | { __typename: 'Forbidden', message: string, path: Array<string> | null }
      | { __typename: 'NotFound', message: string, path: Array<string> | null }
      | { __typename: 'ValidationError', code: string, message: string, path: Array<string> | null }
    > } };

export type InteractionLogMutationVariables = Exact<{
  input: InteractionLogInput;
}>;


export type InteractionLogMutation = { interactionLog: { interaction: { id: string, kind: InteractionKind, subject: string, occurredAt: string } | null, errors: Array<
      | { __typename: 'Conflict', currentVersion: number, message: string, path: Array<string> | null }
      | { __typename: 'Forbidden', message: string, path: Array<string> | null }
      | { __typename: 'NotFound', message: string, path: Array<string> | null }
      | { __typename: 'ValidationError', code: string, message: string, path: Array<string> | null }
    > } };

export type EventsSubscriptionVariables = Exact<{
  types?: Array<string> | string | null | undefined;
  after?: string | null | undefined;
}>;


export type EventsSubscription = { events: { id: string, type: string, recordType: string, recordId: string | null, version: number | null, occurredAt: string } };

export const UserErrorFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UserErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ValidationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Conflict"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"currentVersion"}}]}}]}}]} as unknown as DocumentNode<UserErrorFieldsFragment, unknown>;
export const ViewerDocument = {"__meta__":{"hash":"sha256:a48707628cd416b2e875fc54d57bd40b9028386b3447e56cd0f1dd03234288b5"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"roles"}}]}}]}}]} as unknown as DocumentNode<ViewerQuery, ViewerQueryVariables>;
export const OrganizationsPageDocument = {"__meta__":{"hash":"sha256:47605b97ea13fb13177c5e97c490c4c4d561884ae0097f167fd63b70bb6d9278"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"OrganizationsPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"OrganizationFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"organizations"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"field"},"value":{"kind":"EnumValue","value":"NAME"}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kinds"}},{"kind":"Field","name":{"kind":"Name","value":"lifecycleStage"}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]}}]}}]}}]} as unknown as DocumentNode<OrganizationsPageQuery, OrganizationsPageQueryVariables>;
export const OrganizationCreateDocument = {"__meta__":{"hash":"sha256:61d1b4a8797cb19c013885183bc68b6c5aa9ee5c07366c2be7c91c4e0666aec3"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"OrganizationCreate"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"OrganizationCreateInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"organizationCreate"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"organization"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kinds"}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"UserErrorFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UserErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ValidationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Conflict"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"currentVersion"}}]}}]}}]} as unknown as DocumentNode<OrganizationCreateMutation, OrganizationCreateMutationVariables>;
export const OrganizationUpdateDocument = {"__meta__":{"hash":"sha256:6813c920623bb16f70dc56f2f8097d664456d8e9173d52c0769c694c3e89d112"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"OrganizationUpdate"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"OrganizationUpdateInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"organizationUpdate"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"organization"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kinds"}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"UserErrorFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UserErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ValidationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Conflict"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"currentVersion"}}]}}]}}]} as unknown as DocumentNode<OrganizationUpdateMutation, OrganizationUpdateMutationVariables>;
export const InteractionLogDocument = {"__meta__":{"hash":"sha256:7d48d2ece62ad691774387cc27dbb02268d04ea2e701a9466d023ed8b6a04530"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"InteractionLog"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"InteractionLogInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"interactionLog"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"interaction"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"subject"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"UserErrorFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UserErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ValidationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Conflict"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"currentVersion"}}]}}]}}]} as unknown as DocumentNode<InteractionLogMutation, InteractionLogMutationVariables>;
export const EventsDocument = {"__meta__":{"hash":"sha256:de55e2998d7d352de972d548334c727b19fda52dc9bb5eed82ad7e336a57b41a"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"Events"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"types"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"events"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"types"},"value":{"kind":"Variable","name":{"kind":"Name","value":"types"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"recordType"}},{"kind":"Field","name":{"kind":"Name","value":"recordId"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}}]}}]}}]} as unknown as DocumentNode<EventsSubscription, EventsSubscriptionVariables>;