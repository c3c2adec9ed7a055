// The guards every web contents gets, whoever creates it: no new windows (http links open in the user's browser),
// no webviews, no navigation away from Convoy's page; no permission granted or reported; nothing loaded from the web.
import type { App, Session, WebContents } from 'electron';
import { PAGE_URL } from './app-scheme';

/** Only Convoy's own page, with any fragment. */
export function isOwnPage(url: string): boolean {
  return url.split('#')[0] === PAGE_URL;
}

/** Only plain web links leave the app, and only to the user's browser. */
export function isWebLink(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

export function guardContents(contents: WebContents, openExternal: (url: string) => void): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (isWebLink(url)) openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.on('will-navigate', (event, url) => {
    if (!isOwnPage(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isOwnPage(url)) event.preventDefault();
  });
}

/** Installs every guard; call before the first window. */
export function installGuards(
  app: Pick<App, 'on'>,
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'webRequest'>,
  openExternal: (url: string) => void,
): void {
  app.on('web-contents-created', (_event, contents) => guardContents(contents, openExternal));
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  // The page is served from app:// alone; main talks to the network itself.
  session.webRequest.onBeforeRequest(
    { urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'file:///*'] },
    (_details, callback) => callback({ cancel: true }),
  );
}
