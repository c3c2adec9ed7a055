// Per-tick cost of the queue's totals at 10,000 (and 100,000) jobs: QueueReporter's running sums against the
// from-scratch count over every job it replaced, side by side on the same queue, while 4 uploads progress.
// Run: npx tsx bench/queue-totals.bench.ts   (or `npm run bench queue-totals`; writes .bench/queue-totals.json)
import { isDeepStrictEqual } from 'node:util';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { JobState } from '../common/contract/queue';
import { FakeQueue, jobRecord } from '../test/integration/uploads/fake-queue';

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

/** Job i before the run: the first 5% done, about 1% of the rest failed, the others queued. */
function initialState(i: number, size: number): JobState {
  return i < size / 20 ? 'done' : i % 97 === 0 ? 'failed' : 'queued';
}

/** A queue of `size` jobs with RUNNING uploads, and what the engine does between ticks. */
function queue(size: number) {
  const q = new FakeQueue(Array.from({ length: size }, (_, i) => ({ ...jobRecord(i), state: initialState(i, size) })));
  for (let i = 0; i < RUNNING; i++) q.start(`job-${i}`);
  q.reporter.flush();
  /** Between two ticks each upload gets 64 KiB acknowledged and has bytes on the wire. */
  const progress = (tick: number) => {
    for (const id of q.runs.keys()) {
      const rt = q.runtime.get(id)!;
      rt.confirmed = (rt.confirmed + 64 * 1024) % (6 * MiB);
      q.send(id, 1, (tick * 4096) % MiB);
      q.send(id, 2, (tick * 8192) % MiB);
      q.reporter.markDirty(id);
    }
  };
  return { reporter: q.reporter, progress, before: () => q.recount() };
}

function micros(samples: number[]): { p50: number; p95: number; mean: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    mean: round(samples.reduce((a, b) => a + b, 0) / samples.length),
  };
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
    if (!isDeepStrictEqual(now, old))
      throw new Error(
        `tick ${tick}: running totals ${JSON.stringify(now)} differ from a recount ${JSON.stringify(old)}`,
      );
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
  ...rows.map(
    (r) =>
      `| ${r.jobs.toLocaleString('en')} | ${r.before.p50} | ${r.before.p95} | ${r.after.p50} | ${r.after.p95} | ${r.speedup}× |`,
  ),
].join('\n');
process.stdout.write(`${table}\n`);
mkdirSync('.bench', { recursive: true });
writeFileSync('.bench/queue-totals.json', JSON.stringify({ ticks: TICKS, running: RUNNING, rows }, null, 2) + '\n');
