// app.loginItem through the router and the app handlers, with the platform's login item injected (Electron's own
// API is the OS boundary): read, set then read, and "not supported" where the platform has none.
import { describe, expect, it } from 'vitest';
import type { AppInfo } from '../../../common/api';
import { appHandlers } from '../../../main/bridge/handlers/app';
import { createRouter, type HandlerMap } from '../../../main/bridge/router';
import type { LoginItem, Platform } from '../../../main/platform';

function routerWith(loginItem?: LoginItem) {
  const platform = { mode: 'electron', secretCipher: null, ...(loginItem ? { loginItem } : {}) } as Platform;
  const handlers = appHandlers({ info: () => ({}) as AppInfo, platform });
  return createRouter(handlers as unknown as HandlerMap);
}

describe('app.loginItem', () => {
  it('reads and sets launch at login through the platform', async () => {
    let on = false;
    const calls: boolean[] = [];
    const router = routerWith({
      supported: true,
      get: () => on,
      set: (value) => {
        calls.push(value);
        on = value;
      },
    });
    expect(await router.dispatch('app.loginItem', {})).toEqual({
      ok: true,
      value: { supported: true, openAtLogin: false },
    });
    expect(await router.dispatch('app.loginItem', { openAtLogin: true })).toEqual({
      ok: true,
      value: { supported: true, openAtLogin: true },
    });
    expect(calls).toEqual([true]);
  });

  it('says "not supported" without a login item, and refuses anything but a boolean', async () => {
    const router = routerWith();
    expect(await router.dispatch('app.loginItem', { openAtLogin: true })).toEqual({
      ok: true,
      value: { supported: false, openAtLogin: false },
    });
    const refused = await router.dispatch('app.loginItem', { openAtLogin: 'yes' });
    expect(refused.ok).toBe(false);
  });
});
