import { describe, expect, it, vi } from 'vitest';
import { ViewerDocument } from '../src/generated/graphql';
import { ApiError, type GraphQLClient } from '../src/lib/graphql/client';
import { refreshWithCookie, signOutWithCookie } from '../src/lib/session/cookie';
import {
  LEGACY_REFRESH_TOKEN_KEY,
  SIGNED_IN_KEY,
  SessionTokens,
  withSessionRenewal,
  type TokenStorage,
} from '../src/lib/session/refresh';

function memoryStorage(initial: Record<string, string> = {}): TokenStorage & { items: Map<string, string> } {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('SessionTokens', () => {
  it('keeps the access token in memory and only a mark in storage', () => {
    const storage = memoryStorage({ [LEGACY_REFRESH_TOKEN_KEY]: 'r0' });
    const viewers: (string | null)[] = [];
    const tokens = new SessionTokens<string>({ storage, refresh: vi.fn(), onViewer: (v) => viewers.push(v) });
    expect(tokens.signedInBefore).toBe(false);
    tokens.begin({ accessToken: 'a1', viewer: 'Kees' });
    expect(tokens.accessToken).toBe('a1');
    expect(tokens.signedInBefore).toBe(true);
    expect(Object.fromEntries(storage.items)).toEqual({ [SIGNED_IN_KEY]: '1' });
    tokens.clear();
    expect(tokens.accessToken).toBeNull();
    expect(tokens.signedInBefore).toBe(false);
    expect(storage.items.size).toBe(0);
    expect(viewers).toEqual(['Kees', null]);
  });

  it('refreshes once for many callers at the same time (single flight)', async () => {
    const storage = memoryStorage({ [SIGNED_IN_KEY]: '1' });
    const answer = deferred<{ accessToken: string; viewer: string }>();
    const refresh = vi.fn(() => answer.promise);
    const tokens = new SessionTokens<string>({ storage, refresh, onViewer: () => undefined });
    const calls = [tokens.refresh(), tokens.refresh(), tokens.refresh()];
    answer.resolve({ accessToken: 'a2', viewer: 'Kees' });
    expect(await Promise.all(calls)).toEqual([true, true, true]);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(tokens.accessToken).toBe('a2');
    // A later refresh is a new one.
    refresh.mockResolvedValueOnce({ accessToken: 'a3', viewer: 'Kees' });
    expect(await tokens.refresh()).toBe(true);
    expect(refresh).toHaveBeenCalledTimes(2);
    expect(tokens.accessToken).toBe('a3');
  });

  it('runs the refresh inside the lock shared by the tabs', async () => {
    const order: string[] = [];
    const tokens = new SessionTokens<string>({
      storage: memoryStorage({ [SIGNED_IN_KEY]: '1' }),
      refresh: async () => {
        order.push('refresh');
        return { accessToken: 'a2', viewer: 'Kees' };
      },
      onViewer: () => undefined,
      exclusive: async (work) => {
        order.push('lock');
        const result = await work();
        order.push('unlock');
        return result;
      },
    });
    expect(await tokens.refresh()).toBe(true);
    expect(order).toEqual(['lock', 'refresh', 'unlock']);
  });

  it('signs out locally when the server refuses the cookie', async () => {
    const storage = memoryStorage({ [SIGNED_IN_KEY]: '1' });
    const viewers: (string | null)[] = [];
    const tokens = new SessionTokens<string>({
      storage,
      refresh: () => Promise.reject(new ApiError('UNAUTHENTICATED')),
      onViewer: (v) => viewers.push(v),
    });
    expect(await tokens.refresh()).toBe(false);
    expect(storage.items.has(SIGNED_IN_KEY)).toBe(false);
    expect(viewers).toEqual([null]);
  });

  it('keeps the mark when the server cannot be reached', async () => {
    const storage = memoryStorage({ [SIGNED_IN_KEY]: '1' });
    const tokens = new SessionTokens<string>({
      storage,
      refresh: () => Promise.reject(new ApiError('NETWORK')),
      onViewer: () => undefined,
    });
    expect(await tokens.refresh()).toBe(false);
    expect(storage.items.get(SIGNED_IN_KEY)).toBe('1');
  });
});

describe('the refresh cookie endpoints', () => {
  function fakeFetch(status: number, body: unknown) {
    return vi.fn(async (_input: RequestInfo | URL, _init?: RequestInit) =>
      new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }),
    );
  }

  it('sends the CSRF header and the cookie, and reads the access token', async () => {
    const doFetch = fakeFetch(200, { accessToken: 'a9', accessTokenExpiresAt: '2030-01-01T00:00:00Z' });
    await expect(refreshWithCookie({ language: () => 'nl', fetch: doFetch })).resolves.toBe('a9');
    const [path, init] = doFetch.mock.calls[0] ?? [];
    expect(path).toBe('/auth/refresh');
    expect(init?.method).toBe('POST');
    expect(init?.credentials).toBe('same-origin');
    expect(init?.headers).toMatchObject({ 'X-Buurtkracht-CSRF': '1' });
  });

  it('tells a refused cookie (sign out) from a server that cannot answer now (try later)', async () => {
    await expect(refreshWithCookie({ language: () => 'nl', fetch: fakeFetch(401, {}) })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    await expect(refreshWithCookie({ language: () => 'nl', fetch: fakeFetch(503, {}) })).rejects.toMatchObject({
      code: 'NETWORK',
    });
  });

  it('signs out at /auth/sign-out', async () => {
    const doFetch = vi.fn(async (_input: RequestInfo | URL, _init?: RequestInit) => new Response(null, { status: 204 }));
    await signOutWithCookie({ language: () => 'en', fetch: doFetch });
    expect(doFetch.mock.calls[0]?.[0]).toBe('/auth/sign-out');
  });
});

