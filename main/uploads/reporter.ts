// Reports the queue to its listeners: coalesced job changes and progress (at most once per tick), job views
// and totals (running sums, updated from the jobs that changed), and the batch (keep-awake, taskbar progress,
// one alert per batch, the "finished" news).
import type { JobProgress, JobState, JobView, QueueTotals, SidecarView } from '../../common/contract/queue';
import {
  activeStates,
  finishedStates,
  outsideProgress,
  type EngineEvents,
  type EngineOptions,
  type LogFn,
} from './engine-types';
import { currentLinks } from './links';
import { etaSeconds, SpeedMeter } from './progress';
import type { JobListener } from './job-store';
import type { JobRecord } from './records';
import type { JobRuntime, Run } from './run';
import { windowEnd } from './video-facts';

/** What the reporter reads from the engine (never changes). */
export interface ReporterDeps {
  jobs: ReadonlyMap<string, JobRecord>;
  runtime: ReadonlyMap<string, JobRuntime>;
  runs: ReadonlyMap<string, Run>;
  counts: Readonly<Record<JobState, number>>;
  options: EngineOptions;
  log: LogFn;
  /** The URL of the job's profile's server now (undefined: unknown), for links that must follow it. */
  serverOf?(job: JobRecord): string | undefined;
  /** What the row shows of the job's captions, chapters and thumbnail (undefined: none). */
  sidecarsOf?(job: JobRecord): SidecarView[] | undefined;
}

/** What one job adds to the queue's totals. */
interface Share {
  size: number;
  confirmed: number;
  /** Bytes still to confirm, counted only while the job is active. */
  remaining: number;
  /** 1 while the job waits for its profile's key. */
  needsKey: number;
  /** 1 while the job is skipped because the media preflight refused it. */
  refused: number;
}

export class QueueReporter implements JobListener {
  private readonly listeners = new Map<keyof EngineEvents, Set<(payload: never) => void>>();
  /** Jobs changed or removed since the last flush. */
  private readonly dirty = new Set<string>();
  private readonly removed = new Set<string>();
  private progressDirty = false;
  /** Runs that ended since the last flush: their last progress is still sent. */
  private readonly finishedRuns = new Set<string>();
  /** Bytes sent by every upload together (speed of the whole queue). */
  private totalSent = 0;
  private readonly totalMeter = new SpeedMeter();
  /** `alerted`: the one OS notification about trouble this batch was already shown. */
  private batch: { done: number; failed: number; skipped: number; alerted: boolean } | null = null;
  /** Each job's share as last counted, and their sums: totals() recounts only the jobs that may have changed. */
  private readonly shares = new Map<string, Share>();
  private readonly sums: Share = { size: 0, confirmed: 0, remaining: 0, needsKey: 0, refused: 0 };

  constructor(private readonly deps: ReporterDeps) {
    for (const id of deps.jobs.keys()) this.recount(id);
  }

