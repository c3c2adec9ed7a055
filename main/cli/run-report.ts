// The end of a `convoy upload` run in words and numbers: each file that did not arrive with its state and why,
// and the closing count of what this run uploaded, what was already there, what failed and what is left.
import type { JobState, JobView, NetworkStatus } from '../../common/contract/queue';
import { redact } from '../log/redact';
import type { EventSource } from './render';

/** How the run ended: the queue went idle, Ctrl-C (SIGINT/SIGTERM), or --give-up-after ran out. */
export type RunEnding = 'finished' | 'interrupted' | 'gave-up';

export const interruptedReason = 'interrupted, resumes on the next run';

/** A file that did not arrive: what it is doing (or what stopped it) and why, in plain words. */
export interface FileOutcome {
  path: string;
  state: JobState | 'interrupted' | 'needs key';
  reason: string;
}

export interface RunCounts {
  files: number;
  /** Arrived during this run. */
  uploaded: number;
  /** On the server already: duplicates + done in an earlier run. */
  alreadyThere: number;
  /** Skipped: the same content was already uploaded with these credentials. */
  duplicates: number;
  /** Skipped before a byte was sent: the media preflight refused them (not a video, cut short, not recognised). */
  refused: number;
  /** Uploaded by an earlier run with this state directory. */
  earlierRun: number;
  /** Failed (or cancelled): the next run tries them again. */
  failed: number;
  /** Neither arrived nor failed: interrupted, given up on while waiting, or waiting for a key. */
  unfinished: number;
}

const arrived = (job: JobView): boolean => job.state === 'done' || job.state === 'skipped';

/** Counts the run's files; `doneBefore` holds the ids that were already done when this run started. */
export function countRun(jobs: JobView[], doneBefore: ReadonlySet<string>): RunCounts {
  const counts: RunCounts = {
    files: jobs.length,
    uploaded: 0,
    alreadyThere: 0,
    duplicates: 0,
    refused: 0,
    earlierRun: 0,
    failed: 0,
    unfinished: 0,
  };
  for (const job of jobs) {
    if (job.state === 'skipped' && job.refused) counts.refused += 1;
    else if (job.state === 'skipped') counts.duplicates += 1;
    else if (job.state === 'done') {
      if (doneBefore.has(job.id)) counts.earlierRun += 1;
      else counts.uploaded += 1;
    } else if (job.state === 'failed' || job.state === 'cancelled') counts.failed += 1;
    else counts.unfinished += 1;
  }
  counts.alreadyThere = counts.duplicates + counts.earlierRun;
  return counts;
}

/** Why a job is where it is; a job still on its way when the run stopped says so, and that it resumes. */
export function outcomeOf(job: JobView, ending: RunEnding, network?: NetworkStatus, lastProblem?: string): FileOutcome {
  const reason = job.reason
    ? redact(job.reason)
    : lastProblem && ending === 'gave-up' && stillTrying.has(job.state)
      ? `${stateWords[job.state]}; the last attempt: ${redact(lastProblem).replace(/\.?$/, '')}`
      : undefined;
  const { path } = job;
  switch (job.state) {
    case 'failed':
      return {
        path,
        state: 'failed',
        reason: reason ?? 'it stopped with an error that was not recorded; run again to retry it',
      };
    case 'cancelled':
      return { path, state: 'cancelled', reason: reason ?? 'cancelled; run again to upload it' };
    case 'skipped':
    case 'done':
      return { path, state: job.state, reason: reason ?? '' };
    case 'paused':
      return job.waitingForKey
        ? { path, state: 'needs key', reason: reason ?? 'its profile has no key this session' }
        : { path, state: 'paused', reason: reason ?? 'paused in the Convoy app; resume it there or run again' };
    default: {
      if (ending === 'interrupted') return { path, state: 'interrupted', reason: interruptedReason };
      const why =
        reason ?? (job.state === 'offline' && network?.reason ? redact(network.reason) : stateWords[job.state]);
      return { path, state: job.state, reason: `${why.replace(/\.?$/, '')}; saved, resumes on the next run` };
    }
  }
}

