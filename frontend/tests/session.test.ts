import { describe, expect, it, vi } from 'vitest';
import { ViewerDocument } from '../src/generated/graphql';
import { ApiError, type GraphQLClient } from '../src/lib/graphql/client';
import { REFRESH_TOKEN_KEY, SessionTokens, withSessionRenewal, type TokenStorage } from '../src/lib/session/refresh';

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
  it('keeps the access token in memory and the refresh token in storage', () => {
    const storage = memoryStorage();
    const viewers: (string | null)[] = [];
    const tokens = new SessionTokens<string>({ storage, refresh: vi.fn(), onViewer: (v) => viewers.push(v) });
    tokens.begin({ accessToken: 'a1', refreshToken: 'r1', viewer: 'Kees' });
    expect(tokens.accessToken).toBe('a1');
    expect(storage.items.get(REFRESH_TOKEN_KEY)).toBe('r1');
    expect([...storage.items.values()]).not.toContain('a1');
    tokens.clear();
    expect(tokens.accessToken).toBeNull();
    expect(storage.items.has(REFRESH_TOKEN_KEY)).toBe(false);
    expect(viewers).toEqual(['Kees', null]);
  });

  it('refreshes once for many callers at the same time (single flight)', async () => {
    const storage = memoryStorage({ [REFRESH_TOKEN_KEY]: 'r1' });
    const answer = deferred<{ accessToken: string; refreshToken: string; viewer: string }>();
    const refresh = vi.fn(() => answer.promise);
    const tokens = new SessionTokens<string>({ storage, refresh, onViewer: () => undefined });
    const calls = [tokens.refresh(), tokens.refresh(), tokens.refresh()];
    answer.resolve({ accessToken: 'a2', refreshToken: 'r2', viewer: 'Kees' });
    expect(await Promise.all(calls)).toEqual([true, true, true]);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(refresh).toHaveBeenCalledWith('r1');
    expect(storage.items.get(REFRESH_TOKEN_KEY)).toBe('r2');
    // A later refresh is a new one, with the new token.
    refresh.mockResolvedValueOnce({ accessToken: 'a3', refreshToken: 'r3', viewer: 'Kees' });
    expect(await tokens.refresh()).toBe(true);
    expect(refresh).toHaveBeenLastCalledWith('r2');
  });

  it('signs out locally when the server refuses the refresh token', async () => {
    const storage = memoryStorage({ [REFRESH_TOKEN_KEY]: 'used' });
    const viewers: (string | null)[] = [];
    const tokens = new SessionTokens<string>({
      storage,
      refresh: () => Promise.reject(new ApiError('UNAUTHENTICATED')),
      onViewer: (v) => viewers.push(v),
    });
    expect(await tokens.refresh()).toBe(false);
    expect(storage.items.has(REFRESH_TOKEN_KEY)).toBe(false);
    expect(viewers).toEqual([null]);
  });

  it('keeps the refresh token when the server cannot be reached', async () => {
    const storage = memoryStorage({ [REFRESH_TOKEN_KEY]: 'r1' });
    const tokens = new SessionTokens<string>({
      storage,
      refresh: () => Promise.reject(new ApiError('NETWORK')),
      onViewer: () => undefined,
    });
    expect(await tokens.refresh()).toBe(false);
    expect(storage.items.get(REFRESH_TOKEN_KEY)).toBe('r1');
  });
});

describe('withSessionRenewal', () => {
  function setup(responses: ((token: string | null) => unknown)[]) {
    const storage = memoryStorage();
    const refresh = vi.fn(async () => ({ accessToken: 'fresh', refreshToken: 'r2', viewer: 'Kees' }));
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
    tokens.begin({ accessToken: 'old', refreshToken: 'r1', viewer: 'Kees' });
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
    tokens.begin({ accessToken: 'old', refreshToken: 'r1', viewer: 'Kees' });
    await expect(api.request(ViewerDocument)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('passes other errors on unchanged', async () => {
    const { api, tokens, refresh } = setup([() => new ApiError('FORBIDDEN')]);
    tokens.begin({ accessToken: 'old', refreshToken: 'r1', viewer: 'Kees' });
    await expect(api.request(ViewerDocument)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(refresh).not.toHaveBeenCalled();
  });
});
