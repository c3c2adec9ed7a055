// The rules of how a job's state may change, as pure functions of the job: what pause, resume, retry and cancel
// do to it, which jobs a removal abandons, and what a job becomes when the engine starts again after a stop.
import type { JobState } from '../../common/contract/queue';
import type { JobPatch, JobRecord } from './records';

/** A change to apply to a job: fields to set and fields to clear. */
export interface JobChange {
  patch: JobPatch;
  clear: (keyof JobRecord)[];
}

const pausable = new Set<JobState>(['queued', 'uploading', 'retrying', 'offline']);
const retryable = new Set<JobState>(['failed', 'cancelled', 'skipped']);
/** Nothing is left to cancel: complete (a finalizing upload is all on the server) or already ended. */
const uncancellable = new Set<JobState>(['done', 'skipped', 'cancelled', 'finalizing']);
/** A removal leaves their video alone: it holds the whole file. */
const complete = new Set<JobState>(['done', 'skipped', 'finalizing']);
/** Work a crash or a quit interrupted: it goes back to the queue, and the run checks everything again. */
const interrupted = new Set<JobState>(['uploading', 'retrying', 'offline', 'finalizing']);

/** What a video-less job forgets when its video is abandoned or it is retried as a duplicate. */
export const videoFields: (keyof JobRecord)[] = [
  'videoId',
  'playerUrl',
  'embedCode',
  'mp4Url',
  'thumbnailUrl',
  'encoding',
  'detailsProblem',
];
/** And what an abandoned upload forgets beyond that: its plan and its windows. */
export const uploadFields: (keyof JobRecord)[] = [
  'containerCreatedAt',
  'firstChunkAt',
  'firstChunkSentAt',
  'chunkSize',
  'totalParts',
  'byteRanges',
  'openSpans',
  'mode',
  'partDigests',
  'contentHash',
];

export function pauseChange(job: JobRecord): JobChange | null {
  return pausable.has(job.state) ? { patch: { state: 'paused' }, clear: [] } : null;
}

/** A job that waited for its key forgets why: it is asked for again if still missing. */
export function resumeChange(job: JobRecord): JobChange | null {
  if (job.state !== 'paused') return null;
  return { patch: { state: 'queued' }, clear: job.waitingForKey ? ['reason'] : [] };
}

/** Retrying a skipped duplicate means "upload it anyway": it forgets the video it pointed at. */
export function retryChange(job: JobRecord): JobChange | null {
  if (!retryable.has(job.state)) return null;
  // A file the preflight refused is checked again; one it did not recognise then goes, on the user's word (force).
  if (job.state === 'skipped')
    return { patch: { state: 'queued', force: true }, clear: ['reason', 'refused', 'checked', ...videoFields] };
  return { patch: { state: 'queued' }, clear: ['reason'] };
}

export function cancelChange(job: JobRecord): JobChange | null {
  return uncancellable.has(job.state) ? null : { patch: { state: 'cancelled', reason: 'Cancelled.' }, clear: [] };
}

/** Whether removing the job abandons an unfinished video of it. */
export function removalAbandons(job: JobRecord): boolean {
  return !complete.has(job.state);
}

/**
 * The job as the engine starts again: interrupted work is queued, and a job that waited for its key is queued to
 * ask again (the key may be there now, from a keychain); still missing, it waits again.
 */
export function restoreChange(job: JobRecord): JobChange | null {
  if (interrupted.has(job.state)) return { patch: { state: 'queued' }, clear: [] };
  if (job.state === 'paused' && job.waitingForKey)
    return { patch: { state: 'queued' }, clear: ['reason', 'waitingForKey'] };
  return null;
}
