// Danish first, English available; the text lives in the JSON files beside this one.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import da from './da.json';
import en from './en.json';

export const LANGUAGES = ['da', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'exit-pathways.language';

function storedLanguage(): Language {
  const stored = window.localStorage.getItem(STORAGE_KEY);
  return stored === 'en' ? 'en' : 'da';
}

export function setLanguage(language: Language): void {
  window.localStorage.setItem(STORAGE_KEY, language);
  document.documentElement.lang = language;
  void i18next.changeLanguage(language);
}

export function initI18n(): typeof i18next {
  const lng = storedLanguage();
  document.documentElement.lang = lng;
  void i18next.use(initReactI18next).init({
    resources: { da: { translation: da }, en: { translation: en } },
    lng,
    fallbackLng: 'da',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return i18next;
}
