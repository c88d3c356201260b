// The urql client: a normalized cache (Graphcache, schema-aware from schema.graphql),
// HTTP for queries and mutations, graphql-ws for subscriptions.
import { cacheExchange, type Cache, type KeyingConfig } from '@urql/exchange-graphcache';
import { relayPagination } from '@urql/exchange-graphcache/extras';
import { createClient as createWSClient } from 'graphql-ws';
import { Client, fetchExchange, subscriptionExchange } from 'urql';
import schema from '../gql/introspection';
import { forbiddenFieldsExchange } from './hidden';

/** Types without an `id` are embedded in their parent (connections, payloads, page info). */
export function embeddedTypes(): KeyingConfig {
  const keys: KeyingConfig = {};
  for (const type of schema.__schema.types) {
    if (type.kind !== 'OBJECT' || type.name.startsWith('__')) continue;
    const fields = 'fields' in type && Array.isArray(type.fields) ? type.fields : [];
    if (!fields.some((field: { name: string }) => field.name === 'id')) keys[type.name] = () => null;
  }
  return keys;
}

/** Drops every cached page of `field` on a record so it is fetched again. */
export function invalidateField(cache: Cache, entity: { __typename: string; id: string }, field: string): void {
  for (const info of cache.inspectFields(entity)) {
    if (info.fieldName === field) cache.invalidate(entity, info.fieldKey);
  }
}

/** Drops every cached variant of a root field (all its argument sets). */
function invalidateQueryField(cache: Cache, field: string): void {
  for (const info of cache.inspectFields('Query')) {
    if (info.fieldName === field) cache.invalidate('Query', info.fieldKey);
  }
}

export function createClient(token: string, onUnauthenticated: () => void): Client {
  const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
  const ws = createWSClient({
    url: wsUrl,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: Infinity,
    shouldRetry: () => true,
  });
  const cache = cacheExchange({
    schema,
    keys: embeddedTypes(),
    resolvers: {
      // Timelines and lists grow as one scrolls: pages merge into one connection.
      Organization: { interactions: relayPagination() },
      Contact: { interactions: relayPagination() },
      Query: { opportunities: relayPagination(), organizations: relayPagination(), contacts: relayPagination(), leads: relayPagination() },
    },
    updates: {
      Mutation: {
        interactionLog(result, _args, cache) {
          const payload = result.interactionLog as { interaction?: { organization?: { id: string } | null } | null };
          const org = payload.interaction?.organization;
          if (org) invalidateField(cache, { __typename: 'Organization', id: org.id }, 'interactions');
        },
        taskCreate(_result, _args, cache) {
          cache.invalidate('Query', 'tasks');
        },
        // A new, merged or converted lead changes the lead list and the duplicate candidates.
        leadCreate(_result, _args, cache) {
          invalidateQueryField(cache, 'leads');
        },
        leadUpdate(_result, _args, cache) {
          invalidateQueryField(cache, 'leadDuplicates');
        },
        leadMerge(_result, _args, cache) {
          invalidateQueryField(cache, 'leads');
          invalidateQueryField(cache, 'leadDuplicates');
        },
        leadConvert(result, _args, cache) {
          const payload = result.leadConvert as { lead?: { convertedOrganization?: { id: string } | null } | null };
          const org = payload.lead?.convertedOrganization;
          if (org) {
            for (const field of ['contacts', 'opportunities', 'interactions', 'tasks']) invalidateField(cache, { __typename: 'Organization', id: org.id }, field);
          }
          for (const field of ['leads', 'leadDuplicates', 'opportunities', 'contacts', 'organizations']) invalidateQueryField(cache, field);
        },
        quoteCreate(_result, _args, cache) {
          invalidateQueryField(cache, 'quotes');
        },
      },
    },
  });
  return new Client({
    url: '/graphql',
    exchanges: [
      cache,
      forbiddenFieldsExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
    // POST with plain JSON answers: the server takes an event-stream Accept header as
    // a subscription over SSE, and queries here never need to be cacheable GETs.
    preferGetMethod: false,
    fetchOptions: () => ({
      headers: { authorization: `Bearer ${token}`, accept: 'application/graphql-response+json, application/json' },
    }),
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      if (response.status === 401) onUnauthenticated();
      return response;
    },
  });
}
