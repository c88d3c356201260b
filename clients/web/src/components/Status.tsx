import { useTranslation } from 'react-i18next';

export function Loading() {
  const { t } = useTranslation();
  return <p className="muted" role="status">{t('common.loading')}</p>;
}

export function ErrorNote({ message }: { message: string }) {
  const { t } = useTranslation();
  return <p className="error" role="alert">{t('common.error', { message })}</p>;
}