const stateWords: Record<JobState, string> = {
  queued: 'waiting for its turn',
  uploading: 'was uploading',
  paused: 'paused',
  offline: 'the server cannot be reached',
  retrying: 'retrying after an error',
  finalizing: 'sent; waiting for the server to finish it',
  done: 'done',
  failed: 'failed',
  skipped: 'skipped',
  cancelled: 'cancelled',
};

/** States in which a file may be between attempts, its last problem no longer on the job itself. */
const stillTrying = new Set<JobState>(['queued', 'uploading', 'finalizing']);

/** The files that did not arrive, in queue order; `problems` holds each file's last problem seen this run. */
export function notArrived(
  jobs: JobView[],
  ending: RunEnding,
  network?: NetworkStatus,
  problems?: ReadonlyMap<string, string>,
): FileOutcome[] {
  return jobs.filter((job) => !arrived(job)).map((job) => outcomeOf(job, ending, network, problems?.get(job.id)));
}

/**
 * Remembers each file's last problem (why it was retrying or offline) while the run goes on: a run that gives up
 * while a file is between attempts still says what went wrong, not only "was uploading".
 */
export function rememberProblems(events: EventSource): { problems: ReadonlyMap<string, string>; stop(): void } {
  const problems = new Map<string, string>();
  const stop = events.on('jobs', ({ upserts }) => {
    for (const job of upserts) if (job.reason && !arrived(job)) problems.set(job.id, job.reason);
  });
  return { problems, stop };
}

/** A file the media preflight refused before a byte was sent: not a video, cut short, or not recognised. */
export interface SkippedFile {
  path: string;
  reason: string;
  code: NonNullable<JobView['refused']>;
}

/** The files the preflight refused (skipped jobs with `refused`), for the summary. */
export function skippedMedia(jobs: JobView[]): SkippedFile[] {
  return jobs.flatMap((job) =>
    job.state === 'skipped' && job.refused
      ? [{ path: job.path, reason: redact(job.reason ?? 'refused by the media check'), code: job.refused }]
      : [],
  );
}

/** "skipped  /path/fake.mp4: fake.mp4 is not a video: it starts like a text file". */
export function skippedLine(skip: SkippedFile): string {
  const anyway = skip.code === 'unknown' ? ' (run again with --upload-unrecognised to upload it anyway)' : '';
  return `${'skipped'.padEnd(8)} ${skip.path}: ${skip.reason.replace(/\.$/, '')}${anyway}`;
}

/** One line for a terminal: "failed   /path: why". */
export function outcomeLine(outcome: FileOutcome): string {
  return `${outcome.state.padEnd(8)} ${outcome.path}: ${outcome.reason}`;
}

function duration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.round(ms / 1000)}s`;
}

/** The last line of a run: the same counts as the JSON summary, for this run's files. */
export function closingLine(counts: RunCounts, ending: RunEnding, giveUpAfterMs?: number): string {
  const head =
    ending === 'interrupted'
      ? 'Interrupted'
      : ending === 'gave-up'
        ? `Gave up after ${duration(giveUpAfterMs ?? 0)} without progress`
        : 'Finished';
  const there = counts.alreadyThere
    ? `${counts.alreadyThere} already there (${counts.duplicates} duplicate(s) on the server, ${counts.earlierRun} done in an earlier run)`
    : '0 already there';
  const parts = [`${counts.uploaded} uploaded by this run`, there, `${counts.failed} failed`];
  if (counts.unfinished)
    parts.push(`${counts.unfinished} ${ending === 'interrupted' ? 'interrupted' : 'not finished'}`);
  const next = counts.failed + counts.unfinished > 0 ? ' Run the same command again to resume and retry.' : '';
  const refused = counts.refused
    ? `; ${counts.refused} skipped before sending (not a video, cut short or unrecognised)`
    : '';
  return `${head}: ${parts.join(', ')} (of ${counts.files} file(s))${refused}.${next}`;
}
