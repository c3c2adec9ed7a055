// BearerSession: one renewal in flight for any number of waiting requests, refresh before expiry, and a fall
// back to the API key when the refresh token is refused. The exchange stands in for the server's /auth/* routes.
import { describe, expect, it } from 'vitest';
import { BearerSession } from '../../../main/apivideo/auth';
import type { TokenExchange } from '../../../main/apivideo/auth';
import { ApiVideoError } from '../../../main/apivideo/errors';

function fakeAuthServer(options: { refuseRefresh?: boolean; delayMs?: number } = {}) {
  const calls: string[] = [];
  let n = 0;
  const exchange: TokenExchange = async (path) => {
    calls.push(path);
    await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 5));
    if (path === '/auth/refresh' && options.refuseRefresh) {
      throw new ApiVideoError('auth', 'refresh refused', { status: 400 });
    }
    n += 1;
    return {
      token_type: 'Bearer',
      expires_in: 3600,
      access_token: `access-${n}-xxxxxxxx`,
      refresh_token: `refresh-${n}-xxxxxxxx`,
    };
  };
  return { calls, exchange };
}

describe('BearerSession', () => {
  it('exchanges the key once however many requests start together', async () => {
    const server = fakeAuthServer();
    const session = new BearerSession('key-1234567890', server.exchange);
    const headers = await Promise.all(Array.from({ length: 10 }, () => session.authorization()));
    expect(new Set(headers)).toEqual(new Set(['Bearer access-1-xxxxxxxx']));
    expect(server.calls).toEqual(['/auth/api-key']);
  });

  it('after a 401, many waiting requests share exactly one refresh', async () => {
    const server = fakeAuthServer({ delayMs: 20 });
    const session = new BearerSession('key-1234567890', server.exchange);
    const stale = await session.authorization();
    const recovered = await Promise.all(Array.from({ length: 8 }, () => session.recover(stale)));
    expect(recovered.every(Boolean)).toBe(true);
    expect(server.calls).toEqual(['/auth/api-key', '/auth/refresh']);
    expect(await session.authorization()).toBe('Bearer access-2-xxxxxxxx');
    // A late 401 carrying the already-replaced token does not refresh again.
    expect(await session.recover(stale)).toBe(true);
    expect(server.calls).toHaveLength(2);
  });

  it('refreshes before expiry on its own clock', async () => {
    const server = fakeAuthServer();
    let now = 1_000_000;
    const session = new BearerSession('key-1234567890', server.exchange, () => now);
    await session.authorization();
    now += 3_000_000; // 50 min: still valid
    await session.authorization();
    expect(server.calls).toEqual(['/auth/api-key']);
    now += 560_000; // within the last minute of the hour
    expect(await session.authorization()).toBe('Bearer access-2-xxxxxxxx');
    expect(server.calls).toEqual(['/auth/api-key', '/auth/refresh']);
  });

  it('falls back to the API key when the refresh token is refused', async () => {
    const server = fakeAuthServer({ refuseRefresh: true });
    const session = new BearerSession('key-1234567890', server.exchange);
    const stale = await session.authorization();
    await session.recover(stale);
    expect(server.calls).toEqual(['/auth/api-key', '/auth/refresh', '/auth/api-key']);
    expect(await session.authorization()).toBe('Bearer access-2-xxxxxxxx');
  });

  it('a refused key reaches every waiting request, and the next call tries again', async () => {
    let refuse = true;
    const calls: string[] = [];
    const exchange: TokenExchange = async (path) => {
      calls.push(path);
      if (refuse) throw new ApiVideoError('auth', 'The API key was refused');
      return { expires_in: 3600, access_token: 'access-ok-xxxx', refresh_token: 'refresh-ok-xxxx' };
    };
    const session = new BearerSession('key-1234567890', exchange);
    const results = await Promise.allSettled([session.authorization(), session.authorization()]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toHaveLength(1);
    refuse = false;
    expect(await session.authorization()).toBe('Bearer access-ok-xxxx');
  });
});
