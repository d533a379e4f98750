import { nl } from './nl';
import { en } from './en';
import type { Locale } from './locale';

/**
 * The shape every dictionary must have: the keys of the Dutch one, with the
 * same kind of value (a string, or a function with the same arguments).
 * Typing `en` as `Messages` makes a missing or extra key a type error.
 */
export type Messages = typeof nl;
export type MessageKey = keyof Messages;

/** The arguments a message needs: none for plain strings. */
export type MessageArgs<K extends MessageKey> = Messages[K] extends (...args: infer A) => string ? A : [];

export const dictionaries: Readonly<Record<Locale, Messages>> = { nl, en };

export function translate<K extends MessageKey>(locale: Locale, key: K, ...args: MessageArgs<K>): string {
  const message: Messages[MessageKey] = dictionaries[locale][key];
  if (typeof message === 'function') {
    return (message as (...a: readonly unknown[]) => string)(...args);
  }
  return message;
}
