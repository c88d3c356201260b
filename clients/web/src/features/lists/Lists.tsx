import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { ErrorNote, Loading } from '../../components/Status';
import type {
  ContactOrderField, LifecycleStage, OpportunityOrderField, OpportunityStatus, OrganizationOrderField,
} from '../../gql/graphql';
import { formatDate, formatDateTime, formatMoney, formatNumber } from '../../lib/format';
import { fatalError, forbiddenRoot } from '../../lib/hidden';
import { Link } from '../../lib/router';
import { useSession } from '../../lib/session';
import { ContactListQuery, OpportunityListQuery, OrganizationListQuery } from './documents';
import { ListTable, type Column } from './ListTable';
import { deleteView, loadViews, saveView, type ListState, type SavedView } from './views';

const LIFECYCLE: LifecycleStage[] = ['LEAD', 'PROSPECT', 'NEW', 'ACTIVE', 'LOYAL', 'CHURNED'];
const STATUS: OpportunityStatus[] = ['OPEN', 'WON', 'LOST'];
const KINDS = {
  organizations: { fields: ['NAME', 'SIZE', 'CREATED_AT', 'UPDATED_AT'] satisfies OrganizationOrderField[], choices: LIFECYCLE, choiceLabel: 'lists.stage' },
  contacts: { fields: ['NAME', 'CREATED_AT', 'UPDATED_AT'] satisfies ContactOrderField[], choices: LIFECYCLE, choiceLabel: 'lists.stage' },
  opportunities: { fields: ['NAME', 'AMOUNT', 'EXPECTED_CLOSE_DATE', 'CREATED_AT', 'UPDATED_AT'] satisfies OpportunityOrderField[], choices: STATUS, choiceLabel: 'lists.status' },
} as const;
type Kind = keyof typeof KINDS;
const INITIAL: ListState = { search: '', choice: '', field: 'NAME', direction: 'ASC' };

function Problem({ error }: { error: Parameters<typeof fatalError>[0] }) {
  const { t } = useTranslation();
  if (forbiddenRoot(error)) return <p className="muted" data-testid="forbidden">{t('common.forbidden')}</p>;
  const message = fatalError(error);
  return message ? <ErrorNote message={message} /> : null;
}

function Organizations({ state }: { state: ListState }) {
  const [after, setAfter] = useState<string | null>(null);
  const { t, i18n } = useTranslation();
  const { timeZone } = useSession();
  const [result] = useQuery({
    query: OrganizationListQuery,
    variables: {
      filter: { search: state.search || null, lifecycleStage: state.choice ? [state.choice as LifecycleStage] : null },
      orderBy: { field: state.field as OrganizationOrderField, direction: state.direction },
      after,
    },
  });
  type Row = NonNullable<typeof result.data>['organizations']['edges'][number]['node'];
  const columns: Column<Row>[] = [
    { key: 'name', text: (r) => r.name, link: (r) => `/organizations/${r.id}` },
    { key: 'industry', text: (r) => r.industry ?? '' },
    { key: 'country', text: (r) => r.country ?? '' },
    { key: 'size', text: (r) => (r.size == null ? '' : formatNumber(r.size, i18n.language)) },
    { key: 'lifecycleStage', text: (r) => t(`lifecycle.${r.lifecycleStage}`) },
    { key: 'owner', text: (r) => r.owner?.name ?? '', guarded: 'owner' },
    { key: 'updatedAt', text: (r) => formatDateTime(r.updatedAt, i18n.language, timeZone) },
  ];
  const data = result.data?.organizations;
  if (!data) return result.error ? <Problem error={result.error} /> : <Loading />;
  return (
    <ListTable kind="organizations" columns={columns} rows={data.edges.map((e) => e.node)} total={data.totalCount}
      hasMore={data.pageInfo.hasNextPage} onMore={() => setAfter(data.pageInfo.endCursor ?? null)} />
  );
}

function Contacts({ state }: { state: ListState }) {
  const [after, setAfter] = useState<string | null>(null);
  const { t, i18n } = useTranslation();
  const { timeZone } = useSession();
  const [result] = useQuery({
    query: ContactListQuery,
    variables: {
      filter: { search: state.search || null, lifecycleStage: state.choice ? [state.choice as LifecycleStage] : null },
      orderBy: { field: state.field as ContactOrderField, direction: state.direction },
      after,
    },
  });
  type Row = NonNullable<typeof result.data>['contacts']['edges'][number]['node'];
  const columns: Column<Row>[] = [
    { key: 'name', text: (r) => `${r.firstName} ${r.lastName}` },
    { key: 'title', text: (r) => r.title ?? '' },
    { key: 'email', text: (r) => r.emails?.join(', ') ?? '', guarded: 'emails' },
    { key: 'organization', text: (r) => r.organization?.name ?? '', link: (r) => (r.organization ? `/organizations/${r.organization.id}` : null) },
    { key: 'lifecycleStage', text: (r) => t(`lifecycle.${r.lifecycleStage}`) },
    { key: 'updatedAt', text: (r) => formatDateTime(r.updatedAt, i18n.language, timeZone) },
  ];
  const data = result.data?.contacts;
  if (!data) return result.error ? <Problem error={result.error} /> : <Loading />;
  return (
    <ListTable kind="contacts" columns={columns} rows={data.edges.map((e) => e.node)} total={data.totalCount}
      hasMore={data.pageInfo.hasNextPage} onMore={() => setAfter(data.pageInfo.endCursor ?? null)} />
  );
}

