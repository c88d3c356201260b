import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useClient, useQuery } from 'urql';
import { ErrorNote, Loading } from '../../components/Status';
import type { DashboardOpportunitiesQuery as Result, OpportunityFilter } from '../../gql/graphql';
import type { OperationResult } from 'urql';
import { formatNumber, monthOf } from '../../lib/format';
import { fatalError, forbiddenRoot } from '../../lib/hidden';
import { useSession } from '../../lib/session';
import { Chart, type ChartOption } from './Chart';
import { ActivityCountQuery, DashboardOpportunitiesQuery, DashboardUsersQuery } from './documents';

type Opportunity = Result['opportunities']['edges'][number]['node'];
const ACTIVITY_DAYS = 90;

/** Every page of opportunities matching `filter` (the API has no aggregates yet). */
function useAllOpportunities(filter: OpportunityFilter) {
  const client = useClient();
  const [rows, setRows] = useState<Opportunity[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [forbidden, setForbidden] = useState(false);
  const key = JSON.stringify(filter);
  useEffect(() => {
    let live = true;
    (async () => {
      const all: Opportunity[] = [];
      let after: string | null = null;
      for (;;) {
        const result: OperationResult<Result> = await client.query(DashboardOpportunitiesQuery, { filter, after }).toPromise();
        if (!live) return;
        if (forbiddenRoot(result.error)) return setForbidden(true);
        // A field this role may not read (the amount) is null; the rest still counts.
        const problem = fatalError(result.error);
        if (problem || !result.data) return setError(problem ?? 'no data');
        all.push(...result.data.opportunities.edges.map((e) => e.node));
        const page: Result['opportunities']['pageInfo'] = result.data.opportunities.pageInfo;
        if (!page.hasNextPage || !page.endCursor) break;
        after = page.endCursor;
      }
      setRows(all);
    })();
    return () => {
      live = false;
    };
    // `key` stands for `filter`'s content.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, key]);
  return { rows, error, forbidden };
}

/** Amount per stage, one series per currency; the number of deals when amounts are hidden. */
export function pipelineByStage(rows: readonly Opportunity[], dealsLabel: string): { stages: string[]; series: { name: string; data: number[] }[] } {
  const stages = [...new Map(rows.filter((r) => r.stage).map((r) => [r.stage!.name, r.stage!.position])).entries()]
    .sort((a, b) => a[1] - b[1]).map(([name]) => name);
  if (rows.length > 0 && rows.every((r) => r.amount == null)) {
    return { stages, series: [{ name: dealsLabel, data: stages.map((stage) => rows.filter((r) => r.stage?.name === stage).length) }] };
  }
  const currencies = [...new Set(rows.map((r) => r.currency))].sort();
  return {
    stages,
    series: currencies.map((currency) => ({
      name: currency,
      data: stages.map((stage) => rows.filter((r) => r.currency === currency && r.stage?.name === stage).reduce((sum, r) => sum + Number(r.amount ?? 0), 0)),
    })),
  };
}

export function wonLostByMonth(rows: readonly Opportunity[], timeZone: string): { months: string[]; won: number[]; lost: number[] } {
  const closed = rows.filter((r) => r.closedAt);
  const months = [...new Set(closed.map((r) => monthOf(r.closedAt!, timeZone)))].sort().slice(-12);
  const count = (status: string) => months.map((m) => closed.filter((r) => r.status === status && monthOf(r.closedAt!, timeZone) === m).length);
  return { months, won: count('WON'), lost: count('LOST') };
}

function ActivityByRep() {
  const { t, i18n } = useTranslation();
  const client = useClient();
  const [users] = useQuery({ query: DashboardUsersQuery });
  const [counts, setCounts] = useState<{ name: string; count: number }[] | null>(null);
  const from = useMemo(() => new Date(Date.now() - ACTIVITY_DAYS * 86_400_000).toISOString(), []);
  useEffect(() => {
    const people = users.data?.users.edges.map((e) => e.node) ?? [];
    if (!people.length) return;
    Promise.all(people.map(async (u) => {
      const result = await client.query(ActivityCountQuery, { owner: [u.id], from }).toPromise();
      return { name: u.name, count: result.data?.interactions.totalCount ?? 0 };
    })).then((all) => setCounts(all.filter((c) => c.count > 0).sort((a, b) => a.count - b.count)));
  }, [users.data, client, from]);
  if (!counts) return <Loading />;
  const option: ChartOption = {
    tooltip: {},
    grid: { left: 120, right: 16, top: 16, bottom: 24 },
    xAxis: { type: 'value', axisLabel: { formatter: (v: number) => formatNumber(v, i18n.language) } },
    yAxis: { type: 'category', data: counts.map((c) => c.name) },
    series: [{ type: 'bar', name: t('dashboards.interactions'), data: counts.map((c) => c.count) }],
  };
  return <Chart option={option} label={t('dashboards.activity')} testId="chart-activity" />;
}

export default function Dashboards() {
  const { t, i18n } = useTranslation();
  const { timeZone } = useSession();
  const open = useAllOpportunities({ status: ['OPEN'] });
  const closed = useAllOpportunities({ status: ['WON', 'LOST'] });

  const stageOption = useMemo<ChartOption | null>(() => {
    if (!open.rows) return null;
    const { stages, series } = pipelineByStage(open.rows, t('dashboards.deals'));
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 70, right: 16, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: stages },
      yAxis: { type: 'value', axisLabel: { formatter: (v: number) => formatNumber(v, i18n.language) } },
      series: series.map((s) => ({ type: 'bar', stack: 'amount', name: s.name, data: s.data })),
    };
  }, [open.rows, i18n.language, t]);

  const monthOption = useMemo<ChartOption | null>(() => {
    if (!closed.rows) return null;
    const { months, won, lost } = wonLostByMonth(closed.rows, timeZone);
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: months },
      yAxis: { type: 'value' },
      series: [
        { type: 'bar', name: t('dashboards.won'), data: won, itemStyle: { color: '#17794a' } },
        { type: 'bar', name: t('dashboards.lost'), data: lost, itemStyle: { color: '#b42318' } },
      ],
    };
  }, [closed.rows, timeZone, t]);

  const forbidden = open.forbidden || closed.forbidden;
  return (
    <section>
      <h1>{t('dashboards.title')}</h1>
      {(open.error || closed.error) && <ErrorNote message={open.error ?? closed.error ?? ''} />}
      <div className="charts">
        <div className="panel">
          <h2>{t('dashboards.byStage')}</h2>
          {forbidden ? <p className="muted" data-testid="forbidden">{t('common.forbidden')}</p>
            : stageOption ? <Chart option={stageOption} label={t('dashboards.byStage')} testId="chart-stage" /> : <Loading />}
        </div>
        <div className="panel">
          <h2>{t('dashboards.wonLost')}</h2>
          {forbidden ? <p className="muted">{t('common.forbidden')}</p>
            : monthOption ? <Chart option={monthOption} label={t('dashboards.wonLost')} testId="chart-won-lost" /> : <Loading />}
        </div>
        <div className="panel">
          <h2>{t('dashboards.activity')}</h2>
          <ActivityByRep />
        </div>
      </div>
    </section>
  );
}
