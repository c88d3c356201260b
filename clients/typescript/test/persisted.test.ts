// Persisted queries: automatic (APQ) against the usual server, and trusted documents
// against a server that runs only the generated manifest.
import { resolve } from "node:path";

import { parse } from "graphql";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import { CrmApiError, ViewerDocument, createCrmClient } from "../src/index.js";
import type { TypedDocumentNode } from "@urql/core";
import { devToken, startServer, type LiveServer } from "./server.js";

type Body = { query?: string; extensions?: { persistedQuery?: { sha256Hash?: string } } };

function recording(): { fetch: typeof fetch; bodies: Body[] } {
  const bodies: Body[] = [];
  return {
    bodies,
    fetch: async (input, init) => {
      if (typeof init?.body === "string") bodies.push(JSON.parse(init.body) as Body);
      return fetch(input, init);
    },
  };
}

describe("automatic persisted queries", () => {
  it("sends the hash alone, the text once when the server asks, then the hash alone again", async () => {
    const base = inject("crmUrl");
    const token = await devToken(base, "admin@demo.example");
    // A document no earlier test sent, so the server does not know its hash yet.
    const document = parse(`query Fresh${Date.now()} { viewer { email } }`) as TypedDocumentNode<
      { viewer: { email: string } | null },
      Record<string, never>
    >;
    const first = recording();
    const client = createCrmClient({ url: `${base}/graphql`, token, fetch: first.fetch });
    expect((await client.query(document, {})).viewer?.email).toBe("admin@demo.example");
    expect(first.bodies).toHaveLength(2);
    expect(first.bodies[0]?.query).toBeUndefined();
    expect(first.bodies[0]?.extensions?.persistedQuery?.sha256Hash).toMatch(/^[0-9a-f]{64}$/);
    expect(first.bodies[1]?.query).toContain("viewer");

    const second = recording();
    const other = createCrmClient({ url: `${base}/graphql`, token, fetch: second.fetch });
    expect((await other.query(document, {})).viewer?.email).toBe("admin@demo.example");
    expect(second.bodies).toHaveLength(1);
    expect(second.bodies[0]?.query).toBeUndefined();
  });
});

describe("trusted documents", () => {
  let server: LiveServer;
  let token: string;

  beforeAll(async () => {
    server = await startServer({
      CRM_TRUSTED_DOCUMENTS_ONLY: "true",
      CRM_TRUSTED_DOCUMENTS: resolve(import.meta.dirname, "../src/gql/persisted-documents.json"),
    }, ["--organizations", "3"]);
    token = await devToken(server.url, "admin@demo.example");
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("a generated document runs by its hash, its text never sent", async () => {
    const { fetch: recorder, bodies } = recording();
    const client = createCrmClient({ url: server.graphql, token, persistedQueries: "trusted", fetch: recorder });
    expect((await client.query(ViewerDocument, {})).viewer?.email).toBe("admin@demo.example");
    expect(bodies).toHaveLength(1);
    expect(bodies[0]?.query).toBeUndefined();
  });

  it("a document outside the manifest is refused with TRUSTED_DOCUMENTS_ONLY", async () => {
    const client = createCrmClient({ url: server.graphql, token, persistedQueries: false });
    const document = parse("{ viewer { id } }") as TypedDocumentNode<{ viewer: { id: string } | null }, Record<string, never>>;
    const error = await client.query(document, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrmApiError);
    expect((error as CrmApiError).code).toBe("TRUSTED_DOCUMENTS_ONLY");
  });
});
