import { ApiError, codeForStatus } from '../graphql/client';

/**
 * Asks the server to put the refresh token of a new session in an HttpOnly cookie instead of
 * the response body (send it with every GraphQL request of the web app).
 */
export const COOKIE_SESSION_HEADERS: Readonly<Record<string, string>> = { 'X-Buurtkracht-Session': 'cookie' };

/** The header the /auth endpoints want: a form or script on another site cannot send it. */
const CSRF_HEADERS = { 'X-Buurtkracht-CSRF': '1' };

export interface CookieOptions {
  readonly language: () => string;
  /** For tests; defaults to the global `fetch`. */
  readonly fetch?: typeof fetch;
}

/** Why a call failed; a server that cannot answer now (5xx) is like no network: try later. */
function failure(response: Response): ApiError {
  const code = response.status >= 500 ? 'NETWORK' : codeForStatus(response.status);
  return new ApiError(code, { status: response.status });
}

async function post(path: string, options: CookieOptions): Promise<Response> {
  const doFetch = options.fetch ?? fetch;
  try {
    return await doFetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { ...CSRF_HEADERS, Accept: 'application/json', 'Accept-Language': options.language() },
    });
  } catch (error) {
    throw new ApiError('NETWORK', { cause: error });
  }
}

/** `POST /auth/refresh`: a new access token for the session in the cookie (which rotates). */
export async function refreshWithCookie(options: CookieOptions): Promise<string> {
  const response = await post('/auth/refresh', options);
  if (!response.ok) throw failure(response);
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    throw new ApiError('NETWORK', { cause: error });
  }
  const token = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['accessToken'] : undefined;
  if (typeof token !== 'string' || token === '') throw new ApiError('INTERNAL', { status: response.status });
  return token;
}

/** `POST /auth/sign-out`: end the session of the cookie on the server and remove the cookie. */
export async function signOutWithCookie(options: CookieOptions): Promise<void> {
  const response = await post('/auth/sign-out', options);
  if (!response.ok) throw failure(response);
}
