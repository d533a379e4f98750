import { describe, expect, it } from 'vitest';
import { dictionaries, translate, type MessageKey } from '../src/lib/i18n/messages';
import { LOCALES, initialLocale } from '../src/lib/i18n/locale';
import { nl } from '../src/lib/i18n/nl';

const keys = Object.keys(nl).sort() as MessageKey[];

describe('the dictionaries', () => {
  it('have exactly the same keys in every language', () => {
    for (const locale of LOCALES) {
      expect(Object.keys(dictionaries[locale]).sort(), locale).toEqual(keys);
    }
  });

  it('have a non-empty text for every key, with the same kind of value and number of arguments', () => {
    for (const key of keys) {
      const reference = nl[key];
      for (const locale of LOCALES) {
        const message = dictionaries[locale][key];
        expect(typeof message, `${locale} ${key}`).toBe(typeof reference);
        if (typeof message === 'function' && typeof reference === 'function') {
          expect(message.length, `${locale} ${key}`).toBe(reference.length);
        } else {
          expect(String(message).trim(), `${locale} ${key}`).not.toBe('');
        }
      }
    }
  });

  it('really translate: no English text is a copy of the Dutch one, except names', () => {
    const same = keys.filter((key) => typeof nl[key] === 'string' && dictionaries.en[key] === nl[key]);
    // "Menu" is the same word in both languages.
    expect(same).toEqual(['app.name', 'layout.menu']);
  });

  it('leave no placeholders unfilled', () => {
    for (const locale of LOCALES) {
      expect(translate(locale, 'home.count', 3)).toMatch(/3/);
      expect(translate(locale, 'app.pageTitle', 'X')).toMatch(/^X .* Buurtkracht$/);
      for (const key of keys) {
        const message = dictionaries[locale][key];
        if (typeof message === 'string') expect(message, `${locale} ${key}`).not.toMatch(/\{|\}|\$\{/);
      }
    }
  });

  it('use singular and plural forms', () => {
    expect(translate('nl', 'neighbourhood.members', 1)).toBe('1 persoon doet mee');
    expect(translate('nl', 'neighbourhood.members', 12)).toBe('12 mensen doen mee');
    expect(translate('en', 'neighbourhood.members', 1)).toBe('1 person takes part');
    expect(translate('en', 'neighbourhood.members', 0)).toBe('0 people take part');
    expect(translate('nl', 'home.count', 1)).toBe('Er is 1 buurt.');
    expect(translate('en', 'home.count', 5)).toBe('There are 5 neighbourhoods.');
    // Counts read naturally.
    expect(translate('nl', 'grievances.cosigns', 12)).toBe('12 buren zeggen: ik ook');
    expect(translate('nl', 'grievances.cosigns', 1)).toBe('1 buur zegt: ik ook');
    expect(translate('nl', 'grievances.cosigns', 0)).toBe('Nog niemand zegt: ik ook');
    expect(translate('en', 'grievances.cosigns', 2)).toBe('2 neighbours say: me too');
    expect(translate('nl', 'counter.left', 5000)).toBe('Nog 5.000 tekens');
    expect(translate('en', 'counter.over', 1)).toBe('1 character too many');
    expect(translate('en', 'grievances.cosigns', 1)).toBe('1 neighbour says: me too');
    expect(translate('nl', 'grievances.comments', 1)).toBe('1 reactie');
    expect(translate('nl', 'grievances.comments', 0)).toBe('0 reacties');
    expect(translate('en', 'grievances.count', 2)).toBe('2 concerns');
  });
});

describe('the first language', () => {
  it('is the remembered choice when there is one', () => {
    expect(initialLocale('en', 'nl-NL')).toBe('en');
    expect(initialLocale('nl', 'en-GB')).toBe('nl');
  });

  it('ignores a remembered value that is not a language of the app', () => {
    expect(initialLocale('de', 'nl-NL')).toBe('nl');
    expect(initialLocale('de', 'en-US')).toBe('en');
  });

  it('is English for browsers set to English, Dutch for all others', () => {
    expect(initialLocale(null, 'en')).toBe('en');
    expect(initialLocale(null, 'en-US')).toBe('en');
    expect(initialLocale(null, 'EN-gb')).toBe('en');
    expect(initialLocale(null, 'nl-BE')).toBe('nl');
    expect(initialLocale(null, 'tr-TR')).toBe('nl');
    expect(initialLocale(null, 'ar')).toBe('nl');
    expect(initialLocale(null, '')).toBe('nl');
    expect(initialLocale(undefined, undefined)).toBe('nl');
  });
});
