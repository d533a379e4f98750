/** The languages of the interface. Dutch first: it is the default. */
export const LOCALES = ['nl', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const DEFAULT_LOCALE: Locale = 'nl';

/** Where the chosen language is remembered (localStorage). */
export const LOCALE_STORAGE_KEY = 'buurtkracht.locale';

/**
 * Each language's own name, shown in the language switch. Deliberately not
 * translated: people look for the name of their own language.
 */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = {
  nl: 'Nederlands',
  en: 'English',
};

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The language to start with: the remembered choice when there is one,
 * otherwise English only for browsers set to English, Dutch for everybody else.
 */
export function initialLocale(stored: string | null | undefined, browserLanguage: string | null | undefined): Locale {
  if (isLocale(stored)) return stored;
  if (browserLanguage && browserLanguage.trim().toLowerCase().startsWith('en')) return 'en';
  return DEFAULT_LOCALE;
}
