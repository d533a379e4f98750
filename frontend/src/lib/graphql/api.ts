import { session } from '../session/session.svelte';

/**
 * The app's connection to the Buurtkracht API on the same origin: sends the access token
 * when signed in and renews the session once when the server says it has expired.
 */
export const api = session.api;
