// The one owner of job state: every change to a job goes through here, to the journal first, then to the counts
// per state, the runtime counters, the path index and the waiting lanes, and is marked for the reporter.
import type { JobState } from '../../common/contract/queue';
import { jobStates } from '../../common/contract/queue';
import { activeStates } from './engine-types';
import type { Journal } from './journal';
import { restoreChange, type JobChange } from './job-rules';
import { bytesOfParts, partRange } from './plan';
import { SpeedMeter } from './progress';
import type { JobPatch, JobRecord } from './records';
import type { JobRuntime } from './run';
import { WaitingLanes } from './waiting-lanes';

/** What the store tells the reporter as jobs change. */
export interface JobListener {
  /** The job changed: its view and share of the totals are sent again. */
  markDirty(id: string): void;
  /** The job left the queue. */
  forget(id: string): void;
  /** The job reached a new state (the batch counts the ends). */
  counted(job: JobRecord): void;
  /** Work became active: a batch starts (keep-awake, taskbar progress). */
  startBatch(): void;
}

export class JobStore {
  readonly counts = Object.fromEntries(jobStates.map((s) => [s, 0])) as Record<JobState, number>;
  private readonly runtimes = new Map<string, JobRuntime>();
  private readonly byPath = new Map<string, string>();
  private readonly lanes: WaitingLanes;
  private nextSeq = 0;

  /**
   * @param isRunning a job with a run: it no longer waits in its lane.
   */
  constructor(
    private readonly journal: Journal,
    private readonly listener: JobListener,
    isRunning: (id: string) => boolean,
  ) {
    this.lanes = new WaitingLanes(
      (job) => job.state !== 'queued' || isRunning(job.id) || !this.journal.jobs.has(job.id),
    );
  }

  /** Every job by id, as journaled (read-only: change them through set). */
  get jobs(): ReadonlyMap<string, JobRecord> {
    return this.journal.jobs;
  }

  get runtime(): ReadonlyMap<string, JobRuntime> {
    return this.runtimes;
  }

  get(id: string): JobRecord | undefined {
    return this.journal.jobs.get(id);
  }

  /** Whether the job is still in the queue (not removed meanwhile). */
  holds(job: JobRecord): boolean {
    return this.journal.jobs.get(job.id) === job;
  }

  runtimeOf(id: string): JobRuntime | undefined {
    return this.runtimes.get(id);
  }

  /** The jobs in the order they were added. */
  ordered(): JobRecord[] {
    return [...this.journal.jobs.values()].sort((a, b) => a.seq - b.seq);
  }

  /** Takes in the journal's jobs as the engine starts, with interrupted work queued again. */
  restore(): void {
    for (const job of this.ordered()) {
      const change = restoreChange(job);
      if (change) this.journal.set(job.id, change.patch, change.clear as string[]);
      this.track(job);
      this.nextSeq = Math.max(this.nextSeq, job.seq + 1);
    }
  }

  /** Whether a file of this profile is already in the queue. */
  queued(profileId: string, path: string): boolean {
    return this.byPath.has(pathKey(profileId, path));
  }

  /** Journals a new job (given its seq here) and tracks the journal's copy, the one every change goes to. */
  add(job: Omit<JobRecord, 'seq'>): JobRecord {
    this.journal.add({ ...job, seq: this.nextSeq++ });
    const stored = this.journal.jobs.get(job.id)!;
    this.track(stored);
    return stored;
  }

  /** Sets and clears fields; a change of state is counted, and a queued job takes its place in its lane. */
  set(job: JobRecord, patch: JobPatch, clear: (keyof JobRecord)[] = []): void {
    const before = job.state;
    const record = job as Record<string, unknown>;
    const changes = Object.fromEntries(
      Object.entries(patch).filter(([key, value]) => !sameValue(record[key], value)),
    ) as JobPatch;
    // Waiting for a key is a kind of pause: a job that leaves 'paused' (resumed, cancelled…) no longer waits.
    if (patch.state !== undefined && patch.state !== 'paused') clear = [...clear, 'waitingForKey'];
    const clearing = clear.filter((key) => record[key] !== undefined);
    if (Object.keys(changes).length === 0 && clearing.length === 0) return;
    if (!this.journal.jobs.has(job.id)) return;
    this.journal.set(job.id, changes, clearing as string[]);
    if (patch.state && patch.state !== before) {
      this.counts[before] -= 1;
      this.counts[patch.state] += 1;
      this.stateChanged(job, before);
    }
    this.listener.markDirty(job.id);
  }

