// The sandbox's stand-in for the CDN: /vod/{id} (player page) and, under /vod/{id}[/token/{t}]/, mp4/source.mp4
// (HTTP Range), thumbnail.jpg (a generated poster) and hls/manifest.m3u8 with its segments (ranges of the source).
// Assets other than the page need a complete upload of bytes that encode (no asset for a failed encoding);
// private tokens are single-use.
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxContext } from './context';
import type { VideoRecord } from './state';
import { ApiProblem } from './problems';
import { findVideo } from './videos';
import { encodingOf, type Encoding } from './status';
import type { SourceAssembler } from './upload/assembler';
import { thumbnailJpeg } from './thumbnail';
import { HLS_CONTENT_TYPE, mediaPlaylist, segmentRange, type ByteRange } from './hls';
import { assetTargetOf, segmentPath, vodPrefix } from './vod-urls';

/**
 * Resolves the video behind an asset URL. A private video needs a live private token, spent here unless `keep`
 * (the player page, whose own mp4 request spends it; a manifest, spent only once it is served).
 */
export function videoForAsset(ctx: SandboxContext, videoId: string, privateToken: string | null, keep = false) {
  const video = findVideo(ctx, videoId);
  if (video.public) return video;
  if (!privateToken || ctx.privateTokens.get(privateToken) !== videoId)
    throw new ApiProblem('resource-not-found', 'token');
  if (!keep) ctx.privateTokens.delete(privateToken);
  return video;
}

export function sendPlayerPage(res: ServerResponse, mp4Url: string, title: string): void {
  const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const html = `<!doctype html><meta charset="utf-8"><title>${escape(title)}</title><video controls src="${escape(mp4Url)}"></video>`;
  res.statusCode = 200;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(html);
}

/** 404 unless every byte of the video's source has arrived and been assembled (or it was copied / downloaded). */
function requireCompleteSource(video: VideoRecord): void {
  if (video.upload.completedAt === null || !video.upload.assembled) {
    throw new ApiProblem(
      'resource-not-found',
      'videoId',
      'This video has no complete source yet: its assets exist once the upload is complete.',
    );
  }
}

/** The video's encoding; 404 when it failed, since bytes that are not a video have no assets at all. */
export function requireEncodable(ctx: SandboxContext, video: VideoRecord): Encoding {
  const encoding = encodingOf(ctx, video);
  if (encoding.state === 'failed') {
    const why = encoding.probe?.kind === 'not-video' ? ` ${encoding.probe.reason}` : '';
    throw new ApiProblem(
      'resource-not-found',
      'videoId',
      `This video could not be encoded, so it has no assets.${why}`,
    );
  }
  return encoding;
}

/**
 * Before routing an asset request (/vod/{id}[/token/{t}]/mp4|thumbnail|hls…): 404 when the video's encoding failed.
 * A private video is only judged for a request carrying one of its live tokens, which is not spent here.
 */
export async function refuseFailedAsset(
  ctx: SandboxContext,
  assembler: SourceAssembler,
  pathname: string,
): Promise<void> {
  const target = assetTargetOf(pathname);
  const video = target && ctx.state.videos[target.videoId];
  if (!target || !video) return;
  if (!video.public && (target.token === null || ctx.privateTokens.get(target.token) !== video.videoId)) return;
  await assembler.settled(video.videoId);
  const current = ctx.state.videos[video.videoId];
  if (current) requireEncodable(ctx, current);
}

/** The size of the assembled source file; 404 when there are no bytes (e.g. a URL source the sandbox never fetched). */
function sourceSize(file: string): number {
  if (!existsSync(file))
    throw new ApiProblem('resource-not-found', 'videoId', 'This video has no uploaded source yet.');
  return statSync(file).size;
}

