import { graphql } from '../../gql';

export const RecordNameFragment = graphql(`
  fragment RecordName on Node {
    __typename
    id
    ... on Organization { name }
    ... on Contact { firstName lastName }
    ... on Opportunity { name }
    ... on User { name }
  }
`);

export const OrganizationDetailsFragment = graphql(`
  fragment OrganizationDetails on Organization {
    id
    name
    kinds
    industry
    region
    country
    website
    size
    lifecycleStage
    tags
    version
    owner { id name }
  }
`);

export const Customer360Query = graphql(`
  query Customer360($id: ID!) {
    node(id: $id) {
      __typename
      ... on Organization {
        ...OrganizationDetails
        contacts(first: 50, orderBy: { field: NAME }) {
          totalCount
          edges { node { id firstName lastName title emails phones } }
        }
        opportunities(first: 50, orderBy: { field: UPDATED_AT, direction: DESC }) {
          totalCount
          edges { node { id name amount currency status stage { name } } }
        }
        tasks(first: 20, filter: { status: [OPEN, IN_PROGRESS] }, orderBy: { field: DUE_AT }) {
          totalCount
          edges { node { id title dueAt status assignee { name } } }
        }
        relationships(first: 50) {
          totalCount
          edges { node { id kind source { ...RecordName } target { ...RecordName } } }
        }
      }
    }
  }
`);

export const TimelineQuery = graphql(`
  query Timeline($id: ID!, $after: String) {
    node(id: $id) {
      ... on Organization {
        id
        interactions(first: 20, after: $after, orderBy: { field: OCCURRED_AT, direction: DESC }) {
          pageInfo { hasNextPage endCursor }
          edges { node { id kind direction subject body occurredAt durationMinutes owner { name } } }
        }
      }
    }
  }
`);

export const OrganizationUpdateMutation = graphql(`
  mutation OrganizationUpdate($input: OrganizationUpdateInput!) {
    organizationUpdate(input: $input) {
      organization { ...OrganizationDetails }
      errors { __typename message path ... on Conflict { currentVersion } }
    }
  }
`);

export const InteractionLogMutation = graphql(`
  mutation InteractionLog($input: InteractionLogInput!) {
    interactionLog(input: $input) {
      interaction { id subject organization { id } }
      errors { __typename message path }
    }
  }
`);
