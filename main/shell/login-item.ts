// Launch at login, off by default: the OS's own login items on macOS and Windows (Electron's login item settings),
// an XDG autostart entry on Linux; and whether this launch was one, so Convoy then starts in the tray alone.
import { existsSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { App } from 'electron';
import { writeAtomic } from '../lib/write-atomic';
import type { LoginItem } from '../platform';

/** The argument Convoy's login item starts it with (Windows and Linux; macOS says so itself). */
export const LOGIN_ARG = '--login';

/** Read from the OS once, then kept: every change goes through set(), so the tray can ask on each refresh. */
/** The same item, telling its listeners after each change (the tray's checkbox follows the watch screen's). */
export function observedLoginItem(item: LoginItem): LoginItem {
  const listeners = new Set<() => void>();
  return {
    supported: item.supported,
    get: () => item.get(),
    set(openAtLogin) {
      item.set(openAtLogin);
      for (const listener of listeners) listener();
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export function electronLoginItem(
  app: Pick<App, 'getLoginItemSettings' | 'setLoginItemSettings'>,
  platform: NodeJS.Platform,
): LoginItem {
  const supported = platform === 'darwin' || platform === 'win32';
  // On Windows the entry is found by the arguments it was made with.
  const args = platform === 'win32' ? { args: [LOGIN_ARG] } : {};
  let known: boolean | null = null;
  return {
    supported,
    get() {
      if (!supported) return false;
      known ??= app.getLoginItemSettings(args).openAtLogin;
      return known;
    },
    set(openAtLogin) {
      if (!supported) return;
      app.setLoginItemSettings({ openAtLogin, ...args });
      known = openAtLogin;
    },
  };
}

/** Quotes one argument of a desktop entry's Exec key (the XDG Desktop Entry specification's rules). */
function execArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `"${arg.replace(/(["`$\\])/g, '\\$1')}"`;
}

/** The autostart entry a Linux desktop runs at login: `command` is the executable and its arguments. */
export function autostartEntry(command: string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Convoy',
    'Comment=Upload whole folders of video to api.video, resumably.',
    `Exec=${[...command, LOGIN_ARG].map(execArg).join(' ')}`,
    'Icon=convoy',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** `$XDG_CONFIG_HOME/autostart/convoy.desktop`, the file whose presence means "open at login" on Linux. */
export function autostartFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'autostart', 'convoy.desktop');
}

export function xdgLoginItem(file: string, command: string[]): LoginItem {
  return {
    supported: true,
    get: () => existsSync(file),
    set(openAtLogin) {
      if (openAtLogin) writeAtomic(file, autostartEntry(command));
      else rmSync(file, { force: true });
    },
  };
}

/**
 * The login item of this platform. On Linux the entry starts the AppImage when Convoy runs from one (its mounted
 * executable moves each run), else this executable, with the app's folder in a development build.
 */
export function platformLoginItem(
  app: Pick<App, 'getLoginItemSettings' | 'setLoginItemSettings' | 'isPackaged' | 'getAppPath'>,
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv = process.env,
): LoginItem {
  if (platform !== 'linux') return observedLoginItem(electronLoginItem(app, platform));
  const command = env.APPIMAGE
    ? [env.APPIMAGE]
    : app.isPackaged
      ? [process.execPath]
      : [process.execPath, app.getAppPath()];
  return observedLoginItem(xdgLoginItem(autostartFile(env), command));
}

export function openedAtLogin(
  app: Pick<App, 'getLoginItemSettings'>,
  platform: NodeJS.Platform,
  argv: string[],
): boolean {
  if (platform === 'darwin') return app.getLoginItemSettings().wasOpenedAtLogin === true;
  return argv.includes(LOGIN_ARG);
}
