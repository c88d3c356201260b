import { graphql } from '../../gql';

export const LeadListQuery = graphql(`
  query LeadList($filter: LeadFilter, $orderBy: LeadOrder, $after: String) {
    leads(first: 50, filter: $filter, orderBy: $orderBy, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id firstName lastName company emails status source score createdAt owner { id name } } }
    }
  }
`);

export const LeadDetailsFragment = graphql(`
  fragment LeadDetails on Lead {
    id
    version
    firstName
    lastName
    company
    title
    emails
    phones
    country
    status
    source
    score
    disqualifiedReason
    convertedAt
    owner { id name }
    convertedOrganization { id name }
    mergedInto { id }
  }
`);

export const LeadQuery = graphql(`
  query Lead($id: ID!) {
    node(id: $id) {
      __typename
      ... on Lead { ...LeadDetails }
    }
    leadDuplicates(id: $id) {
      reasons
      similarity
      record {
        __typename
        id
        ... on Lead { firstName lastName company }
        ... on Contact { contactFirstName: firstName contactLastName: lastName organization { id name } }
      }
    }
    pipelines(first: 20) {
      edges { node { id name isDefault stages(first: 50, orderBy: { field: POSITION }) { edges { node { id name } } } } }
    }
  }
`);

export const LeadCreateMutation = graphql(`
  mutation LeadCreate($input: LeadCreateInput!) {
    leadCreate(input: $input) {
      lead { id }
      errors { __typename message path }
    }
  }
`);

export const LeadUpdateMutation = graphql(`
  mutation LeadUpdate($input: LeadUpdateInput!) {
    leadUpdate(input: $input) {
      lead { ...LeadDetails }
      errors { __typename message path }
    }
  }
`);

export const LeadConvertMutation = graphql(`
  mutation LeadConvert($input: LeadConvertInput!) {
    leadConvert(input: $input) {
      lead { ...LeadDetails }
      errors { __typename message path }
    }
  }
`);

export const LeadMergeMutation = graphql(`
  mutation LeadMerge($input: LeadMergeInput!) {
    leadMerge(input: $input) {
      lead { ...LeadDetails }
      errors { __typename message path }
    }
  }
`);
