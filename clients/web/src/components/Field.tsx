import { useTranslation } from 'react-i18next';
import { useHiddenFields } from '../lib/hidden';

/** A value, or "Hidden" when the field is forbidden to this role, or a dash when empty. */
export function FieldValue({ name, value }: { name: string; value: string | null | undefined }) {
  const { t } = useTranslation();
  const hidden = useHiddenFields();
  if (value == null || value === '') {
    if (hidden.has(name)) {
      return <span className="hidden-field" title={t('common.forbidden')} data-hidden={name}>{t('common.hidden')}</span>;
    }
    return <span className="muted">{t('common.none')}</span>;
  }
  return <>{value}</>;
}
