// How a job's state reads to a person: a short label, a tone, and whether its countdowns matter.
import type { JobProgress, JobState, JobView } from '../../../common/api';
import type { Tone } from '../../ui/controls';
import { timeLeft } from '../../ui/format';

const labels: Record<JobState, string> = {
  queued: 'Queued',
  uploading: 'Uploading',
  paused: 'Paused',
  offline: 'Offline',
  retrying: 'Retrying',
  finalizing: 'Encoding',
  done: 'Done',
  failed: 'Failed',
  skipped: 'Skipped: duplicate',
  cancelled: 'Cancelled',
};

const tones: Record<JobState, Tone> = {
  queued: 'neutral',
  uploading: 'info',
  paused: 'neutral',
  offline: 'warning',
  retrying: 'warning',
  finalizing: 'info',
  done: 'success',
  failed: 'danger',
  skipped: 'neutral',
  cancelled: 'neutral',
};

export function stateTone(state: JobState, waitingForKey = false): Tone {
  return waitingForKey ? 'warning' : tones[state];
}

export function stateName(state: JobState): string {
  return labels[state];
}

/** What a file waiting for its profile's key is called, in its row and in the overview's counts. */
export const NEEDS_KEY = 'Needs key';

/**
 * A paused job still finishing a part on the wire: a pause lets a part that will arrive soon finish, so what it
 * carries is kept (and a token upload's first part is never cut off blind).
 */
export function isPausing(job: Pick<JobView, 'state'>, inflightBytes: number | undefined): boolean {
  return job.state === 'paused' && (inflightBytes ?? 0) > 0;
}

export const PAUSING = 'Pausing…';
/** Why a paused file still says "Pausing…": true for API-key and upload-token uploads alike. */
export const PAUSING_EXPLANATION =
  'Letting the part on its way arrive, so what it carries is kept and not sent again. A part that should arrive within 20 s is let finish; one that would take longer is stopped and sent again from its start on resume. Waiting up to 15 s for the first part of an upload-token upload, even a slow one: only its reply names the video, so stopping it blind could leave a second, duplicate video.';

/**
 * A row's progress bar: the share of the file the server confirmed (all of it once the upload is over) and the
 * share on its way beyond that, drawn apart. Only the confirmed share is the row's percentage: bytes on the wire
 * can be stopped by a pause and sent again, so counting them would make the figure fall back.
 */
export function rowProgress(
  job: Pick<JobView, 'state' | 'size' | 'confirmedBytes'>,
  progress: Pick<JobProgress, 'confirmedBytes' | 'inflightBytes'> | undefined,
): { confirmed: number; inflight: number } {
  if (job.state === 'done' || job.state === 'finalizing') return { confirmed: 1, inflight: 0 };
  if (job.size <= 0) return { confirmed: 0, inflight: 0 };
  const confirmed = Math.min(job.size, Math.max(job.confirmedBytes, progress?.confirmedBytes ?? 0));
  const inflight = Math.min(job.size - confirmed, progress?.inflightBytes ?? 0);
  return { confirmed: confirmed / job.size, inflight: inflight / job.size };
}

/**
 * "Retrying in 12 s" for a retrying job, "Needs key" for one waiting for its profile's key, "Pausing…" for a
 * paused one with bytes still in flight, else the state.
 */
export function stateLabel(
  job: Pick<JobView, 'state' | 'retryAt' | 'waitingForKey'>,
  now: number,
  inflightBytes?: number,
): string {
  if (job.waitingForKey) return NEEDS_KEY;
  if (isPausing(job, inflightBytes)) return PAUSING;
  if (job.state === 'retrying' && job.retryAt !== undefined) {
    const left = timeLeft(job.retryAt, now);
    return left === null ? 'Retrying now' : `Retrying in ${left}`;
  }
  return labels[job.state];
}

/** States in which the resume window can matter (the upload has started and is not over). */
function windowApplies(state: JobState): boolean {
  return (
    state === 'uploading' ||
    state === 'paused' ||
    state === 'offline' ||
    state === 'retrying' ||
    state === 'queued' ||
    state === 'failed'
  );
}

/** Stopped states, where the window is the deadline for acting; elsewhere it shows only when under a day is left. */
const windowAlwaysShown: ReadonlySet<JobState> = new Set(['paused', 'offline', 'failed']);
const DAY_MS = 24 * 3600_000;

/**
 * "Can resume for 6 d 23 h" (time left to finish this upload), only where it matters: a paused, offline or failed
 * file, or any unfinished one with under a day left. A row uploading with days to spare says nothing about it.
 */
export function windowLabel(job: Pick<JobView, 'state' | 'windowEndsAt'>, now: number): string | null {
  if (job.windowEndsAt === undefined || !windowApplies(job.state)) return null;
  const ms = job.windowEndsAt - now;
  if (!windowAlwaysShown.has(job.state) && ms >= DAY_MS) return null;
  // Whole minutes while there are more than ten: seconds ticking away on every row say nothing useful.
  const left = timeLeft(ms > 10 * 60_000 ? now + Math.floor(ms / 60_000) * 60_000 : job.windowEndsAt, now);
  return left === null ? 'Can no longer resume' : `Can resume for ${left}`;
}

/** What happens when the window closes, which differs between an API-key container and a delegated token. */
export function windowExplanation(job: Pick<JobView, 'windowEndsAt'>, usesToken: boolean): string {
  const until = job.windowEndsAt !== undefined ? ` (until ${new Date(job.windowEndsAt).toLocaleString()})` : '';
  return usesToken
    ? `Time left to finish this upload with its upload token${until}. After that the server refuses the rest and a new token is needed.`
    : `Time left to finish this upload into its video${until}. After that the server no longer accepts the rest and the file starts over as a new video.`;
}

/** The short warning shown beside a job whose title, description, tags or privacy are not the video's on the server. */
export const DETAILS_NOT_ON_SERVER = 'Details not on server';

/** Whether an action makes sense for a job in this state (buttons are disabled otherwise). */
export const canAct = {
  pause: (s: JobState) => s === 'queued' || s === 'uploading' || s === 'retrying' || s === 'offline',
  resume: (s: JobState) => s === 'paused',
  cancel: (s: JobState) => s !== 'done' && s !== 'cancelled' && s !== 'skipped' && s !== 'finalizing',
  retry: (s: JobState) => s === 'failed' || s === 'cancelled' || s === 'skipped',
  remove: () => true,
  /** "Clear finished" takes these out of the queue. */
  clear: (s: JobState) => s === 'done' || s === 'skipped',
};

export const tickingStates: ReadonlySet<JobState> = new Set(['retrying', 'uploading', 'paused', 'offline', 'queued']);

/**
 * Whether Convoy is following this video's encoding now. 'pending' means nobody followed it (the setting was off,
 * or no key could ask), so it is not "encoding" as far as anyone here knows.
 */
export function isEncoding(job: Pick<JobView, 'state' | 'encoding'>): boolean {
  return job.state === 'finalizing' || job.encoding === 'encoding';
}
