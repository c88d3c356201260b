import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { Provider } from 'urql';
import { Layout } from './components/Layout';
import { ErrorNote, Loading } from './components/Status';
import { Board } from './features/board/Board';
import { Customer360 } from './features/customer/Customer360';
import { Lists } from './features/lists/Lists';
import { LeadPage } from './features/leads/LeadPage';
import { Leads } from './features/leads/Leads';
import { QuoteEditor, QuoteList } from './features/quotes/Quotes';
import { SignIn } from './features/auth/SignIn';
import { fetchConfig, finishOidc, loadSession, saveSession, type AppConfig, type Session } from './lib/auth';
import { createClient } from './lib/client';
import { resetForbidden } from './lib/hidden';
import { match, navigate, useLocation } from './lib/router';
import { SessionContext, storeTimeZone, storedTimeZone } from './lib/session';

// The heavy screens load when first opened.
const GraphView = lazy(() => import('./features/graph/GraphView'));
const Dashboards = lazy(() => import('./features/dashboards/Dashboards'));
const Explorer = lazy(() => import('./features/explorer/Explorer'));

function Screen() {
  const { path, search } = useLocation();
  if (path === '/' || path === '/board') return <Board />;
  const org = match('/organizations/:id', path);
  if (org) return <Customer360 id={org.id} />;
  if (path === '/graph') return <GraphView focus={search.get('focus')} />;
  const list = match('/lists/:kind', path);
  if (list) return <Lists kind={list.kind} />;
  if (path === '/leads') return <Leads />;
  const lead = match('/leads/:id', path);
  if (lead) return <LeadPage key={lead.id} id={lead.id} />;
  const quotes = match('/opportunities/:id/quotes', path);
  if (quotes) return <QuoteList key={quotes.id} opportunityId={quotes.id} />;
  const quote = match('/quotes/:id', path);
  if (quote) return <QuoteEditor key={quote.id} id={quote.id} />;
  if (path === '/dashboards') return <Dashboards />;
  if (path === '/explorer') return <Explorer />;
  return <Board />;
}

export function App() {
  const [config, setConfig] = useState<AppConfig | null>(null);
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const [timeZone, setZone] = useState(storedTimeZone);
  const [error, setError] = useState<string | null>(null);
  const { path } = useLocation();

  useEffect(() => {
    fetchConfig().then(setConfig, (e: unknown) => setError(String(e)));
  }, []);

  const signIn = useCallback((next: Session | null) => {
    saveSession(next);
    resetForbidden();
    setSession(next);
  }, []);

  useEffect(() => {
    if (path !== '/callback' || !config?.oidc) return;
    finishOidc(config.oidc, location.search).then(
      (next) => {
        signIn(next);
        navigate('/board', true);
      },
      (e: unknown) => setError(String(e)),
    );
  }, [path, config, signIn]);

  const client = useMemo(() => (session ? createClient(session.token, () => signIn(null)) : null), [session, signIn]);
  const state = useMemo(
    () => session && {
      session,
      timeZone,
      setTimeZone: (zone: string) => {
        storeTimeZone(zone);
        setZone(zone);
      },
      signOut: () => signIn(null),
    },
    [session, timeZone, signIn],
  );

  if (error) return <ErrorNote message={error} />;
  if (!config) return <Loading />;
  if (!session || !client || !state) return <SignIn config={config} onSignedIn={signIn} />;
  return (
    <SessionContext.Provider value={state}>
      <Provider value={client}>
        <Layout>
          <Suspense fallback={<Loading />}>
            <Screen />
          </Suspense>
        </Layout>
      </Provider>
    </SessionContext.Provider>
  );
}
