// Facts read from the journal and from api.video's replies: a job's parts, a video's metadata, assets and
// ingest state, and the deadline of its upload window.
import type { Video } from '../apivideo/index';
import type { JobRecord } from './records';
import { Failure, Restart } from './outcomes';

const DAY = 24 * 60 * 60 * 1000;

export function allParts(job: JobRecord): number[] {
  return Array.from({ length: job.totalParts ?? 0 }, (_, i) => i + 1);
}

export function metaValue(video: Video, key: string): string | undefined {
  return video.metadata?.find((m) => m.key === key)?.value;
}

export function parseTime(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

export function isUploaded(status: {
  ingest?: { status?: string | undefined } | undefined;
  encoding?: { playable: boolean } | undefined;
}): boolean {
  const s = status.ingest?.status;
  return s === 'uploaded' || s === 'ingested' || s === 'ingesting' || status.encoding?.playable === true;
}

export function assetsOf(video: Video): {
  playerUrl?: string;
  embedCode?: string;
  mp4Url?: string;
  thumbnailUrl?: string;
} {
  return {
    ...(video.assets?.player ? { playerUrl: video.assets.player } : {}),
    ...(video.assets?.iframe ? { embedCode: video.assets.iframe } : {}),
    ...(video.assets?.mp4 ? { mp4Url: video.assets.mp4 } : {}),
    ...(video.assets?.thumbnail ? { thumbnailUrl: video.assets.thumbnail } : {}),
  };
}

/** When the job's video stops accepting parts: 7 days after an API-key container was created; for a token
 * upload, the token's expiry (plus 24 h of grace once the first chunk arrived). */
export function windowEnd(
  job: JobRecord,
  limits: { containerWindowMs?: number; tokenGraceMs?: number },
): number | undefined {
  if (job.mode === 'container' && job.containerCreatedAt !== undefined) {
    return job.containerCreatedAt + (limits.containerWindowMs ?? 7 * DAY);
  }
  if (job.mode === 'token' && job.tokenExpiresAt !== undefined) {
    return job.firstChunkAt !== undefined ? job.tokenExpiresAt + (limits.tokenGraceMs ?? DAY) : job.tokenExpiresAt;
  }
  return undefined;
}

/**
 * The server's time now: the system clock plus the offset the client read off the server's replies (its Date header,
 * measured against that same system clock); undefined before any reply, when nothing local can judge its windows.
 */
export function serverNow(client: { serverClockOffsetMs(): number | undefined }): number | undefined {
  const offset = client.serverClockOffsetMs();
  return offset === undefined ? undefined : Date.now() + offset;
}

/**
 * Throws when the job's upload window has closed by the server's clock (its windows are its own): a container starts
 * over, a token upload fails. With the server's time unknown it passes: sending asks the server itself.
 */
export function checkWindow(
  job: JobRecord,
  now: number | undefined,
  limits: { containerWindowMs?: number; tokenGraceMs?: number },
): void {
  const end = windowEnd(job, limits);
  if (end === undefined || now === undefined || now <= end || !job.videoId) return;
  const when = new Date(end).toISOString();
  if (job.mode === 'container') {
    throw new Restart(
      `The upload window of video ${job.videoId} ended at ${when} (7 days after it was created); the file starts over as a new video.`,
    );
  }
  throw new Failure(
    `The upload token's time to finish this upload ended at ${when}. Ask for a new upload token and retry.`,
  );
}