  on<E extends keyof EngineEvents>(event: E, listener: (payload: EngineEvents[E]) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener as (payload: never) => void);
    this.listeners.set(event, set);
    return () => set.delete(listener as (payload: never) => void);
  }

  /** Trouble worth interrupting the user for: once per batch (the batch's final message counts the rest). */
  alert(message: string): void {
    if (!this.batch || this.batch.alerted) return;
    this.batch.alerted = true;
    this.emit('batch', { kind: 'attention', message });
    this.deps.options.platform?.notify?.('Convoy: an upload needs attention', message);
  }

  markDirty(id: string): void {
    this.dirty.add(id);
    this.progressDirty = true;
  }

  /** Bytes left for the server (progress and the whole queue's speed). */
  countSent(bytes: number): void {
    this.totalSent += bytes;
  }

  /** Bytes in flight moved: the next flush sends progress. */
  progressChanged(): void {
    this.progressDirty = true;
  }

  /** Bytes per second of the whole queue. */
  get speed(): number {
    return this.totalMeter.speed;
  }

  /** The job left the queue: the next flush reports it removed and takes it out of the totals. */
  forget(id: string): void {
    this.dirty.delete(id);
    this.removed.add(id);
    this.progressDirty = true;
  }

  /** The job's run ended: its share of the totals is recounted on the next flush. */
  runEnded(id: string): void {
    this.finishedRuns.add(id);
    this.progressDirty = true;
  }

  emit<E extends keyof EngineEvents>(event: E, payload: EngineEvents[E]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        (listener as (p: EngineEvents[E]) => void)(payload);
      } catch (error) {
        this.deps.log('error', `listener for ${event} failed: ${String(error)}`);
      }
    }
  }

  view(job: JobRecord): JobView {
    const rt = this.deps.runtime.get(job.id);
    const windowEndsAt = windowEnd(job, this.deps.options);
    return {
      id: job.id,
      path: job.path,
      ...(job.addedFrom ? { addedFrom: job.addedFrom } : {}),
      name: job.name,
      size: job.size,
      state: job.state,
      title: job.title,
      description: job.description,
      tags: job.tags,
      public: job.public,
      profileId: job.profileId,
      confirmedBytes: this.confirmedOf(job),
      createdAt: job.createdAt,
      ...(job.reason ? { reason: job.reason } : {}),
      ...(job.waitingForKey ? { waitingForKey: true } : {}),
      ...(rt?.retryAt && job.state === 'retrying' ? { retryAt: rt.retryAt } : {}),
      ...(windowEndsAt !== undefined && !finishedStates.has(job.state) ? { windowEndsAt } : {}),
      ...(job.videoId ? { videoId: job.videoId } : {}),
      ...this.linksOf(job),
      ...(job.encoding ? { encoding: job.encoding } : {}),
      ...(job.detailsProblem ? { detailsProblem: job.detailsProblem } : {}),
      ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
      ...(job.media ? { media: job.media } : {}),
      ...(job.refused ? { refused: job.refused } : {}),
      ...withSidecars(this.deps.sidecarsOf?.(job)),
    };
  }

  /** The job's links as they work now; its profile's server is looked up only for a job that has some. */
  private linksOf(job: JobRecord): Pick<JobView, 'playerUrl' | 'embedCode' | 'mp4Url' | 'thumbnailUrl'> {
    const links = {
      ...(job.playerUrl ? { playerUrl: job.playerUrl } : {}),
      ...(job.embedCode ? { embedCode: job.embedCode } : {}),
      ...(job.mp4Url ? { mp4Url: job.mp4Url } : {}),
      ...(job.thumbnailUrl ? { thumbnailUrl: job.thumbnailUrl } : {}),
    };
    return Object.keys(links).length > 0 ? currentLinks(links, this.deps.serverOf?.(job)) : links;
  }

  /** Bytes of the job the server confirmed (all of it once done). */
  private confirmedOf(job: JobRecord): number {
    return job.state === 'done' ? job.size : (this.deps.runtime.get(job.id)?.confirmed ?? 0);
  }

  totals(): QueueTotals {
    this.settle();
    return this.sumTotals();
  }

  /** The totals from the sums as they stand (settle() first when jobs may have changed). */
  private sumTotals(): QueueTotals {
    let inflight = 0;
    for (const run of this.deps.runs.values()) inflight += inflightOf(run);
    const speed = this.totalMeter.speed;
    return {
      files: this.deps.jobs.size,
      bytes: this.sums.size,
      confirmedBytes: this.sums.confirmed,
      inflightBytes: inflight,
      speed,
      // From confirmed bytes: what is on its way is not there until the server says so (a stopped part is sent again).
      eta: etaSeconds(this.sums.remaining, speed),
      byState: { ...this.deps.counts },
      needsKey: this.sums.needsKey,
      refused: this.sums.refused,
    };
  }

  /**
   * Brings the sums up to date. A job's counted fields (state, size, confirmed bytes) change only where the
   * engine marks it dirty or removed, or while it runs (its confirmed bytes); so those jobs, and the runs that
   * ended since the last flush, are the only ones recounted. Called before `flush` forgets which ones changed.
   */
  private settle(): void {
    for (const id of this.dirty) this.recount(id);
    for (const id of this.removed) this.recount(id);
    for (const id of this.finishedRuns) this.recount(id);
    for (const id of this.deps.runs.keys()) this.recount(id);
  }

  /** Replaces the job's share in the sums with its current one (none once it is gone). */
  private recount(id: string): void {
    const before = this.shares.get(id);
    if (before) addShare(this.sums, before, -1);
    const job = this.deps.jobs.get(id);
    if (!job) {
      this.shares.delete(id);
      return;
    }
    const outside = outsideProgress.has(job.state);
    const confirmed = outside ? 0 : this.confirmedOf(job);
    const share: Share = {
      size: outside ? 0 : job.size,
      confirmed,
      remaining: activeStates.has(job.state) ? job.size - confirmed : 0,
      needsKey: job.waitingForKey && job.state === 'paused' ? 1 : 0,
      refused: job.state === 'skipped' && job.refused ? 1 : 0,
    };
    this.shares.set(id, share);
    addShare(this.sums, share, 1);
  }

  /** Sends coalesced events: changed jobs, then progress (at most once per tick for the whole queue). */
  flush(): void {
    const at = (this.deps.options.now ?? Date.now)();
    this.settle();
    if (this.dirty.size > 0 || this.removed.size > 0) {
      const upserts: JobView[] = [];
      for (const id of this.dirty) {
        const job = this.deps.jobs.get(id);
        if (job) upserts.push(this.view(job));
      }
      const removed = [...this.removed];
      this.dirty.clear();
      this.removed.clear();
      this.emit('jobs', { upserts, removed });
    }
    this.totalMeter.sample(this.totalSent, at);
    if (!this.progressDirty && this.deps.runs.size === 0) return;
    this.progressDirty = false;
    const jobs: JobProgress[] = [];
    const ids = new Set([...this.deps.runs.keys(), ...this.finishedRuns]);
    this.finishedRuns.clear();
    for (const id of ids) {
      const job = this.deps.jobs.get(id);
      const rt = this.deps.runtime.get(id);
      if (!job || !rt) continue;
      const speed = rt.meter.sample(rt.sent, at);
      const run = this.deps.runs.get(id);
      const inflight = run ? inflightOf(run) : 0;
      const confirmed = this.confirmedOf(job);
      jobs.push({
        id,
        confirmedBytes: confirmed,
        inflightBytes: inflight,
        speed,
        eta: etaSeconds(job.size - confirmed, speed),
      });
    }
    const totals = this.sumTotals(); // settled at the start of this flush
    this.emit('progress', { jobs, totals });
    if (this.batch && totals.bytes > 0) {
      this.deps.options.platform?.setProgress?.(
        Math.min(1, (totals.confirmedBytes + totals.inflightBytes) / totals.bytes),
      );
    }
  }

  startBatch(): void {
    if (this.batch) return;
    this.batch = { done: 0, failed: 0, skipped: 0, alerted: false };
    this.deps.options.platform?.keepAwake?.(true);
  }

  /** Counts a job that reached a state the batch reports. */
  counted(job: JobRecord): void {
    if (!this.batch) return;
    if (job.state === 'done') this.batch.done += 1;
    if (job.state === 'skipped') this.batch.skipped += 1;
    if (job.state === 'failed') {
      this.batch.failed += 1;
      this.alert(`${job.name} failed: ${job.reason ?? 'unknown reason'}`);
    }
  }

  /** The queue went idle: says how the batch went (unless everything was merely paused) and ends it. */
  finishBatch(): void {
    if (!this.batch) return;
    const { done, failed, skipped } = this.batch;
    this.batch = null;
    const parts = [`${done} uploaded`];
    if (skipped) parts.push(`${skipped} already there`);
    if (failed) parts.push(`${failed} failed`);
    // Idle because the user paused everything is no news; say so only when files did finish.
    const paused = this.deps.counts.paused;
    if (done + skipped + failed > 0) {
      const message = paused
        ? `Uploads paused: ${parts.join(', ')}; ${paused} paused.`
        : `Uploads finished: ${parts.join(', ')}.`;
      this.emit('batch', { kind: 'finished', message });
      this.deps.options.platform?.notify?.('Convoy', message);
    }
    this.deps.options.platform?.keepAwake?.(false);
    this.deps.options.platform?.setProgress?.(null);
  }
}

function addShare(sums: Share, share: Share, sign: 1 | -1): void {
  sums.size += sign * share.size;
  sums.confirmed += sign * share.confirmed;
  sums.remaining += sign * share.remaining;
  sums.needsKey += sign * share.needsKey;
  sums.refused += sign * share.refused;
}

/** Bytes of a run's parts on the wire right now. */
function inflightOf(run: { inflight: Map<number, number> }): number {
  let total = 0;
  for (const n of run.inflight.values()) total += n;
  return total;
}

function withSidecars(sidecars: SidecarView[] | undefined): { sidecars?: SidecarView[] } {
  return sidecars ? { sidecars } : {};
}
