// GraphiQL bundled into the app (Monaco and its workers included), not loaded from a
// CDN, and signed in as the app is: queries, mutations and subscriptions as this user.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { buildSchema } from 'graphql';
import { createClient } from 'graphql-ws';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../lib/session';
// The checked-in schema, not introspection: the server's depth limit (10) refuses
// GraphiQL's introspection query, and docs then work offline too.
import sdl from '../../../../../schema.graphql?raw';

const schema = buildSchema(sdl);

const EXAMPLE = `# Signed in as you: what the API lets you see, it shows here.
query Me {
  viewer { name email roles }
  opportunities(first: 5, orderBy: { field: AMOUNT, direction: DESC }) {
    totalCount
    edges { node { name amount currency stage { name } } }
  }
}
`;

export default function Explorer() {
  const { t } = useTranslation();
  const { session } = useSession();
  const fetcher = useMemo(() => {
    const authorization = `Bearer ${session.token}`;
    const wsClient = createClient({
      url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
      connectionParams: { authorization },
    });
    return createGraphiQLFetcher({ url: '/graphql', headers: { authorization }, wsClient });
  }, [session.token]);
  return (
    <section className="explorer" aria-label={t('explorer.title')} data-testid="explorer">
      <GraphiQL fetcher={fetcher} schema={schema} defaultQuery={EXAMPLE} />
    </section>
  );
}
