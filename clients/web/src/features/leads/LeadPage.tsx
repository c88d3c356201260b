import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { FieldValue } from '../../components/Field';
import { ErrorNote, Loading } from '../../components/Status';
import type { LeadDetailsFragment, LeadQuery as LeadQueryResult, LeadStatus, LeadUpdateInput } from '../../gql/graphql';
import { errorsByField } from '../../lib/errors';
import { formatNumber } from '../../lib/format';
import { fatalError } from '../../lib/hidden';
import { Link, navigate } from '../../lib/router';
import { LeadConvertMutation, LeadMergeMutation, LeadQuery, LeadUpdateMutation } from './documents';
import { LEAD_STATUSES, leadName } from './Leads';

type Editable = 'firstName' | 'lastName' | 'company' | 'title' | 'emails' | 'phones' | 'country' | 'status';
const EDITABLE: Editable[] = ['firstName', 'lastName', 'company', 'title', 'emails', 'phones', 'country', 'status'];

/** The update input for one edited field: lists are comma-separated, blanks clear the value. */
export function leadFieldInput(field: Editable, text: string): Partial<LeadUpdateInput> {
  if (field === 'emails' || field === 'phones') return { [field]: text.split(',').map((s) => s.trim()).filter(Boolean) };
  if (field === 'status') return { status: text as LeadStatus };
  return { [field]: text.trim() === '' ? null : text.trim() };
}

function shownValue(lead: LeadDetailsFragment, field: Editable): string | null {
  const value = lead[field];
  if (Array.isArray(value)) return value.join(', ');
  return value == null ? null : String(value);
}

function EditableRow({ lead, field }: { lead: LeadDetailsFragment; field: Editable }) {
  const { t } = useTranslation();
  const [, update] = useMutation(LeadUpdateMutation);
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const label = t(`leads.fields.${field}`);
  const current = shownValue(lead, field);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (draft === null) return;
    const result = await update({ input: { id: lead.id, expectedVersion: lead.version, ...leadFieldInput(field, draft) } });
    const errors = result.data?.leadUpdate.errors ?? [];
    if (result.error || errors.length) {
      const byField = errorsByField(errors);
      setError(byField[field] ?? Object.values(byField)[0] ?? result.error?.message ?? '');
      return;
    }
    setDraft(null);
    setError(null);
  };
  const cancel = () => { setDraft(null); setError(null); };
  return (
    <>
      <dt>{label}</dt>
      <dd data-field={field}>
        {draft === null ? (
          <>
            <FieldValue name={field} value={field === 'status' ? t(`leadStatus.${lead.status}`) : current} />{' '}
            <button type="button" className="link" aria-label={`${t('common.edit')} ${label}`} onClick={() => setDraft(field === 'status' ? lead.status : current ?? '')}>
              {t('common.edit')}
            </button>
          </>
        ) : (
          <form onSubmit={save} className="inline">
            {field === 'status' ? (
              <select aria-label={label} value={draft} onChange={(e) => setDraft(e.target.value)}>
                {LEAD_STATUSES.filter((s) => s !== 'CONVERTED').map((s) => <option key={s} value={s}>{t(`leadStatus.${s}`)}</option>)}
              </select>
            ) : (
              <input aria-label={label} value={draft} autoFocus aria-invalid={error ? true : undefined}
                aria-describedby={error ? `error-${field}` : undefined}
                onChange={(e) => setDraft(e.target.value)} onKeyDown={(e) => { if (e.key === 'Escape') cancel(); }} />
            )}
            <button type="submit">{t('common.save')}</button>
            <button type="button" onClick={cancel}>{t('common.cancel')}</button>
          </form>
        )}
        {error && <span className="field-error" id={`error-${field}`} role="alert">{error}</span>}
      </dd>
    </>
  );
}

type Data = NonNullable<LeadQueryResult>;
type Candidate = Data['leadDuplicates'][number];

function candidateName(c: Candidate['record']): string {
  if (c.__typename === 'Lead') return leadName(c);
  if (c.__typename === 'Contact') return leadName({ firstName: c.contactFirstName, lastName: c.contactLastName });
  return c.id;
}

