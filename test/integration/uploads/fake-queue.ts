// A queue of plain job records driven through QueueReporter's contract (changes marked dirty, runs listed), the
// way the engine feeds it, without uploads: for the reporter's totals test and the queue-totals benchmark.
import type { JobState, QueueTotals } from '../../../common/contract/queue';
import { SpeedMeter } from '../../../main/uploads/progress';
import type { JobRecord } from '../../../main/uploads/records';
import { QueueReporter } from '../../../main/uploads/reporter';
import type { JobRuntime, Run } from '../../../main/uploads/run';
import { noCounts, recountTotals } from './recount-totals';

export { noCounts };

const MiB = 1024 * 1024;

/** Engine options the reporter never uses here: no state dir, no client. */
export const reporterOptions = {
  stateDir: '',
  getClient: () => {
    throw new Error('no client');
  },
};

/** Job number `i`: clip-<i>.mp4, 6 to 12 MiB, queued for profile "p1". */
export function jobRecord(i: number): JobRecord {
  return {
    id: `job-${i}`,
    seq: i,
    path: `/videos/clip-${i}.mp4`,
    name: `clip-${i}.mp4`,
    size: (6 + (i % 7)) * MiB,
    mtimeMs: 0,
    profileId: 'p1',
    title: `clip-${i}`,
    description: '',
    tags: [],
    public: true,
    state: 'queued',
    createdAt: 0,
    acked: new Set(),
    restarts: 0,
  };
}

/** Per-state counts, all zero. */

export class FakeQueue {
  readonly jobs = new Map<string, JobRecord>();
  readonly runtime = new Map<string, JobRuntime>();
  readonly runs = new Map<string, Run>();
  readonly counts = noCounts();
  readonly reporter: QueueReporter;

  constructor(initial: JobRecord[]) {
    for (const job of initial) this.jobs.set(job.id, job);
    this.reporter = new QueueReporter({
      jobs: this.jobs,
      runtime: this.runtime,
      runs: this.runs,
      counts: this.counts,
      options: reporterOptions,
      log: () => {},
    });
    for (const job of initial) this.track(job);
  }

  track(job: JobRecord): void {
    this.jobs.set(job.id, job);
    this.counts[job.state] += 1;
    this.runtime.set(job.id, { confirmed: 0, sent: 0, meter: new SpeedMeter() });
    this.reporter.markDirty(job.id);
  }

  setState(id: string, state: JobState): void {
    const job = this.jobs.get(id)!;
    this.counts[job.state] -= 1;
    this.counts[state] += 1;
    job.state = state;
    this.reporter.markDirty(id);
  }

  start(id: string): void {
    this.setState(id, 'uploading');
    this.runs.set(id, { job: this.jobs.get(id)!, inflight: new Map() } as Run);
  }

  /** A part on the wire, then acknowledged: confirmed bytes change while the job runs, unmarked. */
  send(id: string, part: number, bytes: number): void {
    const run = this.runs.get(id)!;
    run.inflight.set(part, bytes);
  }

  ack(id: string, part: number): void {
    const run = this.runs.get(id)!;
    this.runtime.get(id)!.confirmed += run.inflight.get(part) ?? 0;
    run.inflight.delete(part);
  }

  endRun(id: string): void {
    this.runs.delete(id);
    this.reporter.runEnded(id);
  }

  remove(id: string): void {
    this.counts[this.jobs.get(id)!.state] -= 1;
    this.jobs.delete(id);
    this.runtime.delete(id);
    this.reporter.forget(id);
  }

  /** The totals counted from scratch over every job at this moment: what reporter.totals() must equal. */
  recount(): QueueTotals {
    const live = { inflightBytes: 0, speed: this.reporter.speed };
    for (const run of this.runs.values()) for (const n of run.inflight.values()) live.inflightBytes += n;
    const confirmedOf = (job: JobRecord) =>
      job.state === 'done' ? job.size : (this.runtime.get(job.id)?.confirmed ?? 0);
    return recountTotals(this.jobs.values(), confirmedOf, live);
  }
}
