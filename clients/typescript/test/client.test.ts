// The client against a real crm-graph (test/global-setup.ts starts one).
import { beforeAll, describe, expect, inject, it } from "vitest";

import {
  CrmApiError,
  OrganizationCreateDocument,
  OrganizationsPageDocument,
  OrganizationUpdateDocument,
  PayloadError,
  ViewerDocument,
  createCrmClient,
  unwrap,
} from "../src/index.js";
import { devToken } from "./server.js";

const base = inject("crmUrl");
const url = `${base}/graphql`;
let token: string;

/** fetch that records each request's JSON body. */
function recording(): { fetch: typeof fetch; bodies: Array<Record<string, unknown>> } {
  const bodies: Array<Record<string, unknown>> = [];
  return {
    bodies,
    fetch: async (input, init) => {
      if (typeof init?.body === "string") bodies.push(JSON.parse(init.body) as Record<string, unknown>);
      return fetch(input, init);
    },
  };
}

beforeAll(async () => {
  token = await devToken(base, "admin@demo.example");
});

describe("authentication", () => {
  it("sends the token: the viewer is the signed-in user", async () => {
    const client = createCrmClient({ url, token });
    const data = await client.query(ViewerDocument, {});
    expect(data.viewer?.email).toBe("admin@demo.example");
    expect(data.viewer?.roles).toContain("admin");
  });

  it("without a token the API refuses with a typed UNAUTHENTICATED error", async () => {
    const client = createCrmClient({ url });
    const error = await client.query(ViewerDocument, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrmApiError);
    expect((error as CrmApiError).code).toBe("UNAUTHENTICATED");
    expect((error as CrmApiError).status).toBe(401);
  });

  it("a token given as a function is read at each request", async () => {
    let current: string | undefined;
    const client = createCrmClient({ url, token: () => current });
    await expect(client.query(ViewerDocument, {})).rejects.toThrow(CrmApiError);
    current = await devToken(base, "rep1@demo.example");
    expect((await client.query(ViewerDocument, {})).viewer?.email).toBe("rep1@demo.example");
  });
});

describe("paging", () => {
  it("iterates every organization across pages, each once", async () => {
    const { fetch: recorder, bodies } = recording();
    const client = createCrmClient({ url, token, fetch: recorder, persistedQueries: false });
    const total = (await client.query(OrganizationsPageDocument, { first: 1 })).organizations.totalCount;
    bodies.length = 0;
    const names: string[] = [];
    for await (const organization of client.paginate(
      OrganizationsPageDocument, {}, (data) => data.organizations, { pageSize: 7 },
    )) {
      names.push(organization.name);
    }
    expect(total).toBeGreaterThan(7);
    expect(names).toHaveLength(total);
    expect(new Set(names).size).toBe(total);
    expect(bodies).toHaveLength(Math.ceil(total / 7));
  });

  it("stops at the limit without fetching further pages", async () => {
    const { fetch: recorder, bodies } = recording();
    const client = createCrmClient({ url, token, fetch: recorder, persistedQueries: false });
    const seen = [];
    for await (const node of client.paginate(OrganizationsPageDocument, {}, (d) => d.organizations,
      { pageSize: 5, limit: 8 })) seen.push(node.id);
    expect(seen).toHaveLength(8);
    expect(bodies).toHaveLength(2);
  });
});

describe("mutation payload errors", () => {
  it("a refused input is a PayloadError with the typed ValidationError at its field", async () => {
    const client = createCrmClient({ url, token });
    const data = await client.mutate(OrganizationCreateDocument, { input: { name: "" } });
    expect(data.organizationCreate.organization).toBeNull();
    const error = (() => {
      try {
        unwrap(data.organizationCreate);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(PayloadError);
    const validation = (error as PayloadError<(typeof data.organizationCreate.errors)[number]>).ofType("ValidationError");
    expect(validation).toHaveLength(1);
    expect(validation[0]?.path).toEqual(["input", "name"]);
    expect(typeof validation[0]?.code).toBe("string");
    expect((error as PayloadError).forField("name")?.__typename).toBe("ValidationError");
  });

  it("a stale expectedVersion is a Conflict carrying the current version", async () => {
    const client = createCrmClient({ url, token });
    const created = unwrap((await client.mutate(OrganizationCreateDocument, { input: { name: "Conflict Co" } }))
      .organizationCreate).organization!;
    const input = { id: created.id, expectedVersion: created.version, name: "Conflict Co 2" };
    unwrap((await client.mutate(OrganizationUpdateDocument, { input })).organizationUpdate);
    const stale = (await client.mutate(OrganizationUpdateDocument, { input })).organizationUpdate;
    expect(() => unwrap(stale)).toThrow(PayloadError);
    const conflict = stale.errors.find((e) => e.__typename === "Conflict");
    expect(conflict && "currentVersion" in conflict ? conflict.currentVersion : undefined).toBe(created.version + 1);
  });

  it("a successful payload unwraps to the record", async () => {
    const client = createCrmClient({ url, token });
    const payload = unwrap((await client.mutate(OrganizationCreateDocument, { input: { name: "Fine Co" } }))
      .organizationCreate);
    expect(payload.organization?.name).toBe("Fine Co");
  });
});
