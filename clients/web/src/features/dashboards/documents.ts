import { graphql } from '../../gql';

export const DashboardOpportunitiesQuery = graphql(`
  query DashboardOpportunities($filter: OpportunityFilter, $after: String) {
    opportunities(first: 100, after: $after, filter: $filter) {
      pageInfo { hasNextPage endCursor }
      edges { node { id amount currency status closedAt stage { id name position } } }
    }
  }
`);

export const DashboardUsersQuery = graphql(`
  query DashboardUsers {
    users(first: 100, orderBy: { field: NAME }) { edges { node { id name } } }
  }
`);

export const ActivityCountQuery = graphql(`
  query ActivityCount($owner: [ID!], $from: DateTime) {
    interactions(first: 1, filter: { owner: $owner, occurredAt: { from: $from } }) { totalCount }
  }
`);
