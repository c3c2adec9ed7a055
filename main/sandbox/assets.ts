// The sandbox's stand-in for the CDN: /vod/{id} (player page), /vod/{id}[/token/{t}]/mp4/source.mp4 serving
// the assembled bytes with HTTP Range support. Private tokens are single-use.
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxContext } from './context';
import { ApiProblem } from './problems';
import { findVideo } from './videos';

/** Resolves the video behind an asset URL; private videos need a fresh private token (consumed here). */
export function videoForAsset(ctx: SandboxContext, videoId: string, privateToken: string | null) {
  const video = findVideo(ctx, videoId);
  if (video.public) return video;
  if (!privateToken || ctx.privateTokens.get(privateToken) !== videoId) throw new ApiProblem('resource-not-found', 'token');
  ctx.privateTokens.delete(privateToken);
  return video;
}

export function sendPlayerPage(res: ServerResponse, mp4Url: string, title: string): void {
  const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const html = `<!doctype html><meta charset="utf-8"><title>${escape(title)}</title><video controls src="${escape(mp4Url)}"></video>`;
  res.statusCode = 200;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(html);
}

/** Streams the source file; honours a single "Range: bytes=a-b" (206) and answers 416 for an unsatisfiable one. */
export function sendSourceFile(req: IncomingMessage, res: ServerResponse, file: string): void {
  if (!existsSync(file)) throw new ApiProblem('resource-not-found', 'videoId', 'This video has no uploaded source yet.');
  const size = statSync(file).size;
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
  res.setHeader('Content-Length', end - start + 1);
  if (req.method === 'HEAD' || size === 0) {
    res.end();
    return;
  }
  createReadStream(file, { start, end }).pipe(res);
}
