import { translate, type MessageArgs, type MessageKey } from './messages';
import { LOCALE_STORAGE_KEY, initialLocale, type Locale } from './locale';

function readStoredLocale(): string | null {
  try {
    return localStorage.getItem(LOCALE_STORAGE_KEY);
  } catch {
    // Storage can be blocked (private mode, strict settings): then we just don't remember.
    return null;
  }
}

/** The current language, shared by the whole app. Reading it in a template makes the template follow it. */
class I18n {
  locale: Locale = $state(initialLocale(readStoredLocale(), typeof navigator === 'undefined' ? null : navigator.language));

  /** Apply the current language to the document; call once at start-up. */
  applyToDocument(): void {
    document.documentElement.lang = this.locale;
  }

  setLocale(locale: Locale): void {
    this.locale = locale;
    this.applyToDocument();
    try {
      localStorage.setItem(LOCALE_STORAGE_KEY, locale);
    } catch {
      // See readStoredLocale.
    }
  }
}

export const i18n = new I18n();

/** Translate a message into the current language. */
export function t<K extends MessageKey>(key: K, ...args: MessageArgs<K>): string {
  return translate(i18n.locale, key, ...args);
}