function Opportunities({ state }: { state: ListState }) {
  const [after, setAfter] = useState<string | null>(null);
  const { t, i18n } = useTranslation();
  const [result] = useQuery({
    query: OpportunityListQuery,
    variables: {
      filter: { search: state.search || null, status: state.choice ? [state.choice as OpportunityStatus] : null },
      orderBy: { field: state.field as OpportunityOrderField, direction: state.direction },
      after,
    },
  });
  type Row = NonNullable<typeof result.data>['opportunities']['edges'][number]['node'];
  const columns: Column<Row>[] = [
    { key: 'name', text: (r) => r.name },
    { key: 'organization', text: (r) => r.organization?.name ?? '', link: (r) => (r.organization ? `/organizations/${r.organization.id}` : null) },
    { key: 'amount', text: (r) => formatMoney(r.amount, r.currency, i18n.language), guarded: 'amount' },
    { key: 'stage', text: (r) => r.stage?.name ?? '' },
    { key: 'status', text: (r) => t(`status.${r.status}`) },
    { key: 'expectedCloseDate', text: (r) => formatDate(r.expectedCloseDate, i18n.language) },
    { key: 'owner', text: (r) => r.owner?.name ?? '' },
  ];
  const data = result.data?.opportunities;
  if (!data) return result.error ? <Problem error={result.error} /> : <Loading />;
  return (
    <ListTable kind="opportunities" columns={columns} rows={data.edges.map((e) => e.node)} total={data.totalCount}
      hasMore={data.pageInfo.hasNextPage} onMore={() => setAfter(data.pageInfo.endCursor ?? null)} />
  );
}

export function Lists({ kind: wanted }: { kind: string }) {
  const { t } = useTranslation();
  const kind: Kind = wanted in KINDS ? (wanted as Kind) : 'organizations';
  const config = KINDS[kind];
  const [state, setState] = useState<ListState>(INITIAL);
  const [draftSearch, setDraftSearch] = useState('');
  const [views, setViews] = useState<SavedView[]>(() => loadViews(kind));
  const [viewName, setViewName] = useState('');

  useEffect(() => {
    setState(INITIAL);
    setDraftSearch('');
    setViews(loadViews(kind));
  }, [kind]);
  // Search as one types, once typing pauses.
  useEffect(() => {
    const timer = setTimeout(() => setState((s) => (s.search === draftSearch ? s : { ...s, search: draftSearch })), 300);
    return () => clearTimeout(timer);
  }, [draftSearch]);

  const apply = (view: ListState) => {
    setState({ search: view.search, choice: view.choice, field: view.field, direction: view.direction });
    setDraftSearch(view.search);
  };
  // A new search, filter or sort starts again from the first page.
  const key = JSON.stringify(state);
  return (
    <section>
      <div className="toolbar">
        <h1>{t(`nav.${kind}`)}</h1>
        <nav aria-label={t('nav.lists')} className="toolbar">
          {(Object.keys(KINDS) as Kind[]).map((k) => (
            <Link key={k} to={`/lists/${k}`} aria-current={k === kind ? 'page' : undefined}>{t(`nav.${k}`)}</Link>
          ))}
        </nav>
      </div>
      <div className="toolbar">
        <label className="inline">
          <span>{t('lists.search')}</span>
          <input type="search" value={draftSearch} onChange={(e) => setDraftSearch(e.target.value)} />
        </label>
        <label className="inline">
          <span>{t(config.choiceLabel)}</span>
          <select value={state.choice} onChange={(e) => setState({ ...state, choice: e.target.value })}>
            <option value="">{t('common.all')}</option>
            {config.choices.map((c) => <option key={c} value={c}>{kind === 'opportunities' ? t(`status.${c}`) : t(`lifecycle.${c}`)}</option>)}
          </select>
        </label>
        <label className="inline">
          <span>{t('lists.sort')}</span>
          <select aria-label={t('lists.sort')} value={state.field} onChange={(e) => setState({ ...state, field: e.target.value })}>
            {config.fields.map((f) => <option key={f} value={f}>{t(`lists.order.${f}`)}</option>)}
          </select>
        </label>
        <select aria-label={t('lists.direction')} value={state.direction} onChange={(e) => setState({ ...state, direction: e.target.value === 'DESC' ? 'DESC' : 'ASC' })}>
          <option value="ASC">{t('lists.asc')}</option>
          <option value="DESC">{t('lists.desc')}</option>
        </select>
      </div>
      <div className="toolbar">
        <label className="inline">
          <span>{t('lists.views')}</span>
          <select value="" onChange={(e) => { const v = views.find((x) => x.name === e.target.value); if (v) apply(v); }}>
            <option value="">—</option>
            {views.map((v) => <option key={v.name} value={v.name}>{v.name}</option>)}
          </select>
        </label>
        <form className="inline" onSubmit={(e) => { e.preventDefault(); if (viewName.trim()) { setViews(saveView(kind, { ...state, name: viewName.trim() })); setViewName(''); } }}>
          <input aria-label={t('lists.viewName')} placeholder={t('lists.viewName')} value={viewName} onChange={(e) => setViewName(e.target.value)} />
          <button type="submit">{t('lists.saveView')}</button>
        </form>
        {views.map((v) => (
          <button key={v.name} type="button" className="link" onClick={() => setViews(deleteView(kind, v.name))} aria-label={`${t('lists.deleteView')} ${v.name}`}>
            ✕ {v.name}
          </button>
        ))}
      </div>
      {kind === 'organizations' && <Organizations key={key} state={state} />}
      {kind === 'contacts' && <Contacts key={key} state={state} />}
      {kind === 'opportunities' && <Opportunities key={key} state={state} />}
    </section>
  );
}