describe('withSessionRenewal', () => {
  function setup(responses: ((token: string | null) => unknown)[]) {
    const storage = memoryStorage();
    const refresh = vi.fn(async () => ({ accessToken: 'fresh', viewer: 'Kees' }));
    const tokens = new SessionTokens<string>({ storage, refresh, onViewer: () => undefined });
    const sentTokens: (string | null)[] = [];
    const base: GraphQLClient = {
      request: (async () => {
        const token = tokens.accessToken;
        sentTokens.push(token);
        const next = responses.shift();
        if (!next) throw new Error('no more responses');
        const result = next(token);
        if (result instanceof Error) throw result;
        return result;
      }) as GraphQLClient['request'],
    };
    const api = withSessionRenewal(base, tokens, () => Promise.resolve());
    return { api, tokens, refresh, sentTokens };
  }

  it('renews an expired session once and repeats the request', async () => {
    const { api, tokens, refresh, sentTokens } = setup([
      () => new ApiError('UNAUTHENTICATED'),
      () => ({ viewer: null }),
    ]);
    tokens.begin({ accessToken: 'old', viewer: 'Kees' });
    await expect(api.request(ViewerDocument)).resolves.toEqual({ viewer: null });
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(sentTokens).toEqual(['old', 'fresh']);
  });

  it('does not renew for visitors (a wrong password is UNAUTHENTICATED too)', async () => {
    const { api, refresh } = setup([() => new ApiError('UNAUTHENTICATED')]);
    await expect(api.request(ViewerDocument)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(refresh).not.toHaveBeenCalled();
  });

  it('gives up after one renewal', async () => {
    const { api, tokens, refresh } = setup([
      () => new ApiError('UNAUTHENTICATED'),
      () => new ApiError('UNAUTHENTICATED'),
    ]);
    tokens.begin({ accessToken: 'old', viewer: 'Kees' });
    await expect(api.request(ViewerDocument)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('passes other errors on unchanged', async () => {
    const { api, tokens, refresh } = setup([() => new ApiError('FORBIDDEN')]);
    tokens.begin({ accessToken: 'old', viewer: 'Kees' });
    await expect(api.request(ViewerDocument)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(refresh).not.toHaveBeenCalled();
  });
});
