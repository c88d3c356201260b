import { useEffect, useMemo, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useClient, useMutation, useQuery, useSubscription } from 'urql';
import { FieldValue } from '../../components/Field';
import { ErrorNote, Loading } from '../../components/Status';
import type { BoardCardFragment as Card, OpportunityFilter } from '../../gql/graphql';
import { formatDate, formatMoney, totalsByCurrency } from '../../lib/format';
import { fatalError, forbiddenRoot } from '../../lib/hidden';
import { Link } from '../../lib/router';
import {
  BoardEventsSubscription, BoardOpportunitiesQuery, BoardSetupQuery, MoveStageMutation, OpportunityNowQuery,
} from './documents';

const LIVE_TYPES = ['opportunity.stage_changed', 'opportunity.updated', 'opportunity.won', 'opportunity.lost', 'opportunity.created'];

export interface Stage { id: string; name: string }

/** Cards grouped by the stage they are in now (a live move changes a card's stage in the cache). */
export function groupByStage(cards: readonly Card[], stages: readonly Stage[]): Map<string, Card[]> {
  const columns = new Map<string, Card[]>(stages.map((s) => [s.id, []]));
  for (const card of cards) {
    if (card.stage) columns.get(card.stage.id)?.push(card);
  }
  // Biggest first. Sorted here, not by the API: some roles may not order by amount.
  for (const column of columns.values()) column.sort((a, b) => Number(b.amount ?? -1) - Number(a.amount ?? -1));
  return columns;
}

/** Does a card created elsewhere belong on the board as filtered? */
export function matches(card: Card, filter: OpportunityFilter): boolean {
  if (filter.pipeline && !filter.pipeline.includes(card.pipeline?.id ?? '')) return false;
  if (filter.owner && !filter.owner.includes(card.owner?.id ?? '')) return false;
  const range = filter.expectedCloseDate;
  if (range && (!card.expectedCloseDate || (range.from && card.expectedCloseDate < range.from) || (range.to && card.expectedCloseDate > range.to))) return false;
  return true;
}

export function ColumnTotal({ cards }: { cards: readonly Card[] }) {
  const { t, i18n } = useTranslation();
  const totals = [...totalsByCurrency(cards)].map(([currency, sum]) => formatMoney(String(sum), currency, i18n.language));
  return (
    <p className="column-total" data-testid="column-total">
      {t('board.deals', { count: cards.length })}
      {totals.length > 0 && ` · ${totals.join(' + ')}`}
    </p>
  );
}

interface Notice { kind: 'ok' | 'conflict' | 'error'; text: string }

