import { useTranslation } from 'react-i18next';
import { LANGUAGES } from '../lib/i18n';

export function LanguagePicker() {
  const { t, i18n } = useTranslation();
  return (
    <label className="inline">
      <span>{t('app.language')}</span>
      <select value={i18n.language} onChange={(e) => void i18n.changeLanguage(e.target.value)} data-testid="language">
        {LANGUAGES.map((l) => <option key={l.code} value={l.code}>{l.label}</option>)}
      </select>
    </label>
  );
}
