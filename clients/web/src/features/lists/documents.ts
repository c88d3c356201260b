import { graphql } from '../../gql';

export const OrganizationListQuery = graphql(`
  query OrganizationList($filter: OrganizationFilter, $orderBy: OrganizationOrder, $after: String) {
    organizations(first: 50, after: $after, filter: $filter, orderBy: $orderBy) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id name industry country size lifecycleStage updatedAt owner { name } } }
    }
  }
`);

export const ContactListQuery = graphql(`
  query ContactList($filter: ContactFilter, $orderBy: ContactOrder, $after: String) {
    contacts(first: 50, after: $after, filter: $filter, orderBy: $orderBy) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id firstName lastName title emails lifecycleStage updatedAt organization { id name } } }
    }
  }
`);

export const OpportunityListQuery = graphql(`
  query OpportunityList($filter: OpportunityFilter, $orderBy: OpportunityOrder, $after: String) {
    opportunities(first: 50, after: $after, filter: $filter, orderBy: $orderBy) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id name amount currency status expectedCloseDate stage { name } owner { name } organization { id name } } }
    }
  }
`);
