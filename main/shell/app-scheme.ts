// The privileged app:// scheme the window loads the page from: app://convoy/ serves the built renderer folder and
// nothing else (no path out of it, no other host, GET only), each file with its MIME type and the window's CSP.
import { createReadStream, readFileSync, realpathSync, statSync } from 'node:fs';
import { extname, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import type { Protocol } from 'electron';

export const APP_SCHEME = 'app';
export const APP_HOST = 'convoy';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The one page Convoy shows: the IPC sender check and the navigation guard accept this URL alone. */
export const PAGE_URL = `${APP_ORIGIN}/index.html`;
/** The one path that is no file: a video's thumbnail, fetched by main (thumbnails.ts). */
export const THUMBNAIL_PROXY_PATH = '/thumbnail';

/** What every app:// reply carries; the page's policy is added below. */
export const appHeaders: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};
// The window's Content-Security-Policy: nothing but Convoy's own origin (thumbnails come through
// app://convoy/thumbnail, fetched by main), no inline script, no plugins, no frames.
// One literal, so that Electronegativity (the security gate in npm test) reads and evaluates the policy enforced.
appHeaders['Content-Security-Policy'] =
  "default-src 'none'; script-src app://convoy; style-src app://convoy; img-src app://convoy data:; font-src app://convoy; connect-src app://convoy; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const APP_CSP: string = appHeaders['Content-Security-Policy']!;

/**
 * The same policy as a meta tag, put into the page as it is served, so that it holds even where a custom
 * protocol's headers were not applied (frame-ancestors cannot be set from a meta tag, so it is left out there).
 */
export const APP_CSP_META = `<meta http-equiv="Content-Security-Policy" content="${APP_CSP.split('; ')
  .filter((directive) => !directive.startsWith('frame-ancestors'))
  .join('; ')}" />`;

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** Must run before the app is ready: app:// is standard (origin, relative URLs), secure, and may use fetch. */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

export type AppFile = { file: string; type: string } | { status: 400 | 403 | 404 | 405 };

/**
 * Maps an app:// request to a file inside `rendererDir`, or the status that refuses it. Encoded dots and
 * slashes, backslashes and symbolic links that lead out of the folder are all refused.
 */
export function resolveAppFile(rendererDir: string, method: string, url: string): AppFile {
  if (method !== 'GET' && method !== 'HEAD') return { status: 405 };
  let parsed: URL;
  let path: string;
  try {
    parsed = new URL(url);
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return { status: 400 };
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return { status: 404 };
  if (path.includes('\0')) return { status: 400 };
  let root: string;
  try {
    root = realpathSync(rendererDir);
  } catch {
    return { status: 404 };
  }
  const relative = path.replace(/^[/\\]+/, '') || 'index.html';
  const inside = (candidate: string) => candidate.startsWith(root + sep);
  const wanted = resolve(root, relative);
  if (!inside(wanted)) return { status: 403 };
  let real: string;
  try {
    real = realpathSync(wanted);
    if (!statSync(real).isFile()) return { status: 404 };
  } catch {
    return { status: 404 };
  }
  if (!inside(real)) return { status: 403 };
  return { file: real, type: contentTypes[extname(real).toLowerCase()] ?? 'application/octet-stream' };
}

/** The page with the policy as the first tag of its head (or, with no head tag, right after its doctype). */
function withPolicy(html: string): string {
  const anchor = /<head[^>]*>/i.exec(html) ?? /^\s*<!doctype[^>]*>/i.exec(html);
  if (!anchor) return APP_CSP_META + html;
  const at = anchor.index + anchor[0].length;
  return html.slice(0, at) + APP_CSP_META + html.slice(at);
}

/** The reply to one app:// request. */
export function appResponse(rendererDir: string, request: Request): Response {
  const found = resolveAppFile(rendererDir, request.method, request.url);
  if ('status' in found) return new Response(null, { status: found.status, headers: appHeaders });
  const headers = { ...appHeaders, 'Content-Type': found.type };
  if (request.method === 'HEAD') return new Response(null, { status: 200, headers });
  if (found.type.startsWith('text/html')) {
    return new Response(withPolicy(readFileSync(found.file, 'utf8')), { status: 200, headers });
  }
  const body = Readable.toWeb(createReadStream(found.file)) as ReadableStream<Uint8Array>;
  return new Response(body, { status: 200, headers });
}

/**
 * Once the app is ready: answers app:// from the built renderer folder, and app://convoy/thumbnail with
 * `thumbnailProxy` (the page's policy takes no plain-http image, so a loopback server's thumbnails come this way).
 */
export function serveAppScheme(
  protocol: Pick<Protocol, 'handle'>,
  rendererDir: string,
  thumbnailProxy?: (request: Request) => Promise<Response>,
): void {
  protocol.handle(APP_SCHEME, (request) => {
    if (thumbnailProxy && isThumbnailProxyRequest(request.url)) return thumbnailProxy(request);
    return appResponse(rendererDir, request);
  });
}

function isThumbnailProxyRequest(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.pathname === THUMBNAIL_PROXY_PATH;
  } catch {
    return false;
  }
}
