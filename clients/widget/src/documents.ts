// The only documents the frame sends. The build lists them in
// static/widget/documents.json, and crm-graph runs nothing else for a token bound to a
// record (crm_graph.embed), so such a token opens that record and no other.
const RECORD = `
  fragment WidgetOrganization on Organization {
    id name industry website
    opportunities(first: 5, filter: {status: [OPEN]}) {
      totalCount edges { node { id name amount currency stage { name } } }
    }
  }
  fragment WidgetInteractions on Interaction { id kind subject occurredAt }
`;

export const BY_EMAIL = `query WidgetByEmail($email: String!) {
  contacts(first: 1, filter: {search: $email}) { edges { node {
    id firstName lastName title emails phones
    organization { ...WidgetOrganization }
    interactions(first: 5, orderBy: {field: OCCURRED_AT, direction: DESC}) { edges { node { ...WidgetInteractions } } }
  } } }
}${RECORD}`;

export const BY_ID = `query WidgetNode($id: ID!) {
  node(id: $id) {
    __typename
    ... on Contact {
      id firstName lastName title emails phones
      organization { ...WidgetOrganization }
      interactions(first: 5, orderBy: {field: OCCURRED_AT, direction: DESC}) { edges { node { ...WidgetInteractions } } }
    }
    ... on Organization {
      ...WidgetOrganization
      interactions(first: 5, orderBy: {field: OCCURRED_AT, direction: DESC}) { edges { node { ...WidgetInteractions } } }
    }
  }
}${RECORD}`;

export const LOG = `mutation WidgetLog($input: InteractionLogInput!) {
  interactionLog(input: $input) {
    interaction { ...WidgetInteractions }
    errors { __typename message path }
  }
}
fragment WidgetInteractions on Interaction { id kind subject occurredAt }`;

