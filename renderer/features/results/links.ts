// Getting results out of the app: copying links, opening them in the browser, saving the manifest.
import { appActions, useApp } from '../../stores/app';
import { queueActions } from '../../stores/queue';
import { copyText } from '../../ui/controls';
import { messageOf } from '../../ui/fieldErrors';

/**
 * A link as the profile's server answers it now. A link that points at the local sandbox (a loopback address) is
 * moved to the sandbox's current address when that moved (another program held its port at start); links to
 * api.video's own hosts are left as they are. `serverBase`: the profile's current base URL, when known.
 */
export function currentLink(link: string, serverBase: string | undefined): string {
  if (!serverBase) return link;
  let from: URL;
  let to: URL;
  try {
    from = new URL(link);
    to = new URL(serverBase);
  } catch {
    return link;
  }
  const loopback = (host: string) => host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
  if (!loopback(from.hostname) || !loopback(to.hostname) || from.origin === to.origin) return link;
  return `${to.origin}${link.slice(from.origin.length)}`;
}

/**
 * Where the page loads a thumbnail from: through `proxy` when the app gives one (AppInfo.thumbnailProxy: the Electron
 * window's page reaches no server itself, main fetches it), the link itself otherwise (browser mode).
 */
export function thumbnailSource(link: string, proxy: string | undefined): string {
  if (!proxy) return link;
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return link;
  }
  const web = url.protocol === 'http:' || url.protocol === 'https:';
  return web ? `${proxy}${encodeURIComponent(link)}` : link;
}

/** An embed code whose links are moved as `currentLink` moves them. */
export function currentEmbed(code: string, serverBase: string | undefined): string {
  return code.replace(/https?:\/\/[^\s"'<>]+/g, (url) => currentLink(url, serverBase));
}

function notify(level: 'info' | 'error', message: string): void {
  appActions.notify({ level, message });
}

/**
 * Copies and confirms in the app's toast (the polite notices in the corner): "Copied the player link.", or, when
 * the clipboard is out of reach, what to do instead. Tokens use it too. Returns whether it copied.
 */
export async function copyWithNotice(text: string, what: string): Promise<boolean> {
  const copied = await copyText(text);
  if (copied) notify('info', `Copied the ${what}.`);
  else notify('error', `Could not reach the clipboard. Select the ${what} shown and copy it yourself.`);
  return copied;
}

/** Asks main to open the link; in browser mode (`opened: false`) the page opens it itself. */
export async function openLink(url: string): Promise<void> {
  try {
    if (!(await appActions.openExternal(url))) window.open(url, '_blank', 'noopener,noreferrer');
  } catch (error) {
    notify('error', `Could not open ${url}: ${messageOf(error)}`);
  }
}

/** Hands text to the user as a file download, in the page (browser mode). */
function downloadText(name: string, content: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Exports the manifest: native save dialog in Electron, a download in browser mode. */
export async function exportManifest(format: 'csv' | 'json'): Promise<void> {
  try {
    const { content, suggestedName } = await queueActions.exportManifest(format);
    if (useApp.getState().info?.nativeDialogs) {
      const path = await appActions.saveText(suggestedName, content);
      if (path) notify('info', `Saved the manifest to ${path}.`);
      return;
    }
    downloadText(suggestedName, content, format === 'csv' ? 'text/csv' : 'application/json');
  } catch (error) {
    notify('error', `Could not export the manifest: ${messageOf(error)}`);
  }
}
