// Watermarks: JPEG or PNG images uploaded once (stored as media/watermarks/<id>), listed and deleted, and the
// `watermark` a video is created with (its id must name one). The sandbox draws no watermark on any picture.
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { SandboxContext } from './context';
import type { WatermarkRecord } from './state';
import { ApiProblem } from './problems';
import { atom } from './clock';
import { enumParam } from './http';
import { paginate } from './pagination';
import { imageType } from '../lib/image-signature';
import { newWatermarkId } from './resource-ids';
import { accountFile, keepSidecar, receiveSidecar, removeFile, sidecarBytes, withSidecar } from './sidecar-files';

/** api.video documents no size limit for watermarks; the thumbnail's 8 MiB is a sane bound for an image. */
const MAX_WATERMARK_BYTES = 8 * 1024 * 1024;

/** The `video-watermark` of a creation payload: an id and optional placement strings (`10px`, `50%`, `initial`). */
export const videoWatermarkPayload = z
  .object({
    id: z.string(),
    top: z.string(),
    left: z.string(),
    bottom: z.string(),
    right: z.string(),
    width: z.string(),
    height: z.string(),
    opacity: z.string(),
  })
  .partial({ top: true, left: true, bottom: true, right: true, width: true, height: true, opacity: true })
  .strict();

const watermarkFile = (ctx: SandboxContext, watermarkId: string) => accountFile(ctx, 'watermarks', watermarkId);

const present = (watermark: WatermarkRecord) => ({
  watermarkId: watermark.watermarkId,
  createdAt: atom(watermark.createdAt),
});

export async function uploadWatermark(ctx: SandboxContext, req: IncomingMessage, body: Readable) {
  const upload = await receiveSidecar(ctx, req, body, MAX_WATERMARK_BYTES);
  return withSidecar(upload, () => {
    const contentType = imageType(sidecarBytes(upload));
    if (contentType !== 'image/jpeg' && contentType !== 'image/png')
      throw new ApiProblem('uploaded-file-invalid-file', 'file', 'A watermark must be a JPEG or PNG image.');
    const watermark = { watermarkId: newWatermarkId(), createdAt: ctx.clock.now(), contentType };
    keepSidecar(upload, watermarkFile(ctx, watermark.watermarkId));
    ctx.state.watermarks[watermark.watermarkId] = watermark;
    ctx.save();
    return present(watermark);
  });
}

export function listWatermarks(ctx: SandboxContext, query: URLSearchParams) {
  enumParam(query, 'sortBy', ['createdAt'] as const, 'createdAt');
  const direction = enumParam(query, 'sortOrder', ['asc', 'desc'] as const, 'asc') === 'asc' ? 1 : -1;
  const found = Object.values(ctx.state.watermarks).sort((a, b) => direction * (a.createdAt - b.createdAt));
  return paginate(found.map(present), ctx.baseUrl, '/watermarks', query);
}

export function deleteWatermark(ctx: SandboxContext, watermarkId: string): void {
  if (!Object.hasOwn(ctx.state.watermarks, watermarkId)) throw new ApiProblem('resource-not-found', 'watermarkId');
  delete ctx.state.watermarks[watermarkId];
  ctx.save();
  removeFile(watermarkFile(ctx, watermarkId));
}

/** A creation payload's watermark, checked: its id must name an uploaded watermark (400 otherwise). */
export function checkVideoWatermark(ctx: SandboxContext, watermark: z.infer<typeof videoWatermarkPayload>): void {
  if (!Object.hasOwn(ctx.state.watermarks, watermark.id))
    throw new ApiProblem('invalid-attribute', 'watermark', `"watermark.id": no watermark ${watermark.id} exists.`);
}
