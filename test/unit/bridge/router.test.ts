// The router validates every payload against the contract before a handler runs, and turns every
// outcome (value, deliberate error, crash) into an envelope.
import { describe, expect, it } from 'vitest';
import { createRouter, type HandlerMap } from '../../../main/bridge/router';
import { HandlerError } from '../../../main/bridge/user-errors';

function routerWith(overrides: Partial<HandlerMap>, log: string[] = []) {
  const fail = () => {
    throw new Error('not used in this test');
  };
  const handlers = new Proxy(overrides, {
    get: (target, key) => (target as Record<string, unknown>)[key as string] ?? fail,
  });
  return createRouter(handlers as HandlerMap, (line) => log.push(line));
}

describe('router', () => {
  it('runs the handler with the validated payload, defaults applied', async () => {
    let seen: unknown;
    const router = routerWith({
      'tokens.list': (req) => {
        seen = req;
        return {
          data: [],
          pagination: { currentPage: 1, pageSize: 25, pagesTotal: 0, itemsTotal: 0, currentPageItems: 0 },
        };
      },
    });
    const envelope = await router.dispatch('tokens.list', {});
    expect(envelope.ok).toBe(true);
    expect(seen).toEqual({ currentPage: 1, pageSize: 25, sortBy: 'createdAt', sortOrder: 'desc' });
  });

  it('refuses a bad payload before the handler runs, naming the field', async () => {
    let ran = false;
    const router = routerWith({ 'tokens.create': () => ((ran = true), { token: 'x', ttl: 0, createdAt: '' }) });
    const envelope = await router.dispatch('tokens.create', { ttl: 'soon' });
    expect(ran).toBe(false);
    expect(envelope).toMatchObject({ ok: false, error: { code: 'invalid-payload', field: 'ttl' } });
    if (!envelope.ok) expect(envelope.error.message).toMatch(/^Invalid request: ttl:/);
  });

  it('refuses unknown keys and unknown channels', async () => {
    const router = routerWith({ 'app.info': () => ({}) as never });
    expect(await router.dispatch('app.info', { sneaky: 1 })).toMatchObject({
      ok: false,
      error: { code: 'invalid-payload' },
    });
    expect(await router.dispatch('__proto__', {})).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    expect(await router.dispatch('constructor', {})).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
  });

  it('passes a HandlerError through as is, and hides a crash behind a redacted message', async () => {
    const log: string[] = [];
    const router = routerWith(
      {
        'tokens.get': () => {
          throw new HandlerError('not-found', 'No such token.', 'token');
        },
        'tokens.delete': () => {
          throw new Error('boom with Authorization: Bearer abcdefghijklmnop');
        },
      },
      log,
    );
    expect(await router.dispatch('tokens.get', { token: 'to123' })).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'No such token.', field: 'token' },
    });
    const crashed = await router.dispatch('tokens.delete', { token: 'to123' });
    expect(crashed).toMatchObject({ ok: false, error: { code: 'failed' } });
    expect(JSON.stringify(crashed)).not.toContain('abcdefghijklmnop');
    expect(log.join('\n')).not.toContain('abcdefghijklmnop');
  });
});