/** Sends bytes [start, end] of the file with the status and headers already set (no body for HEAD). */
function streamBytes(req: IncomingMessage, res: ServerResponse, file: string, { start, end }: ByteRange): void {
  res.setHeader('Content-Length', end - start + 1);
  if (req.method === 'HEAD' || end < start) {
    res.end();
    return;
  }
  createReadStream(file, { start, end }).pipe(res);
}

function sendBuffer(req: IncomingMessage, res: ServerResponse, contentType: string, body: Buffer | string): void {
  res.statusCode = 200;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** Streams the source file; honours a single "Range: bytes=a-b" (206) and answers 416 for an unsatisfiable one. */
export function sendSourceFile(req: IncomingMessage, res: ServerResponse, file: string): void {
  const size = sourceSize(file);
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('Content-Type', 'video/mp4');
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
  let start = 0;
  let end = size - 1;
  if (range && (range[1] || range[2])) {
    if (range[1]) {
      start = Number(range[1]);
      end = range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
    } else {
      start = Math.max(0, size - Number(range[2]));
    }
    if (start > end || start >= size) {
      res.statusCode = 416;
      res.setHeader('Content-Range', `bytes */${size}`);
      res.end();
      return;
    }
    res.statusCode = 206;
    res.setHeader('Content-Range', `bytes ${start}-${end}/${size}`);
  } else {
    res.statusCode = 200;
  }
  streamBytes(req, res, file, { start, end });
}

/** thumbnail.jpg: the generated poster, once the upload is complete. */
export function sendThumbnail(req: IncomingMessage, res: ServerResponse, video: VideoRecord): void {
  requireCompleteSource(video);
  sendBuffer(req, res, 'image/jpeg', thumbnailJpeg(video.videoId));
}

/**
 * hls/manifest.m3u8: 202 while the video encodes, then the media playlist over the source. Segment URIs are absolute; for a private video (opened with
 * `privateToken`, checked but kept by the caller) each carries a fresh single-use token of its own, as the token that opened the playlist is spent.
 */
export function sendPlaylist(
  ctx: SandboxContext,
  req: IncomingMessage,
  res: ServerResponse,
  video: VideoRecord,
  privateToken: string | null,
): void {
  requireCompleteSource(video);
  const encoding = requireEncodable(ctx, video);
  if (encoding.state !== 'encoded') {
    // Uploaded but not encoded yet: 202 with no body, as the CDN answers while clients poll (NOTES §7.3). The
    // private token that asked stays usable for the next poll.
    res.statusCode = 202;
    res.setHeader('Content-Length', '0');
    res.end();
    return;
  }
  // Served: the token is spent, unless a concurrent request with it was served first.
  if (privateToken !== null && !ctx.privateTokens.delete(privateToken))
    throw new ApiProblem('resource-not-found', 'token');
  const size = sourceSize(ctx.storage.sourcePath(video.videoId));
  const seconds = encoding.probe?.kind === 'video' ? encoding.probe.facts.duration : null;
  const playlist = mediaPlaylist(
    size,
    (index) => {
      const token = privateToken === null ? null : ctx.mintPrivateToken(video.videoId);
      return `${vodPrefix(ctx.baseUrl, video.videoId, token)}/${segmentPath(index)}`;
    },
    seconds,
  );
  sendBuffer(req, res, HLS_CONTENT_TYPE, playlist);
}

/** hls/segment-N.mp4: bytes of the source (see hls.ts); 404 past the last segment. */
export function sendSegment(
  ctx: SandboxContext,
  req: IncomingMessage,
  res: ServerResponse,
  video: VideoRecord,
  index: number,
): void {
  requireCompleteSource(video);
  requireEncodable(ctx, video);
  const file = ctx.storage.sourcePath(video.videoId);
  const range = segmentRange(sourceSize(file), index);
  if (range === null)
    throw new ApiProblem('resource-not-found', 'segment', `This video's playlist has no segment ${index}.`);
  res.statusCode = 200;
  res.setHeader('Content-Type', 'video/mp4');
  streamBytes(req, res, file, range);
}
