// Per-tick cost of the queue's totals at 10,000 (and 100,000) jobs: QueueReporter's running sums against the
// from-scratch count over every job it replaced, side by side on the same queue, while 4 uploads progress.
// Run: npx tsx bench/queue-totals.bench.ts   (or `npm run bench queue-totals`; writes .bench/queue-totals.json)
import { isDeepStrictEqual } from 'node:util';
import { mkdirSync, writeFileSync } from 'node:fs';
import { jobStates, type JobState } from '../preload/contract/queue';
import { SpeedMeter } from '../main/uploads/progress';
import type { JobRecord } from '../main/uploads/records';
import { QueueReporter } from '../main/uploads/reporter';
import type { JobRuntime, Run } from '../main/uploads/run';
import { recountTotals } from '../test/integration/uploads/recount-totals';

const MiB = 1024 * 1024;
const TICKS = Number(process.env.BENCH_TICKS ?? 2_000);
const RUNNING = 4;

interface Figures {
  jobs: number;
  ticks: number;
  /** Microseconds per totals() call. */
  before: { p50: number; p95: number; mean: number };
  after: { p50: number; p95: number; mean: number };
  speedup: number;
}

function queue(size: number) {
  const jobs = new Map<string, JobRecord>();
  const runtime = new Map<string, JobRuntime>();
  const runs = new Map<string, Run>();
  const counts = Object.fromEntries(jobStates.map((s) => [s, 0])) as Record<JobState, number>;
  for (let i = 0; i < size; i++) {
    const state: JobState = i < RUNNING ? 'uploading' : i < size / 20 ? 'done' : i % 97 === 0 ? 'failed' : 'queued';
    const job: JobRecord = {
      id: `job-${i}`, seq: i, path: `/videos/clip-${i}.mp4`, name: `clip-${i}.mp4`, size: (6 + (i % 7)) * MiB, mtimeMs: 0, profileId: 'p1',
      title: `clip-${i}`, description: '', tags: [], public: true, state, createdAt: 0, acked: new Set(), restarts: 0,
    };
    jobs.set(job.id, job);
    counts[state] += 1;
    runtime.set(job.id, { confirmed: 0, sent: 0, meter: new SpeedMeter() });
    if (state === 'uploading') runs.set(job.id, { job, inflight: new Map([[1, 0], [2, 0]]) } as unknown as Run);
  }
  const reporter = new QueueReporter({ jobs, runtime, runs, counts, options: { stateDir: '', getClient: () => { throw new Error('no client'); } }, log: () => {} });
  reporter.flush();
  const confirmedOf = (job: JobRecord) => (job.state === 'done' ? job.size : (runtime.get(job.id)?.confirmed ?? 0));
  /** What the engine does between two ticks: each upload gets 64 KiB acknowledged and has bytes on the wire. */
  const progress = (tick: number) => {
    for (const [id, run] of runs) {
      const rt = runtime.get(id)!;
      rt.confirmed = (rt.confirmed + 64 * 1024) % (6 * MiB);
      run.inflight.set(1, (tick * 4096) % MiB);
      run.inflight.set(2, (tick * 8192) % MiB);
      reporter.markDirty(id);
    }
  };
  const before = () => {
    let inflightBytes = 0;
    for (const run of runs.values()) for (const n of run.inflight.values()) inflightBytes += n;
    return recountTotals(jobs.values(), confirmedOf, { inflightBytes, speed: reporter.totalMeter.speed });
  };
  return { reporter, progress, before };
}

function micros(samples: number[]): { p50: number; p95: number; mean: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const round = (n: number) => Math.round(n * 100) / 100;
  return { p50: round(at(0.5)), p95: round(at(0.95)), mean: round(samples.reduce((a, b) => a + b, 0) / samples.length) };
}

function time<T>(fn: () => T): [T, number] {
  const start = process.hrtime.bigint();
  const value = fn();
  return [value, Number(process.hrtime.bigint() - start) / 1000];
}

function measure(size: number): Figures {
  const q = queue(size);
  const beforeUs: number[] = [];
  const afterUs: number[] = [];
  for (let tick = 0; tick < TICKS + 100; tick++) {
    q.progress(tick);
    // Alternate which one runs first so neither always finds the caches warmer.
    const early = tick % 2 ? time(q.before) : null;
    const [now, nowUs] = time(() => q.reporter.totals());
    const [old, oldUs] = early ?? time(q.before);
    q.reporter.flush(); // the tick itself: forgets which jobs changed
    if (!isDeepStrictEqual(now, old)) throw new Error(`tick ${tick}: running totals ${JSON.stringify(now)} differ from a recount ${JSON.stringify(old)}`);
    if (tick < 100) continue; // warm-up
    beforeUs.push(oldUs);
    afterUs.push(nowUs);
  }
  const before = micros(beforeUs);
  const after = micros(afterUs);
  return { jobs: size, ticks: TICKS, before, after, speedup: Math.round(before.p50 / Math.max(after.p50, 0.01)) };
}

const rows = [measure(10_000), measure(100_000)];
const table = [
  `QueueReporter.totals() per 100 ms tick, ${RUNNING} uploads progressing, ${TICKS} ticks (µs; before = count over every job, after = running sums)`,
  '',
  '| jobs | before p50 | before p95 | after p50 | after p95 | p50 speed-up |',
  '|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.jobs.toLocaleString('en')} | ${r.before.p50} | ${r.before.p95} | ${r.after.p50} | ${r.after.p95} | ${r.speedup}× |`),
].join('\n');
process.stdout.write(`${table}\n`);
mkdirSync('.bench', { recursive: true });
writeFileSync('.bench/queue-totals.json', JSON.stringify({ ticks: TICKS, running: RUNNING, rows }, null, 2) + '\n');
