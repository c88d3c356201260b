// The frame's calls to crm-graph (same origin as the frame), with the embed token.
export { BY_EMAIL, BY_ID, LOG } from "./documents.js";

export class ApiError extends Error {
  constructor(message: string, readonly status: number, readonly code: string) {
    super(message);
  }
}

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
