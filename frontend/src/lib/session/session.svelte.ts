import { RefreshSessionDocument, ViewerDocument, type ViewerFieldsFragment } from '../../generated/graphql';
import { createClient } from '../graphql/client';
import { i18n } from '../i18n/i18n.svelte';
import type { Locale } from '../i18n/locale';
import { SessionTokens, withSessionRenewal, type SessionGrant, type TokenStorage } from './refresh';

export type Viewer = ViewerFieldsFragment;

function storage(): TokenStorage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** Run the refresh under a lock shared by all tabs of this site, when the browser has Web Locks. */
function exclusive<T>(work: () => Promise<T>): Promise<T> {
  if (typeof navigator !== 'undefined' && 'locks' in navigator && navigator.locks) {
    return navigator.locks.request('buurtkracht.refresh', work) as Promise<T>;
  }
  return work();
}

export function localeOf(language: Viewer['language']): Locale {
  return language === 'EN' ? 'en' : 'nl';
}

/** Who is signed in, shared by the whole app. */
class Session {
  viewer: Viewer | null = $state(null);
  /** False until the session of an earlier visit has been renewed (or found gone). */
  ready: boolean = $state(false);
  #started: Promise<void> | null = null;

  /** Talks to the API without a session: only for renewing it. */
  readonly #plain = createClient({ endpoint: '/graphql', language: () => i18n.locale });

  readonly tokens = new SessionTokens<Viewer>({
    storage: storage(),
    exclusive,
    onViewer: (viewer) => {
      this.viewer = viewer;
    },
    refresh: async (refreshToken) =>
      (await this.#plain.request(RefreshSessionDocument, { refreshToken })).refreshSession,
  });

  /** The client for the app's requests: with the access token, renewing the session when needed. */
  readonly api = withSessionRenewal(
    createClient({ endpoint: '/graphql', language: () => i18n.locale, token: () => this.tokens.accessToken }),
    this.tokens,
    () => this.start(),
  );

  /** At app start: continue the session of an earlier visit, if there is one. */
  start(): Promise<void> {
    this.#started ??= (async () => {
      if (this.tokens.refreshToken !== null) await this.tokens.refresh();
      this.ready = true;
      // Signed out in another tab: sign out here too.
      window.addEventListener('storage', (event) => {
        if (event.key === null || (event.key === 'buurtkracht.refreshToken' && event.newValue === null)) {
          if (this.viewer !== null && this.tokens.refreshToken === null) this.tokens.clear();
        }
      });
    })();
    return this.#started;
  }

  /** After signing in: remember the session and speak the person's language. */
  signedIn(grant: SessionGrant<Viewer>): void {
    this.tokens.begin(grant);
    i18n.setLocale(localeOf(grant.viewer.language));
  }

  /** Fetch the signed-in person again, after a change (memberships, password). */
  async reloadViewer(): Promise<void> {
    const data = await this.api.request(ViewerDocument);
    if (data.viewer === null) this.tokens.clear();
    else this.viewer = data.viewer;
  }

  /** Forget the session in this browser. */
  signedOut(): void {
    this.tokens.clear();
  }
}

export const session = new Session();
