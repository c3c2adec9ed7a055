// Video thumbnails in the Electron window, whose page reaches no server itself (its policy and the session's guard):
// app://convoy/thumbnail?src=<link> has main fetch the link, when it is a video's thumbnail on api.video (HTTPS) or
// on a profile's loopback server (the local sandbox), and answers with the image alone (JPEG, PNG or WebP, capped).
import { isLoopbackHostname } from '../../common/contract/profiles';
import { imageType, imageTypes as thumbnailTypes } from '../lib/image-signature';
import { APP_ORIGIN, appHeaders, THUMBNAIL_PROXY_PATH } from './app-scheme';

/** What the page puts before the encoded link (AppInfo.thumbnailProxy in the Electron window). */
export const THUMBNAIL_PROXY_PREFIX = `${APP_ORIGIN}${THUMBNAIL_PROXY_PATH}?src=`;
/** api.video's own limit for an uploaded thumbnail: nothing bigger is a thumbnail. */
export const THUMBNAIL_MAX_BYTES = 8 * 1024 * 1024;
const THUMBNAIL_TIMEOUT_MS = 10_000;

// The thumbnail asset path of api.video and the sandbox: /vod/{videoId}[/token/{private token}]/thumbnail.jpg.
const THUMBNAIL_PATH = /^\/vod\/vi[A-Za-z0-9]{22}(?:\/token\/[A-Za-z0-9-]{1,64})?\/thumbnail\.jpg$/;
const imageTypes: ReadonlySet<string> = new Set(thumbnailTypes);

export interface ThumbnailOptions {
  /** The profiles' servers now (base URLs); loopback thumbnails come only from these. */
  servers(): readonly string[];
  /** The HTTP client (default: Node's fetch). */
  fetch?: typeof fetch;
  maxBytes?: number;
  timeoutMs?: number;
}

export type ThumbnailTarget = { url: string } | { status: 400 | 403 | 405 };

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** The host api.video serves its videos' assets from (production and its sandbox environment alike). */
const API_VIDEO_ASSETS = 'vod.api.video';

/**
 * The link a thumbnail request may fetch, or the status that refuses it: GET or HEAD, one `src` and nothing else, a
 * link with no credentials, query or fragment, to a video's thumbnail path either on api.video's asset host over
 * HTTPS (port 443) or on the origin of one of `servers` that is loopback, below that server's base path.
 */
export function thumbnailTarget(method: string, requestUrl: string, servers: readonly string[]): ThumbnailTarget {
  if (method !== 'GET' && method !== 'HEAD') return { status: 405 };
  const request = parse(requestUrl);
  const params = request ? [...request.searchParams.keys()] : [];
  if (!request || params.length !== 1 || params[0] !== 'src') return { status: 400 };
  const link = parse(request.searchParams.get('src')!);
  if (!link) return { status: 400 };
  if (link.protocol !== 'http:' && link.protocol !== 'https:') return { status: 403 };
  if (link.username || link.password || link.search || link.hash) return { status: 403 };
  if (link.protocol === 'https:' && link.port === '' && link.hostname === API_VIDEO_ASSETS)
    return THUMBNAIL_PATH.test(link.pathname) ? { url: link.href } : { status: 403 };
  if (!isLoopbackHostname(link.hostname)) return { status: 403 };
  for (const server of servers.map(parse)) {
    if (!server || server.origin !== link.origin || !isLoopbackHostname(server.hostname)) continue;
    const base = server.pathname.replace(/\/+$/, '');
    if (link.pathname.startsWith(`${base}/`) && THUMBNAIL_PATH.test(link.pathname.slice(base.length)))
      return { url: link.href };
  }
  return { status: 403 };
}

const refusal = (status: number) => new Response(null, { status, headers: appHeaders });

/** The body, or null once it passes `maxBytes` (the rest is not read). */
async function readCapped(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Buffer | null> {
  if (!body) return Buffer.alloc(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
}

/**
 * The reply to one app://convoy/thumbnail request: the image as its server sent it, when that answered 200
 * with a JPEG, PNG or WebP whose bytes are what it says, within the size cap; no redirect is followed. Refusals
 * carry no body: 400/403/405 for the request, 404 when the server has no such thumbnail, 502 for anything else.
 */
export async function thumbnailResponse(request: Request, options: ThumbnailOptions): Promise<Response> {
  const target = thumbnailTarget(request.method, request.url, options.servers());
  if ('status' in target) return refusal(target.status);
  const maxBytes = options.maxBytes ?? THUMBNAIL_MAX_BYTES;
  let reply: Response;
  try {
    reply = await (options.fetch ?? fetch)(target.url, {
      redirect: 'manual',
      headers: { Accept: 'image/jpeg, image/png, image/webp' },
      signal: AbortSignal.timeout(options.timeoutMs ?? THUMBNAIL_TIMEOUT_MS),
    });
  } catch {
    return refusal(502);
  }
  const type = (reply.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const declaredLength = Number(reply.headers.get('content-length') ?? 0);
  if (reply.status !== 200 || !imageTypes.has(type) || declaredLength > maxBytes) {
    await reply.body?.cancel().catch(() => {});
    return refusal(reply.status === 404 ? 404 : 502);
  }
  let bytes: Buffer | null;
  try {
    bytes = await readCapped(reply.body, maxBytes);
  } catch {
    return refusal(502);
  }
  if (!bytes || imageType(bytes) !== type) return refusal(502);
  const headers = { ...appHeaders, 'Content-Type': type, 'Content-Length': String(bytes.length) };
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(bytes), { status: 200, headers });
}
