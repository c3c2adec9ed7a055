// Token uploads: the first chunk creates the video and only its reply names it. When that reply is lost (a crash
// before it was journaled, a dropped connection), an API-key client of the same account can still find the video:
// the same file name, created since the chunk left, holding exactly that first chunk, and known to no other job.
import { ApiVideoError, type ApiVideoClient, type Video } from '../apivideo/index';
import type { LogFn } from './engine-types';
import type { JobRecord } from './records';
import { spanRange } from './plan';
import { isUploaded, parseTime } from './video-facts';

/**
 * "Created since the chunk left" is judged on the server's clock, read off the look-up's own reply; this much
 * earlier still counts: the Date header's whole seconds, and this machine's clock being corrected since the chunk
 * left (after sleep, say).
 */
const CLOCK_SLACK_MS = 10 * 60_000;

export type FirstReplyVerdict =
  { kind: 'found'; video: Video } | { kind: 'none' } | { kind: 'ambiguous'; videoIds: string[] };

export interface Claims {
  /** The video already belongs to another job. */
  taken(videoId: string): boolean;
  /** Other jobs of a file with the same name and cut whose first chunk is unaccounted for too: any match could be theirs. */
  rivals: number;
}

export async function findFirstChunkVideo(
  job: JobRecord,
  keyClient: ApiVideoClient,
  claims: Claims,
): Promise<FirstReplyVerdict> {
  const page = await keyClient.videos.list({ title: job.name, sortBy: 'createdAt', sortOrder: 'desc', pageSize: 50 });
  const since = (job.firstChunkSentAt ?? 0) + (keyClient.serverClockOffsetMs() ?? 0) - CLOCK_SLACK_MS;
  const matches: Video[] = [];
  for (const video of page.data) {
    if (video.title !== job.name || claims.taken(video.videoId)) continue;
    const created = parseTime(video.createdAt);
    if (created !== undefined && created < since) break; // newest first: the rest are older still
    const status = await keyClient.videos.status(video.videoId);
    const ingest = status.ingest;
    if (ingest?.filesize != null && ingest.filesize !== job.size) continue;
    if (job.byteRanges) {
      // Sent with byte ranges: the first span, as journaled before it left, and nothing else.
      const first = job.openSpans?.find((span) => span[0] === 1) ?? [1, 1];
      const range = spanRange(job.size, job.chunkSize!, first[0], first[1]);
      const ranges = ingest?.receivedBytes ?? [];
      if (ranges.some((r) => r.total !== job.size)) continue;
      const whole = range.end === job.size - 1;
      const holdsFirstOnly = whole
        ? isUploaded(status)
        : !isUploaded(status) && ranges.length === 1 && ranges[0]!.from === range.start && ranges[0]!.to === range.end;
      if (holdsFirstOnly) matches.push(video);
      continue;
    }
    if (ingest?.receivedParts?.total != null && ingest.receivedParts.total !== job.totalParts) continue;
    const parts = ingest?.receivedParts?.parts ?? [];
    const holdsFirstOnly =
      job.totalParts === 1 ? isUploaded(status) : !isUploaded(status) && parts.length === 1 && parts[0] === 1;
    if (holdsFirstOnly) matches.push(video);
  }
  if (matches.length === 1 && claims.rivals === 0) return { kind: 'found', video: matches[0]! };
  if (matches.length === 0) return { kind: 'none' };
  return { kind: 'ambiguous', videoIds: matches.map((v) => v.videoId) };
}

/** What the job says when a lost first reply could not be resolved, and so the file was sent again. */
export function lostReplyNote(
  job: JobRecord,
  why: 'no-key' | 'key-refused' | 'ambiguous',
  videoIds: string[] = [],
): string {
  const lost = "The reply to this file's first chunk was lost, so the file was sent again.";
  const remains = `If the server kept that chunk, an incomplete video named "${job.name}" remains in the account.`;
  switch (why) {
    case 'no-key':
      return `${lost} An upload token cannot look for the video that chunk may have started. ${remains} With an API key of the same account (an API-key profile on the same server, or --lookup-key-env on the command line) Convoy finds and continues such videos instead.`;
    case 'key-refused':
      return `${lost} The API key lent to look for the video that chunk may have started was refused. ${remains}`;
    case 'ambiguous':
      return `${lost} Several incomplete videos could be the one it started (${videoIds.join(', ')}), or another file of the same name could own it; rather than guess, it became a new video.`;
  }
}

/** What recovering a lost first reply needs: an API key of the token's account, if lent, and the other jobs. */
export interface RecoveryDeps {
  keyClient: ApiVideoClient | undefined;
  /** Every job of the journal (the claims of the others). */
  jobs: Iterable<JobRecord>;
  /** Keeps on the job why the file was sent again (said when it is done). */
  note(job: JobRecord, restartReason: string): void;
  log: LogFn;
}

/**
 * Finds the video a token upload's first chunk made when its reply was lost, with an API key of the same account if
 * lent; null when the first chunk must be sent again (the job then carries why, see lostReplyNote).
 */
export async function recoverFirstReply(job: JobRecord, deps: RecoveryDeps): Promise<Video | null> {
  if (!deps.keyClient) {
    deps.note(job, lostReplyNote(job, 'no-key'));
    return null;
  }
  let verdict;
  try {
    const others = [...deps.jobs].filter((other) => other.id !== job.id);
    verdict = await findFirstChunkVideo(job, deps.keyClient, {
      taken: (videoId) => others.some((other) => other.videoId === videoId),
      rivals: rivalsOf(job, others),
    });
  } catch (error) {
    // A borrowed key that no longer works must not fail an upload whose own token does.
    if (error instanceof ApiVideoError && !error.retryable) {
      deps.log('warn', `${job.path}: could not look for the video of a lost first reply: ${error.message}`);
      deps.note(job, lostReplyNote(job, 'key-refused'));
      return null;
    }
    throw error;
  }
  if (verdict.kind === 'found') {
    deps.log(
      'info',
      `${job.path}: the reply to the first chunk was lost; continuing video ${verdict.video.videoId}, which that chunk created`,
    );
    return verdict.video;
  }
  if (verdict.kind === 'ambiguous') deps.note(job, lostReplyNote(job, 'ambiguous', verdict.videoIds));
  return null;
}

/** Other jobs whose first chunk of a file with the same name and cut is also unaccounted for. */
function rivalsOf(job: JobRecord, others: JobRecord[]): number {
  return others.filter(
    (other) =>
      !other.videoId &&
      other.firstChunkSentAt !== undefined &&
      other.name === job.name &&
      other.totalParts === job.totalParts,
  ).length;
}
