import { RefreshSessionDocument, ViewerDocument, type ViewerFieldsFragment } from '../../generated/graphql';
import { ApiError, createClient } from '../graphql/client';
import { i18n } from '../i18n/i18n.svelte';
import type { Locale } from '../i18n/locale';
import { COOKIE_SESSION_HEADERS, refreshWithCookie, signOutWithCookie } from './cookie';
import {
  LEGACY_REFRESH_TOKEN_KEY,
  SIGNED_IN_KEY,
  SessionTokens,
  withSessionRenewal,
  type SessionGrant,
  type TokenStorage,
} from './refresh';

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

/** A refresh token an earlier version of the app left in localStorage, taken out of it. */
function takeLegacyRefreshToken(): string | null {
  const store = storage();
  try {
    const token = store?.getItem(LEGACY_REFRESH_TOKEN_KEY) ?? null;
    store?.removeItem(LEGACY_REFRESH_TOKEN_KEY);
    return token;
  } catch {
    return null;
  }
}

/** Who is signed in, shared by the whole app. */
class Session {
  viewer: Viewer | null = $state(null);
  /** False until the session of an earlier visit has been renewed (or found gone). */
  ready: boolean = $state(false);
  #started: Promise<void> | null = null;
  #legacyToken: string | null = null;

  readonly #cookieOptions = { language: () => i18n.locale };

  readonly tokens = new SessionTokens<Viewer>({
    storage: storage(),
    exclusive,
    onViewer: (viewer) => {
      this.viewer = viewer;
    },
    refresh: () => this.#renew(),
  });

  /** The client for the app's requests: with the access token, renewing the session when needed. */
  readonly api = withSessionRenewal(
    createClient({
      endpoint: '/graphql',
      language: () => i18n.locale,
      token: () => this.tokens.accessToken,
      headers: COOKIE_SESSION_HEADERS,
    }),
    this.tokens,
    () => this.start(),
  );

  /** Trade the refresh cookie for an access token, then ask who that is. */
  async #renew(): Promise<SessionGrant<Viewer>> {
    const legacy = this.#legacyToken;
    this.#legacyToken = null;
    const accessToken =
      legacy === null ? await refreshWithCookie(this.#cookieOptions) : await this.#moveIntoCookie(legacy);
    const client = createClient({ endpoint: '/graphql', language: () => i18n.locale, token: () => accessToken });
    const { viewer } = await client.request(ViewerDocument);
    if (viewer === null) throw new ApiError('UNAUTHENTICATED');
    return { accessToken, viewer };
  }

  /** An earlier version's refresh token, traded once for a session whose token is in the cookie. */
  async #moveIntoCookie(refreshToken: string): Promise<string> {
    const client = createClient({ endpoint: '/graphql', language: () => i18n.locale, headers: COOKIE_SESSION_HEADERS });
    return (await client.request(RefreshSessionDocument, { refreshToken })).refreshSession.accessToken;
  }

  /** At app start: continue the session of an earlier visit, if there is one. */
  start(): Promise<void> {
    this.#started ??= (async () => {
      this.#legacyToken = takeLegacyRefreshToken();
      if (this.#legacyToken !== null || this.tokens.signedInBefore) await this.tokens.refresh();
      this.ready = true;
      // Signed out in another tab: sign out here too.
      window.addEventListener('storage', (event) => {
        if (event.key === null || (event.key === SIGNED_IN_KEY && event.newValue === null)) {
          if (this.viewer !== null && !this.tokens.signedInBefore) this.tokens.clear();
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

  /**
   * Sign out: end the session on the server and remove the cookie. When that fails (offline),
   * forgetting the session in this browser is still right.
   */
  async signOut(): Promise<void> {
    await signOutWithCookie(this.#cookieOptions).catch(() => undefined);
    this.tokens.clear();
  }

  /** Forget the session in this browser (after the account is gone, for instance). */
  signedOut(): void {
    this.tokens.clear();
    // The cookie of a deleted account is worthless; remove it anyway.
    void signOutWithCookie(this.#cookieOptions).catch(() => undefined);
  }
}

export const session = new Session();
