import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { FieldValue } from '../../components/Field';
import { ErrorNote, Loading } from '../../components/Status';
import type { LeadOrderField, LeadSource, LeadStatus, OrderDirection } from '../../gql/graphql';
import { errorsByField } from '../../lib/errors';
import { formatDateTime, formatNumber } from '../../lib/format';
import { fatalError, forbiddenRoot } from '../../lib/hidden';
import { Link, navigate } from '../../lib/router';
import { useSession } from '../../lib/session';
import { LeadCreateMutation, LeadListQuery } from './documents';

export const LEAD_STATUSES: LeadStatus[] = ['NEW', 'WORKING', 'NURTURING', 'QUALIFIED', 'DISQUALIFIED', 'CONVERTED'];
export const LEAD_SOURCES: LeadSource[] = ['WEB_FORM', 'IMPORT', 'EVENT', 'REFERRAL', 'CAMPAIGN', 'MANUAL'];
const ORDER_FIELDS: LeadOrderField[] = ['SCORE', 'NAME', 'COMPANY', 'CREATED_AT', 'UPDATED_AT'];

export function leadName(lead: { firstName?: string | null; lastName?: string | null; company?: string | null }): string {
  return [lead.firstName, lead.lastName].filter(Boolean).join(' ') || lead.company || '';
}

/** A new lead: names, company, email; saved leads open on their page (duplicates are shown there). */
function NewLead() {
  const { t } = useTranslation();
  const [, create] = useMutation(LeadCreateMutation);
  const [open, setOpen] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim() || null;
    const email = text('email');
    const result = await create({
      input: { firstName: text('firstName'), lastName: text('lastName'), company: text('company'), emails: email ? [email] : [], source: 'MANUAL' },
    });
    const payload = result.data?.leadCreate;
    if (result.error || !payload?.lead) {
      setErrors(payload ? errorsByField(payload.errors) : { '': result.error?.message ?? '' });
      return;
    }
    navigate(`/leads/${encodeURIComponent(payload.lead.id)}`);
  };
  if (!open) return <button type="button" onClick={() => setOpen(true)}>{t('leads.new')}</button>;
  return (
    <form aria-label={t('leads.new')} className="panel stack" onSubmit={submit}>
      {(['firstName', 'lastName', 'company', 'email'] as const).map((name) => (
        <label key={name}>
          <span>{t(`leads.fields.${name}`)}</span>
          <input name={name} type={name === 'email' ? 'email' : 'text'} aria-invalid={errors[name === 'email' ? 'emails' : name] ? true : undefined} />
          {errors[name === 'email' ? 'emails' : name] && <span className="field-error" role="alert">{errors[name === 'email' ? 'emails' : name]}</span>}
        </label>
      ))}
      {errors[''] && <p className="error" role="alert">{errors['']}</p>}
      <div>
        <button type="submit">{t('leads.create')}</button>{' '}
        <button type="button" onClick={() => setOpen(false)}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}

export function Leads() {
  const { t, i18n } = useTranslation();
  const { timeZone } = useSession();
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<LeadStatus | ''>('');
  const [source, setSource] = useState<LeadSource | ''>('');
  const [field, setField] = useState<LeadOrderField>('SCORE');
  const [direction, setDirection] = useState<OrderDirection>('DESC');
  const [after, setAfter] = useState<string | null>(null);
  const [result] = useQuery({
    query: LeadListQuery,
    variables: {
      filter: { search: search || null, status: status ? [status] : null, source: source ? [source] : null },
      orderBy: { field, direction },
      after,
    },
  });
  const data = result.data?.leads;
  const problem = fatalError(result.error);
  return (
    <article>
      <div className="toolbar">
        <h1>{t('leads.title')}</h1>
        <NewLead />
      </div>
      <div className="toolbar filters">
        <label className="inline"><span>{t('lists.search')}</span>
          <input type="search" value={search} onChange={(e) => { setAfter(null); setSearch(e.target.value); }} />
        </label>
        <label className="inline"><span>{t('leads.fields.status')}</span>
          <select value={status} onChange={(e) => { setAfter(null); setStatus(e.target.value as LeadStatus | ''); }}>
            <option value="">{t('common.all')}</option>
            {LEAD_STATUSES.map((s) => <option key={s} value={s}>{t(`leadStatus.${s}`)}</option>)}
          </select>
        </label>
        <label className="inline"><span>{t('leads.fields.source')}</span>
          <select value={source} onChange={(e) => { setAfter(null); setSource(e.target.value as LeadSource | ''); }}>
            <option value="">{t('common.all')}</option>
            {LEAD_SOURCES.map((s) => <option key={s} value={s}>{t(`leadSource.${s}`)}</option>)}
          </select>
        </label>
        <label className="inline"><span>{t('lists.sort')}</span>
          <select value={field} onChange={(e) => { setAfter(null); setField(e.target.value as LeadOrderField); }}>
            {ORDER_FIELDS.map((f) => <option key={f} value={f}>{t(`leads.order.${f}`)}</option>)}
          </select>
        </label>
        <label className="inline"><span>{t('lists.direction')}</span>
          <select value={direction} onChange={(e) => { setAfter(null); setDirection(e.target.value as OrderDirection); }}>
            <option value="ASC">{t('lists.asc')}</option>
            <option value="DESC">{t('lists.desc')}</option>
          </select>
        </label>
      </div>
      {forbiddenRoot(result.error) && <p className="muted" data-testid="forbidden">{t('common.forbidden')}</p>}
      {problem && !forbiddenRoot(result.error) && <ErrorNote message={problem} />}
      {!data && !result.error && <Loading />}
      {data && (
        <>
          <p className="muted">{t('lists.shown', { shown: data.edges.length, total: data.totalCount })}</p>
          <table data-testid="lead-list">
            <thead>
              <tr>
                {(['name', 'company', 'email', 'status', 'source', 'score', 'owner', 'createdAt'] as const).map((c) => <th key={c} scope="col">{t(`leads.fields.${c}`)}</th>)}
              </tr>
            </thead>
            <tbody>
              {data.edges.map(({ node: lead }) => (
                <tr key={lead.id}>
                  <td><Link to={`/leads/${encodeURIComponent(lead.id)}`}>{leadName(lead) || t('common.none')}</Link></td>
                  <td><FieldValue name="company" value={lead.company} /></td>
                  <td><FieldValue name="emails" value={lead.emails?.join(', ')} /></td>
                  <td>{t(`leadStatus.${lead.status}`)}</td>
                  <td>{t(`leadSource.${lead.source}`)}</td>
                  <td className="num">{formatNumber(lead.score, i18n.language)}</td>
                  <td><FieldValue name="owner" value={lead.owner?.name} /></td>
                  <td>{formatDateTime(lead.createdAt, i18n.language, timeZone)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.pageInfo.hasNextPage && <button type="button" onClick={() => setAfter(data.pageInfo.endCursor ?? null)}>{t('common.more')}</button>}
        </>
      )}
    </article>
  );
}
