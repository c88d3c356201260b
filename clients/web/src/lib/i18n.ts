// One i18n library for every string: the language follows the user's choice (kept in
// localStorage) or else the browser's.
import i18n from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import en from '../locales/en';
import zh from '../locales/zh-CN';

export const LANGUAGES = [
  { code: 'en', label: 'English' },
  { code: 'zh-CN', label: '简体中文' },
] as const;

export function setupI18n(lng?: string): typeof i18n {
  if (!i18n.isInitialized) {
    void i18n
      .use(LanguageDetector)
      .use(initReactI18next)
      .init({
        resources: { en: { translation: en }, 'zh-CN': { translation: zh } },
        lng,
        fallbackLng: { zh: ['zh-CN'], default: ['en'] },
        supportedLngs: ['en', 'zh-CN'],
        nonExplicitSupportedLngs: false,
        load: 'currentOnly',
        interpolation: { escapeValue: false }, // React escapes
        detection: { order: ['localStorage', 'navigator'], lookupLocalStorage: 'crm.language', caches: ['localStorage'] },
        initAsync: false,
        showSupportNotice: false,
      });
    const sync = (language: string) => {
      document.documentElement.lang = language;
    };
    sync(i18n.language);
    i18n.on('languageChanged', sync);
  }
  return i18n;
}

export default i18n;
