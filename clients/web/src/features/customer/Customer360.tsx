import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { FieldValue } from '../../components/Field';
import { ErrorNote, Loading } from '../../components/Status';
import type { RecordNameFragment } from '../../gql/graphql';
import { formatDateTime, formatMoney } from '../../lib/format';
import { fatalError } from '../../lib/hidden';
import { Link } from '../../lib/router';
import { useSession } from '../../lib/session';
import { Details } from './Details';
import { Customer360Query } from './documents';
import { LogInteraction, Timeline } from './Timeline';

export function recordName(record: RecordNameFragment | null | undefined): string {
  if (!record) return '';
  if (record.__typename === 'Contact') return `${record.firstName} ${record.lastName}`;
  return 'name' in record ? record.name : record.id;
}

export function Customer360({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const { timeZone } = useSession();
  const [result] = useQuery({ query: Customer360Query, variables: { id } });
  const problem = fatalError(result.error);
  if (problem) return <ErrorNote message={problem} />;
  if (result.fetching && !result.data) return <Loading />;
  const org = result.data?.node;
  if (!org || org.__typename !== 'Organization') return <p>{t('customer.notFound')}</p>;

  return (
    <article>
      <div className="toolbar">
        <h1>{org.name}</h1>
        <Link to={`/graph?focus=${encodeURIComponent(org.id)}`}>{t('customer.showGraph')}</Link>
      </div>
      <div className="grid-360">
        <section className="panel" aria-labelledby="details">
          <h2 id="details">{t('customer.details')}</h2>
          <Details org={org} />
        </section>
        <section className="panel" aria-labelledby="contacts">
          <h2 id="contacts">{t('customer.contacts')} ({org.contacts.totalCount})</h2>
          <ul>
            {org.contacts.edges.map(({ node: c }) => (
              <li key={c.id} data-testid="contact">
                {c.firstName} {c.lastName}{c.title && <span className="muted"> · {c.title}</span>}
                <div className="muted">
                  <FieldValue name="emails" value={c.emails?.join(', ')} /> · <FieldValue name="phones" value={c.phones?.join(', ')} />
                </div>
              </li>
            ))}
          </ul>
        </section>
        <section className="panel" aria-labelledby="opportunities">
          <h2 id="opportunities">{t('customer.opportunities')} ({org.opportunities.totalCount})</h2>
          <ul>
            {org.opportunities.edges.map(({ node: o }) => (
              <li key={o.id}>
                {o.name} · <FieldValue name="amount" value={formatMoney(o.amount, o.currency, i18n.language)} />{' '}
                <span className="muted">· {o.stage?.name ?? t(`status.${o.status}`)}</span>{' '}
                <Link to={`/opportunities/${encodeURIComponent(o.id)}/quotes`}>{t('quotes.link')}</Link>
              </li>
            ))}
          </ul>
        </section>
        <section className="panel" aria-labelledby="timeline">
          <h2 id="timeline">{t('customer.timeline')}</h2>
          <LogInteraction organizationId={org.id} />
          <Timeline organizationId={org.id} />
        </section>
        <section className="panel" aria-labelledby="tasks">
          <h2 id="tasks">{t('customer.tasks')} ({org.tasks.totalCount})</h2>
          <ul>
            {org.tasks.edges.map(({ node: task }) => (
              <li key={task.id}>
                {task.title} <span className="muted">· {t(`status.${task.status}`)} · {task.dueAt ? t('customer.due', { date: formatDateTime(task.dueAt, i18n.language, timeZone) }) : t('customer.noDue')}</span>
                {task.assignee && <span className="muted"> · {task.assignee.name}</span>}
              </li>
            ))}
          </ul>
        </section>
        <section className="panel" aria-labelledby="relationships">
          <h2 id="relationships">{t('customer.relationships')} ({org.relationships.totalCount})</h2>
          <ul>
            {org.relationships.edges.map(({ node: r }) => {
              const other = r.source?.id === org.id ? r.target : r.source;
              return (
                <li key={r.id}>
                  <span className="muted">{r.kind}</span>{' '}
                  {other?.__typename === 'Organization' ? <Link to={`/organizations/${encodeURIComponent(other.id)}`}>{recordName(other)}</Link> : recordName(other)}
                </li>
              );
            })}
          </ul>
        </section>
      </div>
    </article>
  );
}
