// The file browser mode hands to the browser: a private (0600, in a 0700 folder) HTML page that posts a single-use
// sign-in code to the server at once. The opener's argv and the browser's history hold only its path, which is
// deleted as the code is spent; the code itself never appears in a URL.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface LaunchFile {
  path: string;
  /** file:// URL of `path`, for a message to the user. */
  url: string;
  /** Deletes the file and its folder (idempotent). */
  remove(): void;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The page: a form that posts the code to `serverUrl`/session, sent by script at once or by hand without one. */
export function launchPage(serverUrl: string, code: string): string {
  const action = escapeHtml(`${serverUrl}/session`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><title>Opening Convoy…</title></head>
<body>
<form id="open" method="post" action="${action}">
<input type="hidden" name="code" value="${escapeHtml(code)}">
<p>Opening Convoy… <button type="submit">Open Convoy</button></p>
</form>
<script>document.getElementById('open').submit();</script>
</body></html>
`;
}

/** Writes the page into a fresh private folder under the OS temp directory (or `parent`). */
export function writeLaunchFile(serverUrl: string, code: string, parent: string = tmpdir()): LaunchFile {
  const dir = mkdtempSync(join(parent, 'convoy-open-')); // mkdtemp makes it 0700
  const path = join(dir, 'open-convoy.html');
  writeFileSync(path, launchPage(serverUrl, code), { mode: 0o600, flag: 'wx' });
  return {
    path,
    url: pathToFileURL(path).href,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
