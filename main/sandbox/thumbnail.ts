// A video's thumbnail: the image uploaded for it (POST /videos/{id}/thumbnail), else the generated poster, a 160×90
// JPEG drawn from the videoId (a gradient in a hue of its own and a white play triangle). Picking a timecode
// (PATCH) also yields the generated poster: the sandbox decodes no video frames.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { SandboxContext } from './context';
import type { VideoRecord } from './state';
import { encodeJpeg, type Rgb } from './jpeg';
import { ApiProblem } from './problems';
import { findVideo } from './videos';
import { parseOrThrow } from './payloads';
import { imageType } from '../lib/image-signature';
import { keepSidecar, receiveSidecar, removeFile, sidecarBytes, videoFile, withSidecar } from './sidecar-files';

const THUMBNAIL_WIDTH = 160;
const THUMBNAIL_HEIGHT = 90;
const WHITE: Rgb = [255, 255, 255];
/** The spec's limit for an uploaded thumbnail (video-thumbnail-upload-payload). */
export const MAX_THUMBNAIL_BYTES = 8 * 1024 * 1024;

/** HSL (hue in degrees, saturation and lightness 0–1) to RGB 0–255. */
function hsl(hue: number, saturation: number, lightness: number): Rgb {
  const chroma = (1 - Math.abs(2 * lightness - 1)) * saturation;
  const channel = (n: number) => {
    const k = (n + hue / 30) % 12;
    return Math.round(255 * (lightness - (chroma / 2) * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [channel(0), channel(8), channel(4)];
}

/** Whether the point lies inside the right-pointing play triangle centred on the picture (on the block grid). */
function inPlayTriangle(x: number, y: number): boolean {
  const [cx, cy, half] = [THUMBNAIL_WIDTH / 2, 44, 20];
  if (x < cx - half || x > cx + half) return false;
  return Math.abs(y - cy) <= (cx + half - x) * 0.55;
}

/** The generated poster of a video. */
export function thumbnailJpeg(videoId: string): Buffer {
  const hue = createHash('sha256').update(videoId).digest().readUInt16BE(0) % 360;
  const rows = Math.ceil(THUMBNAIL_HEIGHT / 8);
  return encodeJpeg({
    width: THUMBNAIL_WIDTH,
    height: THUMBNAIL_HEIGHT,
    colorAt: (bx, by) => (inPlayTriangle(bx * 8 + 4, by * 8 + 4) ? WHITE : hsl(hue, 0.6, 0.25 + (0.4 * by) / rows)),
  });
}

const uploadedImagePath = (ctx: SandboxContext, videoId: string): string => videoFile(ctx, videoId, 'thumbnail');

/** The uploaded image of a video, as a file and its content type; null when the poster is generated. */
export function storedThumbnailFile(
  ctx: SandboxContext,
  video: VideoRecord,
): { path: string; contentType: string } | null {
  const { thumbnail } = video;
  if (thumbnail?.kind !== 'uploaded' || thumbnail.contentType === null) return null;
  const path = uploadedImagePath(ctx, video.videoId);
  return existsSync(path) ? { path, contentType: thumbnail.contentType } : null;
}

/** The uploaded image of a video (for the thumbnail.jpg asset); null when none: serve thumbnailJpeg(videoId). */
export function storedThumbnail(ctx: SandboxContext, videoId: string): { contentType: string; bytes: Buffer } | null {
  const video = ctx.state.videos[videoId];
  const file = video ? storedThumbnailFile(ctx, video) : null;
  return file ? { contentType: file.contentType, bytes: readFileSync(file.path) } : null;
}

/** POST /videos/{id}/thumbnail: a JPEG, PNG or WebP (by signature) of at most 8 MiB becomes the thumbnail. */
export async function uploadThumbnail(ctx: SandboxContext, videoId: string, req: IncomingMessage, body: Readable) {
  findVideo(ctx, videoId);
  const upload = await receiveSidecar(ctx, req, body, MAX_THUMBNAIL_BYTES);
  return withSidecar(upload, () => {
    const contentType = imageType(sidecarBytes(upload));
    if (contentType === null)
      throw new ApiProblem('uploaded-file-invalid-file', 'file', 'The thumbnail must be a JPEG, PNG or WebP image.');
    const video = findVideo(ctx, videoId);
    keepSidecar(upload, uploadedImagePath(ctx, videoId));
    video.thumbnail = { kind: 'uploaded', contentType, timecode: null };
    video.updatedAt = ctx.clock.now();
    ctx.save();
    return video;
  });
}

/** The timecode shapes the spec lists: "hh:mm:ss", "hh:mm:ss.ms", "hh:mm:ss:frame", or whole seconds ("124"). */
const TIMECODE = /^(?:\d{2}:[0-5]\d:[0-5]\d(?:[.:]\d{1,3})?|\d+)$/;
const pickPayload = z.object({
  timecode: z.string().regex(TIMECODE, 'must be hh:mm:ss[.ms], hh:mm:ss:frame or seconds'),
});

/** PATCH /videos/{id}/thumbnail: records the timecode; the thumbnail is the generated poster again. */
export function pickThumbnail(ctx: SandboxContext, videoId: string, body: unknown): VideoRecord {
  const video = findVideo(ctx, videoId);
  const { timecode } = parseOrThrow(pickPayload, body);
  video.thumbnail = { kind: 'picked', contentType: null, timecode };
  video.updatedAt = ctx.clock.now();
  ctx.save();
  removeFile(uploadedImagePath(ctx, videoId));
  return video;
}
