// What a watch folder costs: a watched tree of 10,000 existing files (100 folders of 100 real one-frame clips), then
// 100 clips arriving in it. Measures the time to start watching, CPU while idle (the whole process: engine and
// sandbox included, and without the watch for comparison) and, per arriving file, the time from its last write to
// its job in the engine, against the target "settle time + 2 s". BENCH_POLL=1 watches by polling (network shares).
// Run: npx tsx bench/watch.bench.ts   (or `npm run bench watch`)
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '../main/apivideo/index';
import { openEngine } from '../main/uploads/index';
import { openWatches } from '../main/watch/index';
import { startTestSandbox } from '../test/support/sandbox';

const EXISTING = Number(process.env.BENCH_EXISTING ?? 10_000);
const ARRIVING = Number(process.env.BENCH_ARRIVING ?? 100);
const SETTLE_S = Number(process.env.BENCH_SETTLE ?? 3);
const IDLE_S = Number(process.env.BENCH_IDLE ?? 20);
const POLL = process.env.BENCH_POLL === '1';
const stage = (what: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${what}\n`);

/** `count` distinct one-frame MP4 clips (one ffmpeg run), returned as buffers. */
function clips(count: number): Buffer[] {
  const work = mkdtempSync(join(tmpdir(), 'convoy-bench-clips-'));
  try {
    execFileSync('ffmpeg', [
      ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=64x36:rate=10'],
      ...['-t', String(count / 10), '-g', '1', '-c:v', 'libx264', '-pix_fmt', 'yuv420p'],
      ...['-f', 'segment', '-segment_time', '0.1', '-reset_timestamps', '1', join(work, 'c-%04d.mp4')],
    ]);
    return readdirSync(work)
      .sort()
      .slice(0, count)
      .map((name) => readFileSync(join(work, name)));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Share of one core used by this process over `seconds` (user + system). */
async function cpuShare(seconds: number): Promise<number> {
  const before = process.cpuUsage();
  const start = process.hrtime.bigint();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const used = process.cpuUsage(before);
  const wall = Number(process.hrtime.bigint() - start) / 1000;
  return (used.user + used.system) / wall;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const root = mkdtempSync(join(tmpdir(), 'convoy-bench-watch-'));
const tree = join(root, 'tree');
const sandbox = await startTestSandbox();
try {
  const made = clips(ARRIVING + 1);
  const existing = join(root, 'existing.mp4');
  writeFileSync(existing, made[ARRIVING]!);
  for (let d = 0; d < EXISTING / 100; d += 1) {
    const dir = join(tree, `day-${String(d).padStart(3, '0')}`);
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < 100; f += 1) copyFileSync(existing, join(dir, `take-${String(f).padStart(3, '0')}.mp4`));
  }
  stage(`${EXISTING} files written`);
  const client = createClient({ baseUrl: sandbox.url, auth: { kind: 'bearer', apiKey: sandbox.apiKey } });
  const engine = await openEngine({ stateDir: join(root, 'state'), getClient: () => client });

  await new Promise((r) => setTimeout(r, 1000));
  const idleWithout = await cpuShare(IDLE_S / 2);

  stage('idle without a watch measured');
  const started = performance.now();
  const watches = await openWatches({ stateDir: join(root, 'watch-state'), engine, log: () => {} }, { pollMs: 2000 });
  const watch = await watches.add({ path: tree, profileId: 'p', settleSeconds: SETTLE_S, polling: POLL });
  const startSeconds = (performance.now() - started) / 1000;
  const rssMiB = process.memoryUsage().rss / 1024 / 1024;

  stage(`watching after ${startSeconds.toFixed(1)} s`);
  await new Promise((r) => setTimeout(r, 2000));
  const idleWith = await cpuShare(IDLE_S);

  // 100 clips arrive over ~5 s, one folder each; each is timed from its last write to its job.
  const written = new Map<string, number>();
  const noticed = new Map<string, number>();
  watches.on('file', (event) => {
    if (event.kind === 'added') noticed.set(event.path, performance.now());
  });
  for (let i = 0; i < ARRIVING; i += 1) {
    const path = join(tree, `day-${String(i % (EXISTING / 100)).padStart(3, '0')}`, `new-${i}.mp4`);
    writeFileSync(path, made[i]!);
    written.set(path, performance.now());
    await new Promise((r) => setTimeout(r, 50));
  }
  const deadline = performance.now() + (SETTLE_S + 30) * 1000;
  while (noticed.size < ARRIVING && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  stage(`${noticed.size} of ${ARRIVING} noticed`);
  const delays = [...written]
    .map(([path, at]) => ((noticed.get(path) ?? Number.POSITIVE_INFINITY) - at) / 1000)
    .sort((a, b) => a - b);
  await engine.idle();
  const uploaded = engine.snapshot().jobs.filter((job) => job.state === 'done').length;

  const figures = {
    existingFiles: EXISTING,
    arriving: ARRIVING,
    polling: watches.get(watch.id)?.polling ?? POLL,
    settleSeconds: SETTLE_S,
    startSeconds: Math.round(startSeconds * 100) / 100,
    rssMiB: Math.round(rssMiB),
    idleCpuPercentWithoutWatch: Math.round(idleWithout * 10_000) / 100,
    idleCpuPercentWithWatch: Math.round(idleWith * 10_000) / 100,
    noticedSeconds: {
      median: Math.round(percentile(delays, 50) * 100) / 100,
      p95: Math.round(percentile(delays, 95) * 100) / 100,
      max: Math.round(delays.at(-1)! * 100) / 100,
    },
    withinTarget: delays.filter((d) => d <= SETTLE_S + 2).length,
    uploaded,
  };
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
  mkdirSync('.bench', { recursive: true });
  writeFileSync(`.bench/watch${POLL ? '-poll' : ''}.json`, JSON.stringify(figures, null, 2));
  await watches.close();
  await engine.close();
} finally {
  await sandbox.close();
  rmSync(root, { recursive: true, force: true });
}
