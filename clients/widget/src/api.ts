// The frame's calls to crm-graph (same origin as the frame), with the embed token.

export class ApiError extends Error {
  constructor(message: string, readonly status: number, readonly code: string) {
    super(message);
  }
}

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

export interface Interaction { id: string; kind: string; subject: string; occurredAt: string }
export interface Opportunity { id: string; name: string; amount: string | null; currency: string; stage: { name: string } | null }
export interface Organization {
  id: string; name: string; industry: string | null; website: string | null;
  opportunities: { totalCount: number; edges: Array<{ node: Opportunity }> };
  interactions?: { edges: Array<{ node: Interaction }> };
}
export interface Contact {
  id: string; firstName: string; lastName: string; title: string | null;
  emails: string[] | null; phones: string[] | null;
  organization: Organization | null;
  interactions: { edges: Array<{ node: Interaction }> };
}

export async function graphql<T>(token: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(new URL("/graphql", window.location.origin), {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json().catch(() => ({}))) as {
    data?: T; errors?: Array<{ message: string; extensions?: { code?: string } }>;
  };
  const first = body.errors?.[0];
  if (!response.ok || first || body.data === undefined) {
    throw new ApiError(first?.message ?? response.statusText, response.status, first?.extensions?.code ?? "ERROR");
  }
  return body.data;
}
