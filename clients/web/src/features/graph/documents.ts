import { graphql } from '../../gql';

export const GraphEdgeFragment = graphql(`
  fragment GraphEdge on Relationship {
    id
    kind
    source { id }
    target { id }
  }
`);

export const NeighborhoodQuery = graphql(`
  query Neighborhood($id: ID!, $depth: Int!, $kinds: [String!], $after: String) {
    node(id: $id) {
      ...RecordName
      ... on Organization {
        neighbors(depth: $depth, kinds: $kinds, first: 100, after: $after) {
          totalCount
          pageInfo { hasNextPage endCursor }
          edges { distance node { ...RecordName } relationship { ...GraphEdge } }
        }
      }
      ... on Contact {
        neighbors(depth: $depth, kinds: $kinds, first: 100, after: $after) {
          totalCount
          pageInfo { hasNextPage endCursor }
          edges { distance node { ...RecordName } relationship { ...GraphEdge } }
        }
      }
    }
  }
`);

export const GraphSetupQuery = graphql(`
  query GraphSetup {
    relationshipKinds(first: 50) { edges { node { id key label } } }
  }
`);

export const OrganizationSearchQuery = graphql(`
  query OrganizationSearch($search: String!) {
    organizations(first: 10, filter: { search: $search }, orderBy: { field: NAME }) {
      edges { node { id name } }
    }
  }
`);

export const RelationshipPathQuery = graphql(`
  query RelationshipPath($from: ID!, $to: ID!, $kinds: [String!]) {
    relationshipPath(from: $from, to: $to, maxDepth: 4, kinds: $kinds) {
      length
      nodes { ...RecordName }
      edges { ...GraphEdge }
    }
  }
`);
