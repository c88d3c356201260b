/* eslint-disable */
import * as types from './graphql';
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
    "\n  fragment BoardCard on Opportunity {\n    id\n    name\n    amount\n    currency\n    version\n    status\n    expectedCloseDate\n    stage { id name }\n    pipeline { id }\n    owner { id name }\n    organization { id name }\n  }\n": typeof types.BoardCardFragmentDoc,
    "\n  query BoardSetup {\n    pipelines(first: 20) {\n      edges {\n        node {\n          id\n          name\n          isDefault\n          stages(first: 50, orderBy: { field: POSITION }) {\n            edges { node { id name position probability isWon isLost } }\n          }\n        }\n      }\n    }\n    users(first: 100, orderBy: { field: NAME }) { edges { node { id name roles } } }\n  }\n": typeof types.BoardSetupDocument,
    "\n  query BoardOpportunities($filter: OpportunityFilter, $after: String) {\n    opportunities(first: 100, after: $after, filter: $filter, orderBy: { field: CREATED_AT }) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { ...BoardCard } }\n    }\n  }\n": typeof types.BoardOpportunitiesDocument,
    "\n  mutation MoveStage($input: OpportunityMoveStageInput!) {\n    opportunityMoveStage(input: $input) {\n      opportunity { ...BoardCard }\n      errors {\n        __typename\n        message\n        path\n        ... on Conflict { currentVersion }\n      }\n    }\n  }\n": typeof types.MoveStageDocument,
    "\n  query OpportunityNow($id: ID!) {\n    node(id: $id) { ... on Opportunity { ...BoardCard } }\n  }\n": typeof types.OpportunityNowDocument,
    "\n  subscription BoardEvents($types: [String!]) {\n    events(types: $types) {\n      id\n      type\n      record { __typename ... on Opportunity { ...BoardCard } }\n    }\n  }\n": typeof types.BoardEventsDocument,
    "\n  fragment RecordName on Node {\n    __typename\n    id\n    ... on Organization { name }\n    ... on Contact { firstName lastName }\n    ... on Opportunity { name }\n    ... on User { name }\n  }\n": typeof types.RecordNameFragmentDoc,
    "\n  fragment OrganizationDetails on Organization {\n    id\n    name\n    kinds\n    industry\n    region\n    country\n    website\n    size\n    lifecycleStage\n    tags\n    version\n    owner { id name }\n  }\n": typeof types.OrganizationDetailsFragmentDoc,
    "\n  query Customer360($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Organization {\n        ...OrganizationDetails\n        contacts(first: 50, orderBy: { field: NAME }) {\n          totalCount\n          edges { node { id firstName lastName title emails phones } }\n        }\n        opportunities(first: 50, orderBy: { field: UPDATED_AT, direction: DESC }) {\n          totalCount\n          edges { node { id name amount currency status stage { name } } }\n        }\n        tasks(first: 20, filter: { status: [OPEN, IN_PROGRESS] }, orderBy: { field: DUE_AT }) {\n          totalCount\n          edges { node { id title dueAt status assignee { name } } }\n        }\n        relationships(first: 50) {\n          totalCount\n          edges { node { id kind source { ...RecordName } target { ...RecordName } } }\n        }\n      }\n    }\n  }\n": typeof types.Customer360Document,
    "\n  query Timeline($id: ID!, $after: String) {\n    node(id: $id) {\n      ... on Organization {\n        id\n        interactions(first: 20, after: $after, orderBy: { field: OCCURRED_AT, direction: DESC }) {\n          pageInfo { hasNextPage endCursor }\n          edges { node { id kind direction subject body occurredAt durationMinutes owner { name } } }\n        }\n      }\n    }\n  }\n": typeof types.TimelineDocument,
    "\n  mutation OrganizationUpdate($input: OrganizationUpdateInput!) {\n    organizationUpdate(input: $input) {\n      organization { ...OrganizationDetails }\n      errors { __typename message path ... on Conflict { currentVersion } }\n    }\n  }\n": typeof types.OrganizationUpdateDocument,
    "\n  mutation InteractionLog($input: InteractionLogInput!) {\n    interactionLog(input: $input) {\n      interaction { id subject organization { id } }\n      errors { __typename message path }\n    }\n  }\n": typeof types.InteractionLogDocument,
    "\n  query DashboardOpportunities($filter: OpportunityFilter, $after: String) {\n    opportunities(first: 100, after: $after, filter: $filter) {\n      pageInfo { hasNextPage endCursor }\n      edges { node { id amount currency status closedAt stage { id name position } } }\n    }\n  }\n": typeof types.DashboardOpportunitiesDocument,
    "\n  query DashboardUsers {\n    users(first: 100, orderBy: { field: NAME }) { edges { node { id name } } }\n  }\n": typeof types.DashboardUsersDocument,
    "\n  query ActivityCount($owner: [ID!], $from: DateTime) {\n    interactions(first: 1, filter: { owner: $owner, occurredAt: { from: $from } }) { totalCount }\n  }\n": typeof types.ActivityCountDocument,
    "\n  fragment GraphEdge on Relationship {\n    id\n    kind\n    source { id }\n    target { id }\n  }\n": typeof types.GraphEdgeFragmentDoc,
    "\n  query Neighborhood($id: ID!, $depth: Int!, $kinds: [String!], $after: String) {\n    node(id: $id) {\n      ...RecordName\n      ... on Organization {\n        neighbors(depth: $depth, kinds: $kinds, first: 100, after: $after) {\n          totalCount\n          pageInfo { hasNextPage endCursor }\n          edges { distance node { ...RecordName } relationship { ...GraphEdge } }\n        }\n      }\n      ... on Contact {\n        neighbors(depth: $depth, kinds: $kinds, first: 100, after: $after) {\n          totalCount\n          pageInfo { hasNextPage endCursor }\n          edges { distance node { ...RecordName } relationship { ...GraphEdge } }\n        }\n      }\n    }\n  }\n": typeof types.NeighborhoodDocument,
    "\n  query GraphSetup {\n    relationshipKinds(first: 50) { edges { node { id key label } } }\n  }\n": typeof types.GraphSetupDocument,
    "\n  query OrganizationSearch($search: String!) {\n    organizations(first: 10, filter: { search: $search }, orderBy: { field: NAME }) {\n      edges { node { id name } }\n    }\n  }\n": typeof types.OrganizationSearchDocument,
    "\n  query RelationshipPath($from: ID!, $to: ID!, $kinds: [String!]) {\n    relationshipPath(from: $from, to: $to, maxDepth: 4, kinds: $kinds) {\n      length\n      nodes { ...RecordName }\n      edges { ...GraphEdge }\n    }\n  }\n": typeof types.RelationshipPathDocument,
    "\n  query LeadList($filter: LeadFilter, $orderBy: LeadOrder, $after: String) {\n    leads(first: 50, filter: $filter, orderBy: $orderBy, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id firstName lastName company emails status source score createdAt owner { id name } } }\n    }\n  }\n": typeof types.LeadListDocument,
    "\n  fragment LeadDetails on Lead {\n    id\n    version\n    firstName\n    lastName\n    company\n    title\n    emails\n    phones\n    country\n    status\n    source\n    score\n    disqualifiedReason\n    convertedAt\n    owner { id name }\n    convertedOrganization { id name }\n    mergedInto { id }\n  }\n": typeof types.LeadDetailsFragmentDoc,
    "\n  query Lead($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Lead { ...LeadDetails }\n    }\n    leadDuplicates(id: $id) {\n      reasons\n      similarity\n      record {\n        __typename\n        id\n        ... on Lead { firstName lastName company }\n        ... on Contact { contactFirstName: firstName contactLastName: lastName organization { id name } }\n      }\n    }\n    pipelines(first: 20) {\n      edges { node { id name isDefault stages(first: 50, orderBy: { field: POSITION }) { edges { node { id name } } } } }\n    }\n  }\n": typeof types.LeadDocument,
    "\n  mutation LeadCreate($input: LeadCreateInput!) {\n    leadCreate(input: $input) {\n      lead { id }\n      errors { __typename message path }\n    }\n  }\n": typeof types.LeadCreateDocument,
    "\n  mutation LeadUpdate($input: LeadUpdateInput!) {\n    leadUpdate(input: $input) {\n      lead { ...LeadDetails }\n      errors { __typename message path }\n    }\n  }\n": typeof types.LeadUpdateDocument,
    "\n  mutation LeadConvert($input: LeadConvertInput!) {\n    leadConvert(input: $input) {\n      lead { ...LeadDetails }\n      errors { __typename message path }\n    }\n  }\n": typeof types.LeadConvertDocument,
    "\n  mutation LeadMerge($input: LeadMergeInput!) {\n    leadMerge(input: $input) {\n      lead { ...LeadDetails }\n      errors { __typename message path }\n    }\n  }\n": typeof types.LeadMergeDocument,
    "\n  query OrganizationList($filter: OrganizationFilter, $orderBy: OrganizationOrder, $after: String) {\n    organizations(first: 50, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id name industry country size lifecycleStage updatedAt owner { name } } }\n    }\n  }\n": typeof types.OrganizationListDocument,
    "\n  query ContactList($filter: ContactFilter, $orderBy: ContactOrder, $after: String) {\n    contacts(first: 50, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id firstName lastName title emails lifecycleStage updatedAt organization { id name } } }\n    }\n  }\n": typeof types.ContactListDocument,
    "\n  query OpportunityList($filter: OpportunityFilter, $orderBy: OpportunityOrder, $after: String) {\n    opportunities(first: 50, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id name amount currency status expectedCloseDate stage { name } owner { name } organization { id name } } }\n    }\n  }\n": typeof types.OpportunityListDocument,
    "\n  query QuoteList($opportunityId: ID!) {\n    node(id: $opportunityId) {\n      __typename\n      ... on Opportunity { id name currency organization { id name } }\n    }\n    quotes(first: 50, filter: { opportunity: [$opportunityId] }, orderBy: { field: CREATED_AT, direction: DESC }) {\n      edges { node { id number revision name status currency grandTotal validUntil isPrimary } }\n    }\n  }\n": typeof types.QuoteListDocument,
    "\n  fragment QuoteEditor on Quote {\n    id\n    version\n    number\n    revision\n    name\n    status\n    currency\n    validUntil\n    subtotal\n    discountTotal\n    netTotal\n    taxTotal\n    grandTotal\n    maxDiscountPercent\n    opportunity { id name organization { id name } }\n    priceBook { id name }\n    lines(first: 100, orderBy: { field: POSITION }) {\n      edges {\n        node {\n          id version position description quantity listPrice unitPrice priceOverridden\n          discountPercent taxRate netAmount taxAmount total\n          product { id sku name }\n        }\n      }\n    }\n    approvalRequests(first: 10) { edges { node { id status reason comment } } }\n  }\n": typeof types.QuoteEditorFragmentDoc,
    "\n  query Quote($id: ID!) {\n    node(id: $id) { __typename ... on Quote { ...QuoteEditor } }\n    viewer { id roles }\n    products(first: 100, filter: { active: [true] }, orderBy: { field: NAME }) {\n      edges { node { id sku name prices(first: 10) { edges { node { listPrice priceBook { id currency isDefault } } } } } }\n    }\n  }\n": typeof types.QuoteDocument,
    "\n  query QuoteDocument($id: ID!) {\n    quoteDocument(id: $id) { html pdfBase64 filename contentType templateError }\n  }\n": typeof types.QuoteDocumentDocument,
    "\n  mutation QuoteCreate($input: QuoteCreateInput!) {\n    quoteCreate(input: $input) { quote { id } errors { __typename message path } }\n  }\n": typeof types.QuoteCreateDocument,
    "\n  mutation QuoteLineAdd($input: QuoteLineAddInput!) {\n    quoteLineAdd(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }\n  }\n": typeof types.QuoteLineAddDocument,
    "\n  mutation QuoteLineUpdate($input: QuoteLineUpdateInput!) {\n    quoteLineUpdate(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }\n  }\n": typeof types.QuoteLineUpdateDocument,
    "\n  mutation QuoteLineRemove($input: QuoteLineRemoveInput!) {\n    quoteLineRemove(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }\n  }\n": typeof types.QuoteLineRemoveDocument,
    "\n  mutation QuoteSubmit($input: QuoteActionInput!) {\n    quoteSubmit(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }\n  }\n": typeof types.QuoteSubmitDocument,
    "\n  mutation QuoteApprove($input: QuoteDecisionInput!) {\n    quoteApprove(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }\n  }\n": typeof types.QuoteApproveDocument,
    "\n  mutation QuoteReject($input: QuoteDecisionInput!) {\n    quoteReject(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }\n  }\n": typeof types.QuoteRejectDocument,
    "\n  mutation QuoteSend($input: QuoteActionInput!) {\n    quoteSend(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }\n  }\n": typeof types.QuoteSendDocument,
    "\n  mutation QuoteAccept($input: QuoteActionInput!) {\n    quoteAccept(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }\n  }\n": typeof types.QuoteAcceptDocument,
};
const documents: Documents = {
    "\n  fragment BoardCard on Opportunity {\n    id\n    name\n    amount\n    currency\n    version\n    status\n    expectedCloseDate\n    stage { id name }\n    pipeline { id }\n    owner { id name }\n    organization { id name }\n  }\n": types.BoardCardFragmentDoc,
    "\n  query BoardSetup {\n    pipelines(first: 20) {\n      edges {\n        node {\n          id\n          name\n          isDefault\n          stages(first: 50, orderBy: { field: POSITION }) {\n            edges { node { id name position probability isWon isLost } }\n          }\n        }\n      }\n    }\n    users(first: 100, orderBy: { field: NAME }) { edges { node { id name roles } } }\n  }\n": types.BoardSetupDocument,
    "\n  query BoardOpportunities($filter: OpportunityFilter, $after: String) {\n    opportunities(first: 100, after: $after, filter: $filter, orderBy: { field: CREATED_AT }) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { ...BoardCard } }\n    }\n  }\n": types.BoardOpportunitiesDocument,
    "\n  mutation MoveStage($input: OpportunityMoveStageInput!) {\n    opportunityMoveStage(input: $input) {\n      opportunity { ...BoardCard }\n      errors {\n        __typename\n        message\n        path\n        ... on Conflict { currentVersion }\n      }\n    }\n  }\n": types.MoveStageDocument,
    "\n  query OpportunityNow($id: ID!) {\n    node(id: $id) { ... on Opportunity { ...BoardCard } }\n  }\n": types.OpportunityNowDocument,
    "\n  subscription BoardEvents($types: [String!]) {\n    events(types: $types) {\n      id\n      type\n      record { __typename ... on Opportunity { ...BoardCard } }\n    }\n  }\n": types.BoardEventsDocument,
    "\n  fragment RecordName on Node {\n    __typename\n    id\n    ... on Organization { name }\n    ... on Contact { firstName lastName }\n    ... on Opportunity { name }\n    ... on User { name }\n  }\n": types.RecordNameFragmentDoc,
    "\n  fragment OrganizationDetails on Organization {\n    id\n    name\n    kinds\n    industry\n    region\n    country\n    website\n    size\n    lifecycleStage\n    tags\n    version\n    owner { id name }\n  }\n": types.OrganizationDetailsFragmentDoc,
    "\n  query Customer360($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Organization {\n        ...OrganizationDetails\n        contacts(first: 50, orderBy: { field: NAME }) {\n          totalCount\n          edges { node { id firstName lastName title emails phones } }\n        }\n        opportunities(first: 50, orderBy: { field: UPDATED_AT, direction: DESC }) {\n          totalCount\n          edges { node { id name amount currency status stage { name } } }\n        }\n        tasks(first: 20, filter: { status: [OPEN, IN_PROGRESS] }, orderBy: { field: DUE_AT }) {\n          totalCount\n          edges { node { id title dueAt status assignee { name } } }\n        }\n        relationships(first: 50) {\n          totalCount\n          edges { node { id kind source { ...RecordName } target { ...RecordName } } }\n        }\n      }\n    }\n  }\n": types.Customer360Document,
    "\n  query Timeline($id: ID!, $after: String) {\n    node(id: $id) {\n      ... on Organization {\n        id\n        interactions(first: 20, after: $after, orderBy: { field: OCCURRED_AT, direction: DESC }) {\n          pageInfo { hasNextPage endCursor }\n          edges { node { id kind direction subject body occurredAt durationMinutes owner { name } } }\n        }\n      }\n    }\n  }\n": types.TimelineDocument,
    "\n  mutation OrganizationUpdate($input: OrganizationUpdateInput!) {\n    organizationUpdate(input: $input) {\n      organization { ...OrganizationDetails }\n      errors { __typename message path ... on Conflict { currentVersion } }\n    }\n  }\n": types.OrganizationUpdateDocument,
    "\n  mutation InteractionLog($input: InteractionLogInput!) {\n    interactionLog(input: $input) {\n      interaction { id subject organization { id } }\n      errors { __typename message path }\n    }\n  }\n": types.InteractionLogDocument,
    "\n  query DashboardOpportunities($filter: OpportunityFilter, $after: String) {\n    opportunities(first: 100, after: $after, filter: $filter) {\n      pageInfo { hasNextPage endCursor }\n      edges { node { id amount currency status closedAt stage { id name position } } }\n    }\n  }\n": types.DashboardOpportunitiesDocument,
    "\n  query DashboardUsers {\n    users(first: 100, orderBy: { field: NAME }) { edges { node { id name } } }\n  }\n": types.DashboardUsersDocument,
    "\n  query ActivityCount($owner: [ID!], $from: DateTime) {\n    interactions(first: 1, filter: { owner: $owner, occurredAt: { from: $from } }) { totalCount }\n  }\n": types.ActivityCountDocument,
    "\n  fragment GraphEdge on Relationship {\n    id\n    kind\n    source { id }\n    target { id }\n  }\n": types.GraphEdgeFragmentDoc,
    "\n  query Neighborhood($id: ID!, $depth: Int!, $kinds: [String!], $after: String) {\n    node(id: $id) {\n      ...RecordName\n      ... on Organization {\n        neighbors(depth: $depth, kinds: $kinds, first: 100, after: $after) {\n          totalCount\n          pageInfo { hasNextPage endCursor }\n          edges { distance node { ...RecordName } relationship { ...GraphEdge } }\n        }\n      }\n      ... on Contact {\n        neighbors(depth: $depth, kinds: $kinds, first: 100, after: $after) {\n          totalCount\n          pageInfo { hasNextPage endCursor }\n          edges { distance node { ...RecordName } relationship { ...GraphEdge } }\n        }\n      }\n    }\n  }\n": types.NeighborhoodDocument,
    "\n  query GraphSetup {\n    relationshipKinds(first: 50) { edges { node { id key label } } }\n  }\n": types.GraphSetupDocument,
    "\n  query OrganizationSearch($search: String!) {\n    organizations(first: 10, filter: { search: $search }, orderBy: { field: NAME }) {\n      edges { node { id name } }\n    }\n  }\n": types.OrganizationSearchDocument,
    "\n  query RelationshipPath($from: ID!, $to: ID!, $kinds: [String!]) {\n    relationshipPath(from: $from, to: $to, maxDepth: 4, kinds: $kinds) {\n      length\n      nodes { ...RecordName }\n      edges { ...GraphEdge }\n    }\n  }\n": types.RelationshipPathDocument,
    "\n  query LeadList($filter: LeadFilter, $orderBy: LeadOrder, $after: String) {\n    leads(first: 50, filter: $filter, orderBy: $orderBy, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id firstName lastName company emails status source score createdAt owner { id name } } }\n    }\n  }\n": types.LeadListDocument,
    "\n  fragment LeadDetails on Lead {\n    id\n    version\n    firstName\n    lastName\n    company\n    title\n    emails\n    phones\n    country\n    status\n    source\n    score\n    disqualifiedReason\n    convertedAt\n    owner { id name }\n    convertedOrganization { id name }\n    mergedInto { id }\n  }\n": types.LeadDetailsFragmentDoc,
    "\n  query Lead($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Lead { ...LeadDetails }\n    }\n    leadDuplicates(id: $id) {\n      reasons\n      similarity\n      record {\n        __typename\n        id\n        ... on Lead { firstName lastName company }\n        ... on Contact { contactFirstName: firstName contactLastName: lastName organization { id name } }\n      }\n    }\n    pipelines(first: 20) {\n      edges { node { id name isDefault stages(first: 50, orderBy: { field: POSITION }) { edges { node { id name } } } } }\n    }\n  }\n": types.LeadDocument,
    "\n  mutation LeadCreate($input: LeadCreateInput!) {\n    leadCreate(input: $input) {\n      lead { id }\n      errors { __typename message path }\n    }\n  }\n": types.LeadCreateDocument,
    "\n  mutation LeadUpdate($input: LeadUpdateInput!) {\n    leadUpdate(input: $input) {\n      lead { ...LeadDetails }\n      errors { __typename message path }\n    }\n  }\n": types.LeadUpdateDocument,
    "\n  mutation LeadConvert($input: LeadConvertInput!) {\n    leadConvert(input: $input) {\n      lead { ...LeadDetails }\n      errors { __typename message path }\n    }\n  }\n": types.LeadConvertDocument,
    "\n  mutation LeadMerge($input: LeadMergeInput!) {\n    leadMerge(input: $input) {\n      lead { ...LeadDetails }\n      errors { __typename message path }\n    }\n  }\n": types.LeadMergeDocument,
    "\n  query OrganizationList($filter: OrganizationFilter, $orderBy: OrganizationOrder, $after: String) {\n    organizations(first: 50, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id name industry country size lifecycleStage updatedAt owner { name } } }\n    }\n  }\n": types.OrganizationListDocument,
    "\n  query ContactList($filter: ContactFilter, $orderBy: ContactOrder, $after: String) {\n    contacts(first: 50, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id firstName lastName title emails lifecycleStage updatedAt organization { id name } } }\n    }\n  }\n": types.ContactListDocument,
    "\n  query OpportunityList($filter: OpportunityFilter, $orderBy: OpportunityOrder, $after: String) {\n    opportunities(first: 50, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id name amount currency status expectedCloseDate stage { name } owner { name } organization { id name } } }\n    }\n  }\n": types.OpportunityListDocument,
    "\n  query QuoteList($opportunityId: ID!) {\n    node(id: $opportunityId) {\n      __typename\n      ... on Opportunity { id name currency organization { id name } }\n    }\n    quotes(first: 50, filter: { opportunity: [$opportunityId] }, orderBy: { field: CREATED_AT, direction: DESC }) {\n      edges { node { id number revision name status currency grandTotal validUntil isPrimary } }\n    }\n  }\n": types.QuoteListDocument,
    "\n  fragment QuoteEditor on Quote {\n    id\n    version\n    number\n    revision\n    name\n    status\n    currency\n    validUntil\n    subtotal\n    discountTotal\n    netTotal\n    taxTotal\n    grandTotal\n    maxDiscountPercent\n    opportunity { id name organization { id name } }\n    priceBook { id name }\n    lines(first: 100, orderBy: { field: POSITION }) {\n      edges {\n        node {\n          id version position description quantity listPrice unitPrice priceOverridden\n          discountPercent taxRate netAmount taxAmount total\n          product { id sku name }\n        }\n      }\n    }\n    approvalRequests(first: 10) { edges { node { id status reason comment } } }\n  }\n": types.QuoteEditorFragmentDoc,
    "\n  query Quote($id: ID!) {\n    node(id: $id) { __typename ... on Quote { ...QuoteEditor } }\n    viewer { id roles }\n    products(first: 100, filter: { active: [true] }, orderBy: { field: NAME }) {\n      edges { node { id sku name prices(first: 10) { edges { node { listPrice priceBook { id currency isDefault } } } } } }\n    }\n  }\n": types.QuoteDocument,
    "\n  query QuoteDocument($id: ID!) {\n    quoteDocument(id: $id) { html pdfBase64 filename contentType templateError }\n  }\n": types.QuoteDocumentDocument,
    "\n  mutation QuoteCreate($input: QuoteCreateInput!) {\n    quoteCreate(input: $input) { quote { id } errors { __typename message path } }\n  }\n": types.QuoteCreateDocument,
    "\n  mutation QuoteLineAdd($input: QuoteLineAddInput!) {\n    quoteLineAdd(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }\n  }\n": types.QuoteLineAddDocument,
    "\n  mutation QuoteLineUpdate($input: QuoteLineUpdateInput!) {\n    quoteLineUpdate(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }\n  }\n": types.QuoteLineUpdateDocument,
    "\n  mutation QuoteLineRemove($input: QuoteLineRemoveInput!) {\n    quoteLineRemove(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }\n  }\n": types.QuoteLineRemoveDocument,
    "\n  mutation QuoteSubmit($input: QuoteActionInput!) {\n    quoteSubmit(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }\n  }\n": types.QuoteSubmitDocument,
    "\n  mutation QuoteApprove($input: QuoteDecisionInput!) {\n    quoteApprove(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }\n  }\n": types.QuoteApproveDocument,
    "\n  mutation QuoteReject($input: QuoteDecisionInput!) {\n    quoteReject(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }\n  }\n": types.QuoteRejectDocument,
    "\n  mutation QuoteSend($input: QuoteActionInput!) {\n    quoteSend(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }\n  }\n": types.QuoteSendDocument,
    "\n  mutation QuoteAccept($input: QuoteActionInput!) {\n    quoteAccept(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }\n  }\n": types.QuoteAcceptDocument,
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
export function graphql(source: "\n  fragment BoardCard on Opportunity {\n    id\n    name\n    amount\n    currency\n    version\n    status\n    expectedCloseDate\n    stage { id name }\n    pipeline { id }\n    owner { id name }\n    organization { id name }\n  }\n"): (typeof documents)["\n  fragment BoardCard on Opportunity {\n    id\n    name\n    amount\n    currency\n    version\n    status\n    expectedCloseDate\n    stage { id name }\n    pipeline { id }\n    owner { id name }\n    organization { id name }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BoardSetup {\n    pipelines(first: 20) {\n      edges {\n        node {\n          id\n          name\n          isDefault\n          stages(first: 50, orderBy: { field: POSITION }) {\n            edges { node { id name position probability isWon isLost } }\n          }\n        }\n      }\n    }\n    users(first: 100, orderBy: { field: NAME }) { edges { node { id name roles } } }\n  }\n"): (typeof documents)["\n  query BoardSetup {\n    pipelines(first: 20) {\n      edges {\n        node {\n          id\n          name\n          isDefault\n          stages(first: 50, orderBy: { field: POSITION }) {\n            edges { node { id name position probability isWon isLost } }\n          }\n        }\n      }\n    }\n    users(first: 100, orderBy: { field: NAME }) { edges { node { id name roles } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BoardOpportunities($filter: OpportunityFilter, $after: String) {\n    opportunities(first: 100, after: $after, filter: $filter, orderBy: { field: CREATED_AT }) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { ...BoardCard } }\n    }\n  }\n"): (typeof documents)["\n  query BoardOpportunities($filter: OpportunityFilter, $after: String) {\n    opportunities(first: 100, after: $after, filter: $filter, orderBy: { field: CREATED_AT }) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { ...BoardCard } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MoveStage($input: OpportunityMoveStageInput!) {\n    opportunityMoveStage(input: $input) {\n      opportunity { ...BoardCard }\n      errors {\n        __typename\n        message\n        path\n        ... on Conflict { currentVersion }\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation MoveStage($input: OpportunityMoveStageInput!) {\n    opportunityMoveStage(input: $input) {\n      opportunity { ...BoardCard }\n      errors {\n        __typename\n        message\n        path\n        ... on Conflict { currentVersion }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OpportunityNow($id: ID!) {\n    node(id: $id) { ... on Opportunity { ...BoardCard } }\n  }\n"): (typeof documents)["\n  query OpportunityNow($id: ID!) {\n    node(id: $id) { ... on Opportunity { ...BoardCard } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription BoardEvents($types: [String!]) {\n    events(types: $types) {\n      id\n      type\n      record { __typename ... on Opportunity { ...BoardCard } }\n    }\n  }\n"): (typeof documents)["\n  subscription BoardEvents($types: [String!]) {\n    events(types: $types) {\n      id\n      type\n      record { __typename ... on Opportunity { ...BoardCard } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RecordName on Node {\n    __typename\n    id\n    ... on Organization { name }\n    ... on Contact { firstName lastName }\n    ... on Opportunity { name }\n    ... on User { name }\n  }\n"): (typeof documents)["\n  fragment RecordName on Node {\n    __typename\n    id\n    ... on Organization { name }\n    ... on Contact { firstName lastName }\n    ... on Opportunity { name }\n    ... on User { name }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment OrganizationDetails on Organization {\n    id\n    name\n    kinds\n    industry\n    region\n    country\n    website\n    size\n    lifecycleStage\n    tags\n    version\n    owner { id name }\n  }\n"): (typeof documents)["\n  fragment OrganizationDetails on Organization {\n    id\n    name\n    kinds\n    industry\n    region\n    country\n    website\n    size\n    lifecycleStage\n    tags\n    version\n    owner { id name }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Customer360($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Organization {\n        ...OrganizationDetails\n        contacts(first: 50, orderBy: { field: NAME }) {\n          totalCount\n          edges { node { id firstName lastName title emails phones } }\n        }\n        opportunities(first: 50, orderBy: { field: UPDATED_AT, direction: DESC }) {\n          totalCount\n          edges { node { id name amount currency status stage { name } } }\n        }\n        tasks(first: 20, filter: { status: [OPEN, IN_PROGRESS] }, orderBy: { field: DUE_AT }) {\n          totalCount\n          edges { node { id title dueAt status assignee { name } } }\n        }\n        relationships(first: 50) {\n          totalCount\n          edges { node { id kind source { ...RecordName } target { ...RecordName } } }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Customer360($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Organization {\n        ...OrganizationDetails\n        contacts(first: 50, orderBy: { field: NAME }) {\n          totalCount\n          edges { node { id firstName lastName title emails phones } }\n        }\n        opportunities(first: 50, orderBy: { field: UPDATED_AT, direction: DESC }) {\n          totalCount\n          edges { node { id name amount currency status stage { name } } }\n        }\n        tasks(first: 20, filter: { status: [OPEN, IN_PROGRESS] }, orderBy: { field: DUE_AT }) {\n          totalCount\n          edges { node { id title dueAt status assignee { name } } }\n        }\n        relationships(first: 50) {\n          totalCount\n          edges { node { id kind source { ...RecordName } target { ...RecordName } } }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Timeline($id: ID!, $after: String) {\n    node(id: $id) {\n      ... on Organization {\n        id\n        interactions(first: 20, after: $after, orderBy: { field: OCCURRED_AT, direction: DESC }) {\n          pageInfo { hasNextPage endCursor }\n          edges { node { id kind direction subject body occurredAt durationMinutes owner { name } } }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Timeline($id: ID!, $after: String) {\n    node(id: $id) {\n      ... on Organization {\n        id\n        interactions(first: 20, after: $after, orderBy: { field: OCCURRED_AT, direction: DESC }) {\n          pageInfo { hasNextPage endCursor }\n          edges { node { id kind direction subject body occurredAt durationMinutes owner { name } } }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OrganizationUpdate($input: OrganizationUpdateInput!) {\n    organizationUpdate(input: $input) {\n      organization { ...OrganizationDetails }\n      errors { __typename message path ... on Conflict { currentVersion } }\n    }\n  }\n"): (typeof documents)["\n  mutation OrganizationUpdate($input: OrganizationUpdateInput!) {\n    organizationUpdate(input: $input) {\n      organization { ...OrganizationDetails }\n      errors { __typename message path ... on Conflict { currentVersion } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InteractionLog($input: InteractionLogInput!) {\n    interactionLog(input: $input) {\n      interaction { id subject organization { id } }\n      errors { __typename message path }\n    }\n  }\n"): (typeof documents)["\n  mutation InteractionLog($input: InteractionLogInput!) {\n    interactionLog(input: $input) {\n      interaction { id subject organization { id } }\n      errors { __typename message path }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardOpportunities($filter: OpportunityFilter, $after: String) {\n    opportunities(first: 100, after: $after, filter: $filter) {\n      pageInfo { hasNextPage endCursor }\n      edges { node { id amount currency status closedAt stage { id name position } } }\n    }\n  }\n"): (typeof documents)["\n  query DashboardOpportunities($filter: OpportunityFilter, $after: String) {\n    opportunities(first: 100, after: $after, filter: $filter) {\n      pageInfo { hasNextPage endCursor }\n      edges { node { id amount currency status closedAt stage { id name position } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardUsers {\n    users(first: 100, orderBy: { field: NAME }) { edges { node { id name } } }\n  }\n"): (typeof documents)["\n  query DashboardUsers {\n    users(first: 100, orderBy: { field: NAME }) { edges { node { id name } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ActivityCount($owner: [ID!], $from: DateTime) {\n    interactions(first: 1, filter: { owner: $owner, occurredAt: { from: $from } }) { totalCount }\n  }\n"): (typeof documents)["\n  query ActivityCount($owner: [ID!], $from: DateTime) {\n    interactions(first: 1, filter: { owner: $owner, occurredAt: { from: $from } }) { totalCount }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment GraphEdge on Relationship {\n    id\n    kind\n    source { id }\n    target { id }\n  }\n"): (typeof documents)["\n  fragment GraphEdge on Relationship {\n    id\n    kind\n    source { id }\n    target { id }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Neighborhood($id: ID!, $depth: Int!, $kinds: [String!], $after: String) {\n    node(id: $id) {\n      ...RecordName\n      ... on Organization {\n        neighbors(depth: $depth, kinds: $kinds, first: 100, after: $after) {\n          totalCount\n          pageInfo { hasNextPage endCursor }\n          edges { distance node { ...RecordName } relationship { ...GraphEdge } }\n        }\n      }\n      ... on Contact {\n        neighbors(depth: $depth, kinds: $kinds, first: 100, after: $after) {\n          totalCount\n          pageInfo { hasNextPage endCursor }\n          edges { distance node { ...RecordName } relationship { ...GraphEdge } }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Neighborhood($id: ID!, $depth: Int!, $kinds: [String!], $after: String) {\n    node(id: $id) {\n      ...RecordName\n      ... on Organization {\n        neighbors(depth: $depth, kinds: $kinds, first: 100, after: $after) {\n          totalCount\n          pageInfo { hasNextPage endCursor }\n          edges { distance node { ...RecordName } relationship { ...GraphEdge } }\n        }\n      }\n      ... on Contact {\n        neighbors(depth: $depth, kinds: $kinds, first: 100, after: $after) {\n          totalCount\n          pageInfo { hasNextPage endCursor }\n          edges { distance node { ...RecordName } relationship { ...GraphEdge } }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GraphSetup {\n    relationshipKinds(first: 50) { edges { node { id key label } } }\n  }\n"): (typeof documents)["\n  query GraphSetup {\n    relationshipKinds(first: 50) { edges { node { id key label } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrganizationSearch($search: String!) {\n    organizations(first: 10, filter: { search: $search }, orderBy: { field: NAME }) {\n      edges { node { id name } }\n    }\n  }\n"): (typeof documents)["\n  query OrganizationSearch($search: String!) {\n    organizations(first: 10, filter: { search: $search }, orderBy: { field: NAME }) {\n      edges { node { id name } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RelationshipPath($from: ID!, $to: ID!, $kinds: [String!]) {\n    relationshipPath(from: $from, to: $to, maxDepth: 4, kinds: $kinds) {\n      length\n      nodes { ...RecordName }\n      edges { ...GraphEdge }\n    }\n  }\n"): (typeof documents)["\n  query RelationshipPath($from: ID!, $to: ID!, $kinds: [String!]) {\n    relationshipPath(from: $from, to: $to, maxDepth: 4, kinds: $kinds) {\n      length\n      nodes { ...RecordName }\n      edges { ...GraphEdge }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LeadList($filter: LeadFilter, $orderBy: LeadOrder, $after: String) {\n    leads(first: 50, filter: $filter, orderBy: $orderBy, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id firstName lastName company emails status source score createdAt owner { id name } } }\n    }\n  }\n"): (typeof documents)["\n  query LeadList($filter: LeadFilter, $orderBy: LeadOrder, $after: String) {\n    leads(first: 50, filter: $filter, orderBy: $orderBy, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id firstName lastName company emails status source score createdAt owner { id name } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment LeadDetails on Lead {\n    id\n    version\n    firstName\n    lastName\n    company\n    title\n    emails\n    phones\n    country\n    status\n    source\n    score\n    disqualifiedReason\n    convertedAt\n    owner { id name }\n    convertedOrganization { id name }\n    mergedInto { id }\n  }\n"): (typeof documents)["\n  fragment LeadDetails on Lead {\n    id\n    version\n    firstName\n    lastName\n    company\n    title\n    emails\n    phones\n    country\n    status\n    source\n    score\n    disqualifiedReason\n    convertedAt\n    owner { id name }\n    convertedOrganization { id name }\n    mergedInto { id }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Lead($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Lead { ...LeadDetails }\n    }\n    leadDuplicates(id: $id) {\n      reasons\n      similarity\n      record {\n        __typename\n        id\n        ... on Lead { firstName lastName company }\n        ... on Contact { contactFirstName: firstName contactLastName: lastName organization { id name } }\n      }\n    }\n    pipelines(first: 20) {\n      edges { node { id name isDefault stages(first: 50, orderBy: { field: POSITION }) { edges { node { id name } } } } }\n    }\n  }\n"): (typeof documents)["\n  query Lead($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Lead { ...LeadDetails }\n    }\n    leadDuplicates(id: $id) {\n      reasons\n      similarity\n      record {\n        __typename\n        id\n        ... on Lead { firstName lastName company }\n        ... on Contact { contactFirstName: firstName contactLastName: lastName organization { id name } }\n      }\n    }\n    pipelines(first: 20) {\n      edges { node { id name isDefault stages(first: 50, orderBy: { field: POSITION }) { edges { node { id name } } } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LeadCreate($input: LeadCreateInput!) {\n    leadCreate(input: $input) {\n      lead { id }\n      errors { __typename message path }\n    }\n  }\n"): (typeof documents)["\n  mutation LeadCreate($input: LeadCreateInput!) {\n    leadCreate(input: $input) {\n      lead { id }\n      errors { __typename message path }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LeadUpdate($input: LeadUpdateInput!) {\n    leadUpdate(input: $input) {\n      lead { ...LeadDetails }\n      errors { __typename message path }\n    }\n  }\n"): (typeof documents)["\n  mutation LeadUpdate($input: LeadUpdateInput!) {\n    leadUpdate(input: $input) {\n      lead { ...LeadDetails }\n      errors { __typename message path }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LeadConvert($input: LeadConvertInput!) {\n    leadConvert(input: $input) {\n      lead { ...LeadDetails }\n      errors { __typename message path }\n    }\n  }\n"): (typeof documents)["\n  mutation LeadConvert($input: LeadConvertInput!) {\n    leadConvert(input: $input) {\n      lead { ...LeadDetails }\n      errors { __typename message path }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LeadMerge($input: LeadMergeInput!) {\n    leadMerge(input: $input) {\n      lead { ...LeadDetails }\n      errors { __typename message path }\n    }\n  }\n"): (typeof documents)["\n  mutation LeadMerge($input: LeadMergeInput!) {\n    leadMerge(input: $input) {\n      lead { ...LeadDetails }\n      errors { __typename message path }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrganizationList($filter: OrganizationFilter, $orderBy: OrganizationOrder, $after: String) {\n    organizations(first: 50, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id name industry country size lifecycleStage updatedAt owner { name } } }\n    }\n  }\n"): (typeof documents)["\n  query OrganizationList($filter: OrganizationFilter, $orderBy: OrganizationOrder, $after: String) {\n    organizations(first: 50, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id name industry country size lifecycleStage updatedAt owner { name } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ContactList($filter: ContactFilter, $orderBy: ContactOrder, $after: String) {\n    contacts(first: 50, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id firstName lastName title emails lifecycleStage updatedAt organization { id name } } }\n    }\n  }\n"): (typeof documents)["\n  query ContactList($filter: ContactFilter, $orderBy: ContactOrder, $after: String) {\n    contacts(first: 50, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id firstName lastName title emails lifecycleStage updatedAt organization { id name } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OpportunityList($filter: OpportunityFilter, $orderBy: OpportunityOrder, $after: String) {\n    opportunities(first: 50, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id name amount currency status expectedCloseDate stage { name } owner { name } organization { id name } } }\n    }\n  }\n"): (typeof documents)["\n  query OpportunityList($filter: OpportunityFilter, $orderBy: OpportunityOrder, $after: String) {\n    opportunities(first: 50, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id name amount currency status expectedCloseDate stage { name } owner { name } organization { id name } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query QuoteList($opportunityId: ID!) {\n    node(id: $opportunityId) {\n      __typename\n      ... on Opportunity { id name currency organization { id name } }\n    }\n    quotes(first: 50, filter: { opportunity: [$opportunityId] }, orderBy: { field: CREATED_AT, direction: DESC }) {\n      edges { node { id number revision name status currency grandTotal validUntil isPrimary } }\n    }\n  }\n"): (typeof documents)["\n  query QuoteList($opportunityId: ID!) {\n    node(id: $opportunityId) {\n      __typename\n      ... on Opportunity { id name currency organization { id name } }\n    }\n    quotes(first: 50, filter: { opportunity: [$opportunityId] }, orderBy: { field: CREATED_AT, direction: DESC }) {\n      edges { node { id number revision name status currency grandTotal validUntil isPrimary } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment QuoteEditor on Quote {\n    id\n    version\n    number\n    revision\n    name\n    status\n    currency\n    validUntil\n    subtotal\n    discountTotal\n    netTotal\n    taxTotal\n    grandTotal\n    maxDiscountPercent\n    opportunity { id name organization { id name } }\n    priceBook { id name }\n    lines(first: 100, orderBy: { field: POSITION }) {\n      edges {\n        node {\n          id version position description quantity listPrice unitPrice priceOverridden\n          discountPercent taxRate netAmount taxAmount total\n          product { id sku name }\n        }\n      }\n    }\n    approvalRequests(first: 10) { edges { node { id status reason comment } } }\n  }\n"): (typeof documents)["\n  fragment QuoteEditor on Quote {\n    id\n    version\n    number\n    revision\n    name\n    status\n    currency\n    validUntil\n    subtotal\n    discountTotal\n    netTotal\n    taxTotal\n    grandTotal\n    maxDiscountPercent\n    opportunity { id name organization { id name } }\n    priceBook { id name }\n    lines(first: 100, orderBy: { field: POSITION }) {\n      edges {\n        node {\n          id version position description quantity listPrice unitPrice priceOverridden\n          discountPercent taxRate netAmount taxAmount total\n          product { id sku name }\n        }\n      }\n    }\n    approvalRequests(first: 10) { edges { node { id status reason comment } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Quote($id: ID!) {\n    node(id: $id) { __typename ... on Quote { ...QuoteEditor } }\n    viewer { id roles }\n    products(first: 100, filter: { active: [true] }, orderBy: { field: NAME }) {\n      edges { node { id sku name prices(first: 10) { edges { node { listPrice priceBook { id currency isDefault } } } } } }\n    }\n  }\n"): (typeof documents)["\n  query Quote($id: ID!) {\n    node(id: $id) { __typename ... on Quote { ...QuoteEditor } }\n    viewer { id roles }\n    products(first: 100, filter: { active: [true] }, orderBy: { field: NAME }) {\n      edges { node { id sku name prices(first: 10) { edges { node { listPrice priceBook { id currency isDefault } } } } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query QuoteDocument($id: ID!) {\n    quoteDocument(id: $id) { html pdfBase64 filename contentType templateError }\n  }\n"): (typeof documents)["\n  query QuoteDocument($id: ID!) {\n    quoteDocument(id: $id) { html pdfBase64 filename contentType templateError }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation QuoteCreate($input: QuoteCreateInput!) {\n    quoteCreate(input: $input) { quote { id } errors { __typename message path } }\n  }\n"): (typeof documents)["\n  mutation QuoteCreate($input: QuoteCreateInput!) {\n    quoteCreate(input: $input) { quote { id } errors { __typename message path } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation QuoteLineAdd($input: QuoteLineAddInput!) {\n    quoteLineAdd(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }\n  }\n"): (typeof documents)["\n  mutation QuoteLineAdd($input: QuoteLineAddInput!) {\n    quoteLineAdd(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation QuoteLineUpdate($input: QuoteLineUpdateInput!) {\n    quoteLineUpdate(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }\n  }\n"): (typeof documents)["\n  mutation QuoteLineUpdate($input: QuoteLineUpdateInput!) {\n    quoteLineUpdate(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation QuoteLineRemove($input: QuoteLineRemoveInput!) {\n    quoteLineRemove(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }\n  }\n"): (typeof documents)["\n  mutation QuoteLineRemove($input: QuoteLineRemoveInput!) {\n    quoteLineRemove(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation QuoteSubmit($input: QuoteActionInput!) {\n    quoteSubmit(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }\n  }\n"): (typeof documents)["\n  mutation QuoteSubmit($input: QuoteActionInput!) {\n    quoteSubmit(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation QuoteApprove($input: QuoteDecisionInput!) {\n    quoteApprove(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }\n  }\n"): (typeof documents)["\n  mutation QuoteApprove($input: QuoteDecisionInput!) {\n    quoteApprove(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation QuoteReject($input: QuoteDecisionInput!) {\n    quoteReject(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }\n  }\n"): (typeof documents)["\n  mutation QuoteReject($input: QuoteDecisionInput!) {\n    quoteReject(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation QuoteSend($input: QuoteActionInput!) {\n    quoteSend(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }\n  }\n"): (typeof documents)["\n  mutation QuoteSend($input: QuoteActionInput!) {\n    quoteSend(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation QuoteAccept($input: QuoteActionInput!) {\n    quoteAccept(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }\n  }\n"): (typeof documents)["\n  mutation QuoteAccept($input: QuoteActionInput!) {\n    quoteAccept(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;