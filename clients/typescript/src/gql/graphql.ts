/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Inclusive bounds; either may be omitted. */
export type DateTimeRange = {
  /** Lower bound, included; omit for none. */
  from?: string | null | undefined;
  /** Upper bound, included; omit for none. */
  to?: string | null | undefined;
};

/** Who started an interaction. */
export type Direction =
  /** The organization or contact reached out to the tenant. */
  | 'INBOUND'
  /** Among the tenant's own users (a note, an internal meeting). */
  | 'INTERNAL'
  /** The tenant reached out. */
  | 'OUTBOUND';

/** Inclusive bounds; either may be omitted. */
export type IntRange = {
  /** Lower bound, included; omit for none. */
  from?: number | null | undefined;
  /** Upper bound, included; omit for none. */
  to?: number | null | undefined;
};

/** The channel of an interaction. */
export type InteractionKind =
  /** A phone or video call. */
  | 'CALL'
  /** A chat or instant message conversation. */
  | 'CHAT'
  /** An email. */
  | 'EMAIL'
  /** A scheduled meeting. */
  | 'MEETING'
  /** A note written by a user, not an exchange. */
  | 'NOTE'
  /** A touch on a social network. */
  | 'SOCIAL'
  /** An in-person visit. */
  | 'VISIT';

/** Something that happened: a call, an email, a meeting, a note... */
export type InteractionLogInput = {
  /** Full text: notes, the email body, minutes. */
  body?: string | null | undefined;
  /** Global IDs of the Contacts who took part. */
  contactIds?: Array<string | number>;
  /** Who started it: inbound, outbound or internal. */
  direction?: Direction;
  /** How long it lasted, in minutes (calls, meetings, visits). */
  durationMinutes?: number | null | undefined;
  /** The channel: call, email, meeting, note, chat, social or visit. */
  kind: InteractionKind;
  /** The Lead it was with; it counts in the lead's activity score. */
  leadId?: string | number | null | undefined;
  /** Defaults to now; without an offset, UTC. */
  occurredAt?: string | null | undefined;
  /** The Opportunity it concerns; logging one keeps the deal from going stale. */
  opportunityId?: string | number | null | undefined;
  /** Defaults to the opportunity's organization. */
  organizationId?: string | number | null | undefined;
  /** One-line summary. */
  subject: string;
  /** Defaults to you. */
  userIds?: Array<string | number> | null | undefined;
};

/** Where an organization or contact is in its relation with the tenant. */
export type LifecycleStage =
  /** A customer buying or using the product. */
  | 'ACTIVE'
  /** Was a customer, no longer is. */
  | 'CHURNED'
  /** Known, not yet qualified. */
  | 'LEAD'
  /** A long-standing, repeat customer. */
  | 'LOYAL'
  /** Recently became a customer. */
  | 'NEW'
  /** Qualified; a sale is being pursued. */
  | 'PROSPECT';

/** A new organization; only the name is required. */
export type OrganizationCreateInput = {
  /** Custom attributes (JSON object). */
  attributes?: unknown;
  /** ISO 3166-1 alpha-2 code. */
  country?: string | null | undefined;
  /** Free-text industry, e.g. Software. */
  industry?: string | null | undefined;
  /** What it is to you; none by default. */
  kinds?: Array<OrganizationKind>;
  /** Where it is in its relation with you; LEAD by default. */
  lifecycleStage?: LifecycleStage;
  /** The organization's name. */
  name: string;
  /** Defaults to you. */
  ownerId?: string | number | null | undefined;
  /** Sales region it belongs to, as the tenant names them. */
  region?: string | null | undefined;
  /** Number of employees. */
  size?: number | null | undefined;
  /** Free labels for grouping and filtering. */
  tags?: Array<string>;
  /** Home page URL. */
  website?: string | null | undefined;
};

/** Filters for Organization lists; all given conditions apply. */
export type OrganizationFilter = {
  /** Organizations in any of these countries (ISO 3166-1 alpha-2 codes). */
  country?: Array<string> | null | undefined;
  /** Created within these bounds. */
  createdAt?: DateTimeRange | null | undefined;
  /** Organizations in any of these industries (exact values). */
  industry?: Array<string> | null | undefined;
  /** Organizations of at least one of these kinds. */
  kinds?: Array<OrganizationKind> | null | undefined;
  /** Organizations at any of these lifecycle stages. */
  lifecycleStage?: Array<LifecycleStage> | null | undefined;
  /** Global IDs of users; organizations owned by any of them. */
  owner?: Array<string | number> | null | undefined;
  /** Organizations in any of these regions. */
  region?: Array<string> | null | undefined;
  /** Case-insensitive text contained in the name. */
  search?: string | null | undefined;
  /** Inclusive bounds on the number of employees; an organization without a size does not match. */
  size?: IntRange | null | undefined;
  /** Organizations having at least one of these tags. */
  tags?: Array<string> | null | undefined;
  /** Last changed within these bounds. */
  updatedAt?: DateTimeRange | null | undefined;
};

/** What an organization is to the tenant; one organization may be several. */
export type OrganizationKind =
  /** Sells what the tenant sells. */
  | 'COMPETITOR'
  /** Buys from the tenant. */
  | 'CUSTOMER'
  /** Works with the tenant (resells, refers, integrates). */
  | 'PARTNER'
  /** Might buy; being worked on. */
  | 'PROSPECT'
  /** Sells to the tenant. */
  | 'SUPPLIER';

/** Only the fields you give change; null clears a field. */
export type OrganizationUpdateInput = {
  /** Custom attributes (JSON object). */
  attributes?: unknown;
  /** ISO 3166-1 alpha-2 code. */
  country?: string | null | undefined;
  /** Fail with Conflict if the record moved on. */
  expectedVersion?: number | null | undefined;
  /** Global ID of the Organization. */
  id: string | number;
  /** Free-text industry, e.g. Software. */
  industry?: string | null | undefined;
  /** What it is to the tenant: customer, prospect, partner, competitor, supplier (any of them). */
  kinds?: Array<OrganizationKind> | null | undefined;
  /** Where it is in its relation with the tenant. */
  lifecycleStage?: LifecycleStage | null | undefined;
  /** The organization's name. */
  name?: string | null | undefined;
  /** Global ID of the Organization's owner (a User). */
  ownerId?: string | number | null | undefined;
  /** Sales region it belongs to, as the tenant names them. */
  region?: string | null | undefined;
  /** Number of employees. */
  size?: number | null | undefined;
  /** Free labels for grouping and filtering. */
  tags?: Array<string> | null | undefined;
  /** Home page URL. */
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