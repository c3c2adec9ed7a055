// The media check of queued files (issue 17): each file's preflight (what it is, its duration and picture) and the
// sidecars beside it, in the background right after it is queued, and awaited by its upload before a byte is sent.
// A file that is not a video, or is cut short, ends skipped with that reason; so does one no parser recognised,
// unless the user said it is a video.
import type { MediaFacts, PreflightResult } from '../media/media-facts';
import type { FindOptions, Sidecar, SidecarProblem } from '../media/sidecars';
import { checkSidecars, findSidecars } from '../media/sidecars';
import type { LogFn } from './engine-types';
import type { JobStore } from './job-store';
import type { JobRecord } from './records';

export interface MediaCheckDeps {
  store: JobStore;
  preflight(path: string): Promise<PreflightResult>;
  now(): number;
  log: LogFn;
}

/** The end of the reason of a file no parser recognised: what the user can do about it. */
const unknownAdvice = 'If it is a video, choose "Upload anyway" (convoy: --upload-unrecognised).';

export class MediaCheck {
  /** Checks under way, by job id: the background pass and the job's upload share one. */
  private readonly pending = new Map<string, Promise<boolean>>();
  /** The names in a file's folder, from the scan that queued it (its sidecars are among them), until checked. */
  private readonly siblings = new Map<string, readonly string[]>();
  private closed = false;

  constructor(private readonly deps: MediaCheckDeps) {}

  /** Checks these jobs in the background, in order (the preflight pool bounds the work). */
  checkSoon(jobs: { job: JobRecord; siblings?: readonly string[] }[]): void {
    for (const { job, siblings } of jobs) {
      if (siblings) this.siblings.set(job.id, siblings);
      this.ensure(job).catch((error: unknown) =>
        this.deps.log(
          'error',
          `${job.path}: the media check failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    }
  }

  /** At start: the queued jobs that were not checked before the app stopped. */
  checkUnchecked(): void {
    this.checkSoon(
      this.deps.store
        .ordered()
        .filter((job) => needsCheck(job) && job.state === 'queued')
        .map((job) => ({ job })),
    );
  }

  /** Whether the job may be sent: checks it first when it was not. Refused, the job is skipped (with why). */
  ensure(job: JobRecord): Promise<boolean> {
    if (!needsCheck(job)) return Promise.resolve(job.state !== 'skipped');
    let check = this.pending.get(job.id);
    if (!check) {
      check = this.check(job).finally(() => {
        this.pending.delete(job.id);
        this.siblings.delete(job.id);
      });
      this.pending.set(job.id, check);
    }
    return check;
  }

  /** The engine closed: checks still under way record nothing (the next start checks those files again). */
  close(): void {
    this.closed = true;
  }

  private async check(job: JobRecord): Promise<boolean> {
    const result = await this.deps.preflight(job.path);
    if (this.closed) return false;
    if (!this.deps.store.holds(job) || !needsCheck(job)) return job.state !== 'skipped';
    if (
      !result.ok &&
      result.code !== 'unreadable' &&
      !(result.code === 'unknown' && (job.unrecognisedOk || job.force))
    ) {
      const reason =
        result.code === 'unknown' ? `${sentence(result.reason)} ${unknownAdvice}` : sentence(result.reason);
      // Before a byte is sent; a paused or failed file is no more a video than a queued one.
      this.deps.store.set(job, {
        state: 'skipped',
        reason,
        refused: result.code,
        checked: true,
        finishedAt: this.deps.now(),
      });
      return false;
    }
    // An unreadable file goes on: its upload reads it and says why it cannot, as for any other read error.
    const facts: { media?: MediaFacts; sidecars?: Sidecar[]; sidecarProblems?: SidecarProblem[] } = {};
    if (result.ok) facts.media = result.facts;
    if (result.ok || result.code === 'unknown') {
      const siblings = this.siblings.get(job.id);
      const found = job.noSidecars ? null : await sidecarsOf(job.path, siblings ? { siblings } : {});
      if (found?.sidecars.length) facts.sidecars = found.sidecars;
      if (found?.problems.length) facts.sidecarProblems = found.problems;
    }
    if (this.closed) return false;
    if (this.deps.store.holds(job)) this.deps.store.set(job, { checked: true, ...facts });
    return true;
  }
}

/** A job to check: not checked yet, and nothing of it sent (a file under way was queued before checks existed). */
function needsCheck(job: JobRecord): boolean {
  if (job.checked || job.videoId || job.acked.size > 0) return false;
  return job.state !== 'done' && job.state !== 'cancelled' && job.state !== 'skipped';
}

/** The sidecars of one video, found and checked (read and validated as before sending). */
export async function sidecarsOf(
  path: string,
  options: FindOptions,
): Promise<{ sidecars: Sidecar[]; problems: SidecarProblem[] }> {
  return checkSidecars(await findSidecars(path, options));
}

/** A reason as a sentence, ending with a full stop (it starts with the file's name, kept as it is). */
function sentence(reason: string): string {
  return /[.!?]$/.test(reason) ? reason : `${reason}.`;
}