function Convert({ lead, data }: { lead: LeadDetailsFragment; data: Data }) {
  const { t } = useTranslation();
  const [, convert] = useMutation(LeadConvertMutation);
  const contacts = data.leadDuplicates.flatMap((d) => (d.record.__typename === 'Contact' ? [d.record] : []));
  const organizations = [...new Map(contacts.flatMap((c) => (c.organization ? [[c.organization.id, c.organization] as const] : []))).values()];
  const pipelines = data.pipelines.edges.map((e) => e.node);
  const [organizationId, setOrganizationId] = useState('');
  const [contactId, setContactId] = useState('');
  const [withOpportunity, setWithOpportunity] = useState(false);
  const [pipelineId, setPipelineId] = useState(pipelines.find((p) => p.isDefault)?.id ?? pipelines[0]?.id ?? '');
  const [stageId, setStageId] = useState('');
  const [opportunityName, setOpportunityName] = useState(lead.company ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const stages = pipelines.find((p) => p.id === pipelineId)?.stages.edges.map((e) => e.node) ?? [];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await convert({
      input: {
        id: lead.id,
        expectedVersion: lead.version,
        organizationId: organizationId || null,
        contactId: contactId || null,
        createOpportunity: withOpportunity,
        opportunityName: withOpportunity ? opportunityName || null : null,
        pipelineId: withOpportunity ? pipelineId || null : null,
        stageId: withOpportunity ? stageId || null : null,
      },
    });
    const payload = result.data?.leadConvert;
    const org = payload?.lead?.convertedOrganization;
    if (result.error || !payload || payload.errors.length || !org) {
      setErrors(payload ? errorsByField(payload.errors) : { '': result.error?.message ?? '' });
      return;
    }
    navigate(`/organizations/${encodeURIComponent(org.id)}`);
  };
  const fieldError = (name: string) => errors[name] && <span className="field-error" role="alert">{errors[name]}</span>;

  return (
    <form aria-label={t('leads.convert')} className="stack" onSubmit={submit}>
      <label><span>{t('leads.organization')}</span>
        <select value={organizationId} onChange={(e) => setOrganizationId(e.target.value)}>
          <option value="">{t('leads.createNewOrganization', { name: lead.company ?? '' })}</option>
          {organizations.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
        </select>
        {fieldError('organizationId')}
      </label>
      <label><span>{t('leads.contact')}</span>
        <select value={contactId} onChange={(e) => setContactId(e.target.value)}>
          <option value="">{t('leads.createNewContact')}</option>
          {contacts.map((c) => <option key={c.id} value={c.id}>{candidateName(c)}{c.organization ? ` · ${c.organization.name}` : ''}</option>)}
        </select>
        {fieldError('contactId')}
      </label>
      <label className="inline">
        <input type="checkbox" checked={withOpportunity} onChange={(e) => setWithOpportunity(e.target.checked)} />
        <span>{t('leads.withOpportunity')}</span>
      </label>
      {withOpportunity && (
        <>
          <label><span>{t('leads.opportunityName')}</span>
            <input value={opportunityName} onChange={(e) => setOpportunityName(e.target.value)} />
            {fieldError('opportunityName')}
          </label>
          <label><span>{t('board.pipeline')}</span>
            <select value={pipelineId} onChange={(e) => { setPipelineId(e.target.value); setStageId(''); }}>
              {pipelines.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
            </select>
          </label>
          <label><span>{t('leads.stage')}</span>
            <select value={stageId} onChange={(e) => setStageId(e.target.value)}>
              <option value="">{t('leads.firstStage')}</option>
              {stages.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
            </select>
            {fieldError('stageId')}
          </label>
        </>
      )}
      {(errors[''] || errors.id) && <p className="error" role="alert">{errors[''] || errors.id}</p>}
      <div><button type="submit">{t('leads.convert')}</button></div>
    </form>
  );
}

function Merge({ lead, candidates }: { lead: LeadDetailsFragment; candidates: Candidate[] }) {
  const { t } = useTranslation();
  const [, merge] = useMutation(LeadMergeMutation);
  const leads = candidates.filter((c) => c.record.__typename === 'Lead');
  const [other, setOther] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const mergedId = other.trim();
    if (!mergedId) return;
    const result = await merge({ input: { survivorId: lead.id, mergedId, expectedVersion: lead.version } });
    const errors = result.data?.leadMerge.errors ?? [];
    if (result.error || errors.length) {
      setError(Object.values(errorsByField(errors))[0] ?? result.error?.message ?? '');
      return;
    }
    setError(null);
    setDone(true);
    setOther('');
  };
  return (
    <form aria-label={t('leads.merge')} className="inline" onSubmit={submit}>
      <label className="inline"><span>{t('leads.mergeWith')}</span>
        <select value={other} onChange={(e) => setOther(e.target.value)}>
          <option value="">{t('leads.pickLead')}</option>
          {leads.map((c) => <option key={c.record.id} value={c.record.id}>{candidateName(c.record)}</option>)}
        </select>
      </label>
      <button type="submit" disabled={!other}>{t('leads.merge')}</button>
      {done && <span role="status">{t('leads.merged')}</span>}
      {error && <span className="field-error" role="alert">{error}</span>}
    </form>
  );
}

export function LeadPage({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const [result] = useQuery({ query: LeadQuery, variables: { id } });
  const problem = fatalError(result.error);
  if (problem) return <ErrorNote message={problem} />;
  if (result.fetching && !result.data) return <Loading />;
  const data = result.data;
  const lead = data?.node;
  if (!data || !lead || lead.__typename !== 'Lead') return <p>{t('leads.notFound')}</p>;
  const converted = lead.status === 'CONVERTED';
  return (
    <article>
      <div className="toolbar">
        <h1>{leadName(lead) || t('common.none')}</h1>
        <span className="muted">{t('leads.fields.score')}: {formatNumber(lead.score, i18n.language)} · {t('leads.fields.owner')}: <FieldValue name="owner" value={lead.owner?.name} /></span>
        <Link to="/leads">{t('leads.back')}</Link>
      </div>
      <div className="grid-360">
        <section className="panel" aria-labelledby="lead-details">
          <h2 id="lead-details">{t('customer.details')}</h2>
          <dl className="details">
            {EDITABLE.map((field) => <EditableRow key={field} lead={lead} field={field} />)}
          </dl>
        </section>
        <section className="panel" aria-labelledby="duplicates">
          <h2 id="duplicates">{t('leads.duplicates')} ({data.leadDuplicates.length})</h2>
          <ul>
            {data.leadDuplicates.map((d) => (
              <li key={d.record.id} data-testid="duplicate">
                <span className="muted">{t(`leads.kind.${d.record.__typename === 'Contact' ? 'contact' : 'lead'}`)}</span>{' '}
                {d.record.__typename === 'Lead' ? <Link to={`/leads/${encodeURIComponent(d.record.id)}`}>{candidateName(d.record)}</Link> : candidateName(d.record)}
                {d.record.__typename === 'Contact' && d.record.organization && <> · <Link to={`/organizations/${encodeURIComponent(d.record.organization.id)}`}>{d.record.organization.name}</Link></>}
                <span className="muted"> · {d.reasons.map((r) => t(`leads.reason.${r}`)).join(', ')}</span>
              </li>
            ))}
          </ul>
          {!converted && <Merge lead={lead} candidates={data.leadDuplicates} />}
        </section>
        <section className="panel" aria-labelledby="conversion">
          <h2 id="conversion">{t('leads.convert')}</h2>
          {converted ? (
            <p>{t('leads.convertedTo')} {lead.convertedOrganization ? <Link to={`/organizations/${encodeURIComponent(lead.convertedOrganization.id)}`}>{lead.convertedOrganization.name}</Link> : t('common.none')}</p>
          ) : (
            <Convert lead={lead} data={data} />
          )}
        </section>
      </div>
    </article>
  );
}