  apply(job: JobRecord, change: JobChange): void {
    this.set(job, change.patch, change.clear);
  }

  /** The server confirmed a part: journaled with the digest of what was sent, and counted as confirmed bytes. */
  ack(job: JobRecord, part: number, digest: string | null = null): void {
    if (job.acked.has(part) || !this.journal.jobs.has(job.id)) return;
    this.journal.ack(job.id, part, digest ?? undefined);
    const rt = this.runtimes.get(job.id);
    if (rt) rt.confirmed += partRange(job.size, job.chunkSize!, part).length;
    this.listener.markDirty(job.id);
  }

  /** The server's list of the parts it holds replaces ours. */
  replaceAcks(job: JobRecord, parts: number[]): void {
    if (!this.journal.jobs.has(job.id)) return;
    this.journal.replaceAcks(job.id, parts);
    const rt = this.runtimes.get(job.id);
    if (rt) rt.confirmed = this.confirmedOf(job);
    this.listener.markDirty(job.id);
  }

  /** The job is done with: out of the journal, the counts, the index and the reporter. */
  remove(job: JobRecord): void {
    if (!this.journal.jobs.has(job.id)) return;
    this.counts[job.state] -= 1;
    this.byPath.delete(pathKey(job.profileId, job.path));
    this.journal.remove(job.id);
    this.runtimes.delete(job.id);
    this.listener.forget(job.id);
  }

  /** A run over a queued job ended without starting it: it waits in its lane again. */
  requeue(job: JobRecord): void {
    if (job.state === 'queued' && this.journal.jobs.has(job.id)) this.lanes.add(job);
  }

  /** The earliest-added queued job of a usable profile, left waiting (see WaitingLanes). */
  peekWaiting(usable: (profileId: string) => boolean): JobRecord | undefined {
    return this.lanes.peek(usable);
  }

  takeWaiting(usable: (profileId: string) => boolean): JobRecord | undefined {
    return this.lanes.take(usable);
  }

  /** Bytes of the job's acknowledged parts. */
  confirmedOf(job: JobRecord): number {
    return job.chunkSize ? bytesOfParts(job.size, job.chunkSize, job.acked) : 0;
  }

  /** Writes what was journaled through to disk now (before answering a request, before a risky send). */
  sync(): void {
    this.journal.sync();
  }

  /** As `sync`, on the thread pool: the caller waits, the other uploads do not (a busy disk may take 100 ms). */
  async flush(): Promise<void> {
    await this.journal.flush();
  }

  private track(job: JobRecord): void {
    this.byPath.set(pathKey(job.profileId, job.path), job.id);
    this.counts[job.state] += 1;
    const confirmed = job.state === 'done' ? job.size : this.confirmedOf(job);
    this.runtimes.set(job.id, { confirmed, sent: 0, meter: new SpeedMeter() });
    if (job.state === 'queued') this.lanes.add(job);
    if (activeStates.has(job.state)) this.listener.startBatch();
    this.listener.markDirty(job.id);
  }

  private stateChanged(job: JobRecord, before: JobState): void {
    if (job.state !== 'retrying') {
      const rt = this.runtimes.get(job.id);
      if (rt) delete rt.retryAt;
    }
    if (job.state === 'queued') this.lanes.add(job);
    if (!activeStates.has(before) && activeStates.has(job.state)) this.listener.startBatch();
    this.listener.counted(job);
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return a === b;
}

function pathKey(profileId: string, path: string): string {
  return `${profileId}\u0000${path}`;
}
