import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { FieldValue } from '../../components/Field';
import type { OrganizationDetailsFragment, OrganizationUpdateInput } from '../../gql/graphql';
import { errorsByField } from '../../lib/errors';
import { formatNumber } from '../../lib/format';
import { OrganizationUpdateMutation } from './documents';

type Editable = 'name' | 'industry' | 'region' | 'country' | 'website' | 'size';
const EDITABLE: Editable[] = ['name', 'industry', 'region', 'country', 'website', 'size'];

function toInput(field: Editable, text: string): Partial<OrganizationUpdateInput> {
  if (field === 'size') return { size: text.trim() === '' ? null : Number(text) };
  return { [field]: text };
}

/** One detail, editable in place; a validation error appears under the field. */
function EditableRow({ org, field }: { org: OrganizationDetailsFragment; field: Editable }) {
  const { t, i18n } = useTranslation();
  const [, update] = useMutation(OrganizationUpdateMutation);
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const value = org[field];
  const shown = typeof value === 'number' ? formatNumber(value, i18n.language) : value;
  const label = t(`customer.${field}`);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (draft === null) return;
    const result = await update({ input: { id: org.id, expectedVersion: org.version, ...toInput(field, draft) } });
    const errors = result.data?.organizationUpdate.errors ?? [];
    if (result.error || errors.length) {
      const byField = errorsByField(errors);
      setError(byField[field] ?? Object.values(byField)[0] ?? result.error?.message ?? '');
      return;
    }
    setDraft(null);
    setError(null);
  };

  return (
    <>
      <dt>{label}</dt>
      <dd data-field={field}>
        {draft === null ? (
          <>
            <FieldValue name={field} value={shown == null ? null : String(shown)} />{' '}
            <button type="button" className="link" aria-label={`${t('common.edit')} ${label}`} onClick={() => setDraft(value == null ? '' : String(value))}>
              {t('common.edit')}
            </button>
          </>
        ) : (
          <form onSubmit={save} className="inline">
            <input
              aria-label={label}
              value={draft}
              autoFocus
              inputMode={field === 'size' ? 'numeric' : undefined}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `error-${field}` : undefined}
              onChange={(e) => setDraft(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Escape') {
                  setDraft(null);
                  setError(null);
                }
              }}
            />
            <button type="submit">{t('common.save')}</button>
            <button type="button" onClick={() => { setDraft(null); setError(null); }}>{t('common.cancel')}</button>
          </form>
        )}
        {error && <span className="field-error" id={`error-${field}`} role="alert">{error}</span>}
      </dd>
    </>
  );
}

export function Details({ org }: { org: OrganizationDetailsFragment }) {
  const { t } = useTranslation();
  return (
    <dl className="details">
      {EDITABLE.map((field) => <EditableRow key={field} org={org} field={field} />)}
      <dt>{t('customer.lifecycleStage')}</dt>
      <dd>{t(`lifecycle.${org.lifecycleStage}`)}</dd>
      <dt>{t('customer.kinds')}</dt>
      <dd>{org.kinds.map((k) => t(`orgKinds.${k}`)).join(', ') || t('common.none')}</dd>
      <dt>{t('customer.owner')}</dt>
      <dd><FieldValue name="owner" value={org.owner?.name} /></dd>
      <dt>{t('customer.tags')}</dt>
      <dd>{org.tags.join(', ') || t('common.none')}</dd>
    </dl>
  );
}
