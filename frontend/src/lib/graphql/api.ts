import { createClient } from './client';
import { i18n } from '../i18n/i18n.svelte';
import { getAccessToken } from '../session';

/** The app's connection to the Buurtkracht API on the same origin. */
export const api = createClient({
  endpoint: '/graphql',
  language: () => i18n.locale,
  token: getAccessToken,
});
