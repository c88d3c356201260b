// The operations every integration needs, in the client preset's `graphql()` so codegen
// types them; the package exports the generated ViewerDocument, ViewerQuery, ... (index.ts).
// Apps add their own documents the same way and run codegen over schema.graphql.
import { graphql } from "./gql/index.js";

/** Every mutation payload's `errors`, with the fields each kind of error adds. */
graphql(`
  fragment UserErrorFields on UserError {
    __typename
    message
    path
    ... on ValidationError { code }
    ... on Conflict { currentVersion }
  }
`);

graphql(`
  query Viewer {
    viewer { id email name roles }
  }
`);

graphql(`
  query OrganizationsPage($first: Int, $after: String, $filter: OrganizationFilter) {
    organizations(first: $first, after: $after, filter: $filter, orderBy: { field: NAME }) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id name kinds lifecycleStage version } }
    }
  }
`);

graphql(`
  mutation OrganizationCreate($input: OrganizationCreateInput!) {
    organizationCreate(input: $input) {
      organization { id name kinds version }
      errors { ...UserErrorFields }
    }
  }
`);

graphql(`
  mutation OrganizationUpdate($input: OrganizationUpdateInput!) {
    organizationUpdate(input: $input) {
      organization { id name kinds version }
      errors { ...UserErrorFields }
    }
  }
`);

graphql(`
  mutation InteractionLog($input: InteractionLogInput!) {
    interactionLog(input: $input) {
      interaction { id kind subject occurredAt }
      errors { ...UserErrorFields }
    }
  }
`);

graphql(`
  subscription Events($types: [String!], $after: String) {
    events(types: $types, after: $after) { id type recordType recordId version occurredAt }
  }
`);
