// Launch at login through the OS's own login items (macOS, Windows), off by default; and whether this launch was
// one, so Convoy then starts in the tray without opening its window.
import type { App } from 'electron';
import type { LoginItem } from '../platform';

/** The argument Convoy's Windows login item starts it with. */
export const LOGIN_ARG = '--login';

/** Read from the OS once, then kept: every change goes through set(), so the tray can ask on each refresh. */
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

export function openedAtLogin(
  app: Pick<App, 'getLoginItemSettings'>,
  platform: NodeJS.Platform,
  argv: string[],
): boolean {
  if (platform === 'darwin') return app.getLoginItemSettings().wasOpenedAtLogin === true;
  return argv.includes(LOGIN_ARG);
}
