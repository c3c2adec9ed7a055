// Launch at login: through Electron's login item settings (injected) on macOS and Windows (Windows finds the entry
// by its argument), through a real XDG autostart file on Linux; off by default; a launch at login is known.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  autostartEntry,
  autostartFile,
  electronLoginItem,
  LOGIN_ARG,
  openedAtLogin,
  platformLoginItem,
} from '../../../main/shell/login-item';
import { scratchDirs } from '../../support/scratch-dirs';

const scratch = scratchDirs('login-item');

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

  it('through Electron, is not offered where Electron has no login items, and touches nothing', () => {
    const { app, calls } = fakeApp(true);
    const item = electronLoginItem(app, 'linux');
    expect(item.supported).toBe(false);
    expect(item.get()).toBe(false);
    item.set(true);
    expect(calls).toEqual([]);
  });

  it('on Linux writes and removes an XDG autostart entry that starts Convoy with its login argument', () => {
    const configHome = scratch();
    const env = { XDG_CONFIG_HOME: configHome, APPIMAGE: '/home/ana/Apps/Convoy 0.1.0.AppImage' };
    const { app, calls } = fakeApp();
    const item = platformLoginItem(
      { ...(app as object), isPackaged: true, getAppPath: () => '/x' } as never,
      'linux',
      env,
    );
    const file = join(configHome, 'autostart', 'convoy.desktop');
    expect(autostartFile(env)).toBe(file);
    expect(item.supported).toBe(true);
    expect(item.get()).toBe(false);
    item.set(true);
    expect(item.get()).toBe(true);
    const entry = readFileSync(file, 'utf8');
    expect(entry).toContain('[Desktop Entry]');
    expect(entry).toContain(`Exec="/home/ana/Apps/Convoy 0.1.0.AppImage" ${LOGIN_ARG}\n`);
    item.set(false);
    expect(item.get()).toBe(false);
    expect(calls).toEqual([]);
  });

  it('quotes what the desktop entry specification asks to be quoted', () => {
    expect(autostartEntry(['/opt/Convoy/convoy'])).toContain('Exec=/opt/Convoy/convoy --login\n');
    expect(autostartEntry(['/usr/bin/electron', '/home/a b/$x"y`z\\'])).toContain(
      'Exec=/usr/bin/electron "/home/a b/\\$x\\"y\\`z\\\\" --login\n',
    );
  });

  it('knows a launch at login: from macOS, or from the argument elsewhere', () => {
    expect(openedAtLogin(fakeApp(true, true).app, 'darwin', [])).toBe(true);
    expect(openedAtLogin(fakeApp(true, false).app, 'darwin', [LOGIN_ARG])).toBe(false);
    expect(openedAtLogin(fakeApp().app, 'win32', ['convoy.exe', LOGIN_ARG])).toBe(true);
    expect(openedAtLogin(fakeApp().app, 'linux', ['convoy'])).toBe(false);
  });
});
