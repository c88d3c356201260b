import { graphql } from '../../gql';

export const BoardCardFragment = graphql(`
  fragment BoardCard on Opportunity {
    id
    name
    amount
    currency
    version
    status
    expectedCloseDate
    stage { id name }
    pipeline { id }
    owner { id name }
    organization { id name }
  }
`);

export const BoardSetupQuery = graphql(`
  query BoardSetup {
    pipelines(first: 20) {
      edges {
        node {
          id
          name
          isDefault
          stages(first: 50, orderBy: { field: POSITION }) {
            edges { node { id name position probability isWon isLost } }
          }
        }
      }
    }
    users(first: 100, orderBy: { field: NAME }) { edges { node { id name roles } } }
  }
`);

export const BoardOpportunitiesQuery = graphql(`
  query BoardOpportunities($filter: OpportunityFilter, $after: String) {
    opportunities(first: 100, after: $after, filter: $filter, orderBy: { field: CREATED_AT }) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { ...BoardCard } }
    }
  }
`);

export const MoveStageMutation = graphql(`
  mutation MoveStage($input: OpportunityMoveStageInput!) {
    opportunityMoveStage(input: $input) {
      opportunity { ...BoardCard }
      errors {
        __typename
        message
        path
        ... on Conflict { currentVersion }
      }
    }
  }
`);

export const OpportunityNowQuery = graphql(`
  query OpportunityNow($id: ID!) {
    node(id: $id) { ... on Opportunity { ...BoardCard } }
  }
`);

export const BoardEventsSubscription = graphql(`
  subscription BoardEvents($types: [String!]) {
    events(types: $types) {
      id
      type
      record { __typename ... on Opportunity { ...BoardCard } }
    }
  }
`);
