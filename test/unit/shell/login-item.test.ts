// Launch at login through Electron's login item settings (injected): off by default, set where the OS has login
// items (macOS, Windows; Windows finds the entry by its argument), absent on Linux; a launch at login is known.
import { describe, expect, it } from 'vitest';
import { electronLoginItem, LOGIN_ARG, openedAtLogin } from '../../../main/shell/login-item';

function fakeApp(openAtLogin = false, wasOpenedAtLogin = false) {
  const calls: unknown[][] = [];
  return {
    calls,
    app: {
      getLoginItemSettings: (options?: unknown) => (calls.push(['get', options]), { openAtLogin, wasOpenedAtLogin }),
      setLoginItemSettings: (settings: unknown) => void calls.push(['set', settings]),
    } as never,
  };
}

describe('the login item', () => {
  it('on macOS reads the OS once, sets it, and remembers what it set', () => {
    const { app, calls } = fakeApp();
    const item = electronLoginItem(app, 'darwin');
    expect(item.supported).toBe(true);
    expect(item.get()).toBe(false);
    item.set(true);
    expect(item.get()).toBe(true);
    expect(calls).toEqual([
      ['get', {}],
      ['set', { openAtLogin: true }],
    ]);
  });

  it('on Windows starts Convoy with its login argument and finds the entry by it', () => {
    const { app, calls } = fakeApp(true);
    const item = electronLoginItem(app, 'win32');
    expect(item.get()).toBe(true);
    item.set(false);
    expect(calls).toEqual([
      ['get', { args: [LOGIN_ARG] }],
      ['set', { openAtLogin: false, args: [LOGIN_ARG] }],
    ]);
  });

  it('on Linux is not offered and touches nothing', () => {
    const { app, calls } = fakeApp(true);
    const item = electronLoginItem(app, 'linux');
    expect(item.supported).toBe(false);
    expect(item.get()).toBe(false);
    item.set(true);
    expect(calls).toEqual([]);
  });

  it('knows a launch at login: from macOS, or from the argument elsewhere', () => {
    expect(openedAtLogin(fakeApp(true, true).app, 'darwin', [])).toBe(true);
    expect(openedAtLogin(fakeApp(true, false).app, 'darwin', [LOGIN_ARG])).toBe(false);
    expect(openedAtLogin(fakeApp().app, 'win32', ['convoy.exe', LOGIN_ARG])).toBe(true);
    expect(openedAtLogin(fakeApp().app, 'linux', ['convoy'])).toBe(false);
  });
});