export function Board() {
  const { t, i18n } = useTranslation();
  const client = useClient();
  const [pipelineId, setPipelineId] = useState<string | null>(null);
  const [owner, setOwner] = useState('');
  const [closeFrom, setCloseFrom] = useState('');
  const [closeTo, setCloseTo] = useState('');
  const [after, setAfter] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [dragOver, setDragOver] = useState<string | null>(null);

  const [setup] = useQuery({ query: BoardSetupQuery });
  const pipelines = setup.data?.pipelines.edges.map((e) => e.node) ?? [];
  const pipeline = pipelines.find((p) => p.id === pipelineId) ?? pipelines.find((p) => p.isDefault) ?? pipelines[0];
  const stages = pipeline?.stages.edges.map((e) => e.node) ?? [];

  const filter = useMemo<OpportunityFilter | null>(() => {
    if (!pipeline) return null;
    return {
      pipeline: [pipeline.id],
      owner: owner ? [owner] : null,
      expectedCloseDate: closeFrom || closeTo ? { from: closeFrom || null, to: closeTo || null } : null,
    };
  }, [pipeline, owner, closeFrom, closeTo]);
  // Opportunities created since the board loaded, from the live events.
  const [arrived, setArrived] = useState<Card[]>([]);
  useEffect(() => {
    setAfter(null);
    setArrived([]);
  }, [filter]);

  const [result] = useQuery({ query: BoardOpportunitiesQuery, variables: { filter, after }, pause: !filter });
  const connection = result.data?.opportunities;
  // Every page, fetched one after another: totals are over the whole column.
  useEffect(() => {
    const next = connection?.pageInfo.endCursor;
    if (connection?.pageInfo.hasNextPage && next && next !== after) setAfter(next);
  }, [connection, after]);

  // Moves and changes update the cached cards themselves; a new card is added here.
  useSubscription({ query: BoardEventsSubscription, variables: { types: LIVE_TYPES } }, (_previous, event) => {
    const record = event.events.record;
    if (event.events.type === 'opportunity.created' && record?.__typename === 'Opportunity' && filter && matches(record, filter)) {
      setArrived((now) => (now.some((c) => c.id === record.id) ? now : [...now, record]));
    }
    return event;
  });
  const [, moveStage] = useMutation(MoveStageMutation);

  const loaded = connection?.edges.map((e) => e.node) ?? [];
  const cards = [...loaded, ...arrived.filter((c) => !loaded.some((l) => l.id === c.id))];
  const columns = groupByStage(cards, stages);

  const move = async (card: Card, stageId: string) => {
    if (card.stage?.id === stageId) return;
    const target = stages.find((s) => s.id === stageId);
    const outcome = await moveStage({ input: { id: card.id, stageId, expectedVersion: card.version } });
    const payload = outcome.data?.opportunityMoveStage;
    const conflict = payload?.errors.find((e) => e.__typename === 'Conflict');
    if (conflict) {
      // Show the newer version instead of overwriting it.
      const now = await client.query(OpportunityNowQuery, { id: card.id }, { requestPolicy: 'network-only' }).toPromise();
      const fresh = now.data?.node && 'version' in now.data.node ? now.data.node : null;
      setNotice({
        kind: 'conflict',
        text: t('board.conflict', {
          name: card.name,
          version: fresh?.version ?? ('currentVersion' in conflict ? conflict.currentVersion : '?'),
          stage: fresh?.stage?.name ?? '?',
        }),
      });
      return;
    }
    const message = outcome.error?.message ?? payload?.errors[0]?.message;
    if (message) setNotice({ kind: 'error', text: t('board.failed', { name: card.name, message }) });
    else setNotice({ kind: 'ok', text: t('board.moved', { name: card.name, stage: target?.name ?? '' }) });
  };

  const drop = (event: DragEvent, stageId: string) => {
    event.preventDefault();
    setDragOver(null);
    const card = cards.find((c) => c.id === event.dataTransfer.getData('text/plain'));
    if (card) void move(card, stageId);
  };

  const problem = fatalError(setup.error) ?? fatalError(result.error);
  const forbidden = forbiddenRoot(result.error);
  const complete = forbidden || (connection && !connection.pageInfo.hasNextPage);
  return (
    <section className="board-page">
      <div className="toolbar">
        <h1>{t('board.title')}</h1>
        <label className="inline">
          <span>{t('board.pipeline')}</span>
          <select value={pipeline?.id ?? ''} onChange={(e) => setPipelineId(e.target.value)}>
            {pipelines.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
          </select>
        </label>
        <label className="inline">
          <span>{t('board.owner')}</span>
          <select value={owner} onChange={(e) => setOwner(e.target.value)} data-testid="owner-filter">
            <option value="">{t('board.anyOwner')}</option>
            {setup.data?.users.edges.map(({ node }) => <option key={node.id} value={node.id}>{node.name}</option>)}
          </select>
        </label>
        <label className="inline">
          <span>{t('board.closeFrom')}</span>
          <input type="date" value={closeFrom} onChange={(e) => setCloseFrom(e.target.value)} />
        </label>
        <label className="inline">
          <span>{t('board.closeTo')}</span>
          <input type="date" value={closeTo} onChange={(e) => setCloseTo(e.target.value)} />
        </label>
      </div>
      {notice && (
        <div className={`notice ${notice.kind}`} role={notice.kind === 'ok' ? 'status' : 'alert'} data-testid="board-notice">
          {notice.text}
          <button type="button" onClick={() => setNotice(null)}>{t('common.close')}</button>
        </div>
      )}
      {problem && <ErrorNote message={problem} />}
      {forbidden && <p className="muted" data-testid="forbidden">{t('common.forbidden')}</p>}
      {(setup.fetching || result.fetching) && !connection && <Loading />}
      <div className="board" data-testid="board" data-count={cards.length} data-complete={complete ? 'yes' : 'no'}>
        {stages.map((stage) => {
          const columnCards = columns.get(stage.id) ?? [];
          return (
            <section
              key={stage.id}
              className={`column${dragOver === stage.id ? ' drop' : ''}`}
              data-testid={`column-${stage.name}`}
              aria-label={stage.name}
              onDragOver={(e) => {
                e.preventDefault();
                setDragOver(stage.id);
              }}
              onDragLeave={() => setDragOver(null)}
              onDrop={(e) => drop(e, stage.id)}
            >
              <h2>{stage.name}</h2>
              <ColumnTotal cards={columnCards} />
              {columnCards.length === 0 && <p className="muted">{t('board.empty')}</p>}
              <ul>
                {columnCards.map((card) => (
                  <li
                    key={card.id}
                    className="card"
                    draggable
                    data-testid="card"
                    data-id={card.id}
                    data-version={card.version}
                    onDragStart={(e) => {
                      e.dataTransfer.setData('text/plain', card.id);
                      e.dataTransfer.effectAllowed = 'move';
                    }}
                  >
                    <strong className="card-name">{card.name}</strong>
                    {card.organization && <Link to={`/organizations/${encodeURIComponent(card.organization.id)}`}>{card.organization.name}</Link>}
                    <span className="card-amount"><FieldValue name="amount" value={formatMoney(card.amount, card.currency, i18n.language)} /></span>
                    <span className="muted card-owner">{card.owner?.name}</span>
                    <Link to={`/opportunities/${encodeURIComponent(card.id)}/quotes`} aria-label={t('quotes.linkFor', { name: card.name })}>{t('quotes.link')}</Link>
                    {card.expectedCloseDate && <span className="muted">{formatDate(card.expectedCloseDate, i18n.language)}</span>}
                    <select
                      aria-label={t('board.moveTo', { name: card.name })}
                      value={stage.id}
                      onChange={(e) => void move(card, e.target.value)}
                    >
                      {stages.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
                    </select>
                  </li>
                ))}
              </ul>
            </section>
          );
        })}
      </div>
    </section>
  );
}
