// Discarded videos (api.video's Video Restore): DELETE /videos/{id} moves a video here with its files, where it
// can be listed, fetched and restored (PATCH {"discarded": false}) until 90 days of sandbox clock have passed;
// then it is purged with its files and summaries.
import { z } from 'zod';
import type { SandboxContext } from './context';
import type { VideoRecord } from './state';
import { ApiProblem } from './problems';
import { isVideoId } from './ids';
import { DISCARD_KEEP_MS, findVideo, listVideos } from './videos';
import { parseOrThrow } from './payloads';

const restorePayload = z.object({
  discarded: z.literal(false, { error: 'only false is accepted: it restores the video' }),
});

/** Purges every discarded video whose 90 days are over (record, files, summaries). */
export function purgeExpiredDiscarded(ctx: SandboxContext): void {
  const now = ctx.clock.now();
  const expired = Object.values(ctx.state.discardedVideos).filter(
    (video) => video.discardedAt !== null && now >= video.discardedAt + DISCARD_KEEP_MS,
  );
  if (expired.length === 0) return;
  for (const video of expired) {
    delete ctx.state.discardedVideos[video.videoId];
    for (const summary of Object.values(ctx.state.summaries))
      if (summary.videoId === video.videoId) delete ctx.state.summaries[summary.summaryId];
  }
  ctx.save();
  for (const video of expired) ctx.storage.removeVideo(video.videoId);
}

/** DELETE /videos/{id}: the video leaves every video route and waits in /discarded/videos. */
export function discardVideo(ctx: SandboxContext, videoId: string): void {
  const video = findVideo(ctx, videoId);
  delete ctx.state.videos[videoId];
  video.discardedAt = ctx.clock.now();
  ctx.state.discardedVideos[videoId] = video;
  ctx.save();
  purgeExpiredDiscarded(ctx);
}

export function findDiscarded(ctx: SandboxContext, videoId: string): VideoRecord {
  purgeExpiredDiscarded(ctx);
  const video = isVideoId(videoId) ? ctx.state.discardedVideos[videoId] : undefined;
  if (!video) throw new ApiProblem('resource-not-found', 'videoId');
  return video;
}

export function listDiscarded(ctx: SandboxContext, query: URLSearchParams) {
  purgeExpiredDiscarded(ctx);
  return listVideos(ctx, query, Object.values(ctx.state.discardedVideos), '/discarded/videos');
}

/** PATCH /discarded/videos/{id} {"discarded": false}: the video is back, as it was. */
export function restoreDiscarded(ctx: SandboxContext, videoId: string, body: unknown): VideoRecord {
  const video = findDiscarded(ctx, videoId);
  parseOrThrow(restorePayload, body);
  delete ctx.state.discardedVideos[videoId];
  video.discardedAt = null;
  video.updatedAt = ctx.clock.now();
  ctx.state.videos[videoId] = video;
  ctx.save();
  return video;
}
