import { ApiError, type GraphQLClient, type RequestArgs } from '../graphql/client';
import type { TypedDocumentString } from '../../generated/graphql';

/**
 * What the server gives when a session starts or is renewed. The refresh token is not part of
 * it: the server keeps it in an HttpOnly cookie that scripts cannot read (see the README,
 * "Sessions in the web app").
 */
export interface SessionGrant<V> {
  readonly accessToken: string;
  readonly viewer: V;
}

/** Where the "signed in" mark is kept between visits: a subset of `Storage`. */
export type TokenStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/**
 * Set while this browser has a session: tells a new page or tab that the cookie is worth
 * trading, and other tabs (by its removal) that the person signed out. It holds no secret.
 */
export const SIGNED_IN_KEY = 'buurtkracht.signedIn';
/** Where earlier versions kept the refresh token itself; only read to move it into the cookie. */
export const LEGACY_REFRESH_TOKEN_KEY = 'buurtkracht.refreshToken';

export interface SessionTokensOptions<V> {
  /** localStorage in the app; null when storage is blocked. */
  readonly storage: TokenStorage | null;
  /** Trade the refresh cookie for a new session (`POST /auth/refresh`). */
  readonly refresh: () => Promise<SessionGrant<V>>;
  /** Told about every change of the signed-in person (null: signed out). */
  readonly onViewer: (viewer: V | null) => void;
  /**
   * Runs the refresh exclusively across browser tabs (Web Locks), so two tabs never present
   * the same single-use refresh cookie. Defaults to just running it.
   */
  readonly exclusive?: <T>(work: () => Promise<T>) => Promise<T>;
}

/**
 * The tokens of the signed-in person: the access token only in memory; the refresh token in
 * an HttpOnly cookie the server sets, so a reload or a new tab stays signed in. Refreshing is
 * single-flight: calls while a refresh runs share its outcome.
 */
export class SessionTokens<V> {
  #accessToken: string | null = null;
  #inFlight: Promise<boolean> | null = null;
  readonly #options: SessionTokensOptions<V>;

  constructor(options: SessionTokensOptions<V>) {
    this.#options = options;
  }

  get accessToken(): string | null {
    return this.#accessToken;
  }

  /** Whether this browser had a session when it last looked (another tab may have started it). */
  get signedInBefore(): boolean {
    try {
      const storage = this.#options.storage;
      return storage !== null && storage.getItem(SIGNED_IN_KEY) !== null;
    } catch {
      return false;
    }
  }

  /** Start using a new session. */
  begin(grant: SessionGrant<V>): void {
    this.#accessToken = grant.accessToken;
    try {
      this.#options.storage?.setItem(SIGNED_IN_KEY, '1');
      this.#options.storage?.removeItem(LEGACY_REFRESH_TOKEN_KEY);
    } catch {
      // Storage blocked: a reload asks the server anyway only when the mark is there.
    }
    this.#options.onViewer(grant.viewer);
  }

  /** Forget the session in this browser (the server is not asked). */
  clear(): void {
    this.#accessToken = null;
    try {
      this.#options.storage?.removeItem(SIGNED_IN_KEY);
      this.#options.storage?.removeItem(LEGACY_REFRESH_TOKEN_KEY);
    } catch {
      // See begin.
    }
    this.#options.onViewer(null);
  }

  /**
   * Renew the session with the refresh cookie. Resolves true when there is a fresh access
   * token. When the server refuses, the session is cleared; when the server cannot be reached,
   * the mark is kept for a later try.
   */
  refresh(): Promise<boolean> {
    this.#inFlight ??= this.#refresh().finally(() => {
      this.#inFlight = null;
    });
    return this.#inFlight;
  }

  async #refresh(): Promise<boolean> {
    const exclusive = this.#options.exclusive ?? (<T>(work: () => Promise<T>) => work());
    return exclusive(async () => {
      try {
        this.begin(await this.#options.refresh());
        return true;
      } catch (error) {
        if (error instanceof ApiError && error.code === 'NETWORK') return false;
        this.clear();
        return false;
      }
    });
  }
}

/**
 * A client that waits for the session to be ready (the refresh at start-up), and that,
 * when a request sent with an access token fails with UNAUTHENTICATED, renews the session
 * once and tries the request again.
 */
export function withSessionRenewal<V>(
  client: GraphQLClient,
  tokens: SessionTokens<V>,
  ready: () => Promise<unknown>,
): GraphQLClient {
  return {
    async request<R, Vars>(document: TypedDocumentString<R, Vars>, ...args: RequestArgs<Vars>): Promise<R> {
      await ready();
      const sent = tokens.accessToken;
      const send = (): Promise<R> => client.request(document, ...args);
      try {
        return await send();
      } catch (error) {
        if (!(error instanceof ApiError) || error.code !== 'UNAUTHENTICATED' || sent === null) throw error;
        // Another request may have renewed the session already.
        const renewed = tokens.accessToken !== null && tokens.accessToken !== sent ? true : await tokens.refresh();
        if (!renewed) throw error;
        return send();
      }
    },
  };
}
