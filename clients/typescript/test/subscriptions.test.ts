// Live events over graphql-ws, over SSE, and the fallback from one to the other.
import WebSocket from "ws";
import { beforeAll, describe, expect, inject, it } from "vitest";

import {
  CrmApiError,
  EventsDocument,
  OrganizationCreateDocument,
  createCrmClient,
  unwrap,
  type CrmClient,
} from "../src/index.js";
import { devToken } from "./server.js";

const base = inject("crmUrl");
const url = `${base}/graphql`;
let token: string;

beforeAll(async () => {
  token = await devToken(base, "admin@demo.example");
});

/**
 * Subscribes to organization.created, then creates organizations (one every second,
 * since the subscription may not be listening yet when the first commits) until the
 * event of one of them arrives; returns that event.
 */
async function createdEventArrives(client: CrmClient): Promise<{ recordId: string | null; type: string }> {
  const events = client.subscribe(EventsDocument, { types: ["organization.created"] });
  const created = new Set<string>();
  const pending: Array<Promise<void>> = [];
  const create = (): void => {
    pending.push((async () => {
      const payload = await client.mutate(OrganizationCreateDocument, { input: { name: `Live ${Math.random()}` } });
      created.add(unwrap(payload.organizationCreate).organization!.id);
    })());
  };
  const timer = setInterval(create, 1000);
  create();
  try {
    for await (const value of events) {
      await Promise.all(pending);
      if (value.events.recordId !== null && created.has(value.events.recordId)) return value.events;
    }
    throw new Error("the subscription ended without the event");
  } finally {
    clearInterval(timer);
    await events.return?.();
  }
}

describe("subscriptions", () => {
  it("delivers events over graphql-ws with the token in connectionParams", async () => {
    const client = createCrmClient({ url, token, subscriptions: "ws", webSocketImpl: WebSocket });
    const event = await createdEventArrives(client);
    expect(event.type).toBe("organization.created");
    expect(client.subscriptionTransport).toBe("ws");
    await client.close();
  });

  it("delivers events over GraphQL over SSE", async () => {
    const client = createCrmClient({ url, token, subscriptions: "sse" });
    const event = await createdEventArrives(client);
    expect(event.type).toBe("organization.created");
    expect(client.subscriptionTransport).toBe("sse");
    await client.close();
  });

  it("falls back to SSE when the WebSocket cannot connect", async () => {
    // Nothing listens on port 9 of this host: the socket fails as behind a proxy that drops upgrades.
    const client = createCrmClient({ url, token, wsUrl: "ws://127.0.0.1:9/graphql", webSocketImpl: WebSocket });
    expect(client.subscriptionTransport).toBe("ws");
    const event = await createdEventArrives(client);
    expect(event.type).toBe("organization.created");
    expect(client.subscriptionTransport).toBe("sse");
    await client.close();
  });

  it.each(["ws", "sse"] as const)("over %s, a bad token ends the iteration with UNAUTHENTICATED", async (transport) => {
    const client = createCrmClient({ url, token: "not-a-token", subscriptions: transport, webSocketImpl: WebSocket });
    const events = client.subscribe(EventsDocument, {});
    const error = await events.next().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrmApiError);
    expect((error as CrmApiError).code).toBe("UNAUTHENTICATED");
    await client.close();
  });
});
