// GET /videos/{id}/status: ingest progress (received parts / byte ranges) and a simulated encoding that
// becomes playable a few seconds of sandbox clock after the source is complete and assembled.
import type { SandboxContext } from './context';
import type { VideoRecord } from './state';

export const ENCODING_SECONDS = 3;
const LADDER = ['240p', '360p', '480p', '720p'] as const;

export function isPlayable(ctx: SandboxContext, video: VideoRecord): boolean {
  const { completedAt, assembled } = video.upload;
  return completedAt !== null && assembled && ctx.clock.now() >= completedAt + ENCODING_SECONDS * 1000;
}

function ingestStatus(ctx: SandboxContext, video: VideoRecord) {
  if (video.sourceKind !== 'upload') return isPlayable(ctx, video) ? 'ingested' : 'ingesting';
  return video.upload.completedAt === null ? 'uploading' : 'uploaded';
}

export function presentStatus(ctx: SandboxContext, video: VideoRecord) {
  const upload = video.upload;
  const playable = isPlayable(ctx, video);
  const complete = upload.completedAt !== null;
  const qualityStatus = playable ? 'encoded' : 'encoding';
  const qualities = complete
    ? [
        ...LADDER.map((quality) => ({ type: 'hls', quality, status: qualityStatus })),
        { type: 'mp4', quality: '720p', status: qualityStatus },
      ]
    : [];
  return {
    ingest: {
      status: ingestStatus(ctx, video),
      filesize: upload.filesize,
      receivedBytes: upload.ranges.map((range) => ({ from: range.from, to: range.to, total: upload.totalBytes ?? 0 })),
      receivedParts: { parts: upload.parts.map((part) => part.n), total: upload.totalParts },
    },
    encoding: {
      playable,
      qualities,
      metadata: {
        width: null,
        height: null,
        bitrate: null,
        duration: null,
        framerate: null,
        samplerate: null,
        videoCodec: null,
        audioCodec: null,
        aspectRatio: null,
      },
    },
  };
}
