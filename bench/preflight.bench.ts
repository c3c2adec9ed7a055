// What media preflight costs at scan time, in two parts. 1,000 files of several GiB in total (sparse copies of real
// clips, each header real and the rest a hole) checked through the preflight pool, 100 at a time, with wall time and
// memory along the way; then 10,000 copies of one tiny real MP4 asked for at once (as a large add does). Both count
// the CPU of the main thread apart from the whole process's, as does a third part: the same tiny files added as one
// folder to the upload engine, timed until every one is checked (preflight and sidecars; no server, nothing sent).
// BENCH_PREFLIGHT_BEFORE=<tree> also runs every part through that tree's code (its main/media/preflight.ts and
// main/uploads/; e.g. `git archive <commit> main common` unpacked under .tmp/), before, after, after, before.
// Run: npx tsx --expose-gc bench/preflight.bench.ts   (or `npm run bench -- preflight`)
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as ClientExports from '../main/apivideo/index';
import type * as PreflightExports from '../main/media/preflight';
import type { PreflightResult } from '../main/media/preflight';
import type * as EngineExports from '../main/uploads/index';
import { PreflightPool } from '../main/media/preflight';

const FILES = Number(process.env.BENCH_PREFLIGHT_FILES ?? 1000);
const SMALL_FILES = Number(process.env.BENCH_PREFLIGHT_SMALL ?? 10_000);
const BEFORE = process.env.BENCH_PREFLIGHT_BEFORE;
const root = resolve(fileURLToPath(import.meta.url), '..', '..');
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** A real two-second clip with sound, as cameras and editors write them (MP4 with its index first). */
function clip(dir: string, ext: string, codecs: string[]): string {
  const file = join(dir, `source.${ext}`);
  execFileSync('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440'],
    ...['-t', '2', ...codecs, file],
  ]);
  return file;
}

/** CPU seconds of this process's main thread alone (Linux: its /proc task), or null where that cannot be read. */
function mainThreadCpu(): number | null {
  try {
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return null;
  }
}
let ticksPerSecond: number | undefined;

/** CPU seconds of the whole process: the main thread, the workers, the disk threads and the collector. */
function processCpu(): number {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1e6;
}

/** The part of a pool the small-file run uses (the one here, or an earlier tree's, whose pool may not count traffic). */
interface PoolLike {
  run(path: string): Promise<PreflightResult>;
  close(): Promise<void>;
  traffic?(): { files: number; sent: number; received: number };
}
type PoolClass = new () => PoolLike;

const round = (v: number, places = 2) => Math.round(v * 10 ** places) / 10 ** places;

/** The CPU and message counts of one stretch of work through `pool`. */
function meter(pool?: PoolLike) {
  const traffic = pool?.traffic?.();
  const main = mainThreadCpu();
  const cpu = processCpu();
  const began = performance.now();
  return (files: number) => {
    const seconds = (performance.now() - began) / 1000;
    const mainEnd = mainThreadCpu();
    const cpuEnd = processCpu();
    const trafficEnd = pool?.traffic?.();
    const mainSeconds = main === null || mainEnd === null ? null : mainEnd - main;
    return {
      seconds: round(seconds, 3),
      msPerFile: round((seconds * 1000) / files),
      mainThreadCpuSeconds: mainSeconds === null ? null : round(mainSeconds),
      mainThreadCpuMsPerFile: mainSeconds === null ? null : round((mainSeconds * 1000) / files, 3),
      processCpuSeconds: round(cpuEnd - cpu),
      // A pool without traffic() (before batching) sent one message a file each way.
      messagesPerFile:
        traffic && trafficEnd
          ? {
              sent: round((trafficEnd.sent - traffic.sent) / files, 3),
              received: round((trafficEnd.received - traffic.received) / files, 3),
            }
          : { sent: 1, received: 1 },
    };
  };
}

/**
 * The large files, 100 at a time through a fresh pool, with the heap after every 100 (its forced garbage
 * collections count in the main thread's CPU). Starting the worker (and, from source, compiling it) is paid once
 * per app run, not per scan: timed apart.
 */
async function largeFiles(Pool: PoolClass, files: string[]) {
  const pool = new Pool();
  const startAt = performance.now();
  await pool.run(files[0] as string);
  const workerStartMs = Math.round(performance.now() - startAt);
  const before = memory();
  const samples: number[] = [];
  const done = meter(pool);
  let recognised = 0;
  const refused: string[] = [];
  for (let at = 0; at < files.length; at += 100) {
    const results = await Promise.all(files.slice(at, at + 100).map((f) => pool.run(f)));
    for (const r of results) {
      if (r.ok) recognised += 1;
      else refused.push(r.reason);
    }
    samples.push(memory().heapMiB);
  }
  const figures = done(files.length);
  const after = memory();
  await pool.close();
  if (recognised !== files.length - 1 || refused.length !== 1)
    throw new Error(`expected ${files.length - 1} videos and 1 refusal`);
  return { ...figures, workerStartMs, recognised, refused, memory: { before, after, heapMiBPer100Files: samples } };
}

/** The small files, all asked for at once through a fresh pool (its worker started first and not counted). */
async function smallFiles(Pool: PoolClass, files: string[]) {
  const pool = new Pool();
  await pool.run(files[0] as string);
  const done = meter(pool);
  const results = await Promise.all(files.map((f) => pool.run(f)));
  const figures = done(files.length);
  await pool.close();
  const recognised = results.filter((r) => r.ok).length;
  if (recognised !== files.length) throw new Error(`expected ${files.length} videos, ${recognised} recognised`);
  return figures;
}

/** SMALL_FILES copies of one tiny real clip (half a second, 160x90, MP4 with its index first). */
function makeSmallFiles(work: string): string[] {
  const source = join(work, 'tiny.mp4');
  execFileSync('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=160x90:rate=25', '-t', '0.5'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', source],
  ]);
  const folder = join(work, 'small');
  mkdirSync(folder);
  const files: string[] = [];
  for (let i = 0; i < SMALL_FILES; i += 1) {
    const target = join(folder, `tiny-${String(i).padStart(5, '0')}.mp4`);
    copyFileSync(source, target);
    files.push(target);
  }
  return files;
}

type EngineModule = typeof EngineExports;
type ClientModule = typeof ClientExports;
type PreflightModule = typeof PreflightExports;

/**
 * The engine of `tree` (this one or the earlier one) adds `folder`, which holds `count` tiny MP4s, and checks each in
 * the background: the add's time, then the time until the last file's facts were reported, each with main-thread
 * CPU. The profile's server refuses connections, so the queue waits offline and nothing is sent.
 */
async function engineCheck(tree: string, folder: string, count: number) {
  const load = async <T>(path: string) => (await import(pathToFileURL(resolve(tree, path)).href)) as T;
  const { openEngine } = await load<EngineModule>('main/uploads/index.ts');
  const { createClient } = await load<ClientModule>('main/apivideo/index.ts');
  const { preflight, closePreflight } = await load<PreflightModule>('main/media/preflight.ts');
  await preflight(join(folder, 'tiny-00000.mp4')); // the engine's shared pool, its worker started
  const stateDir = mkdtempSync(join(tmpdir(), 'convoy-bench-preflight-state-'));
  const client = createClient({ baseUrl: 'http://127.0.0.1:9', auth: { kind: 'bearer', apiKey: 'bench' } });
  const engine = await openEngine({ stateDir, getClient: () => client, settings: { concurrency: 4 } });
  const checked = new Set<string>();
  let allChecked!: () => void;
  const done = new Promise<void>((resolve) => (allChecked = resolve));
  engine.on('jobs', ({ upserts }) => {
    for (const view of upserts) if (view.media) checked.add(view.id);
    if (checked.size >= count) allChecked();
  });
  try {
    const adding = meter();
    const added = await engine.add({ paths: [folder], profileId: 'bench' });
    if (added.added !== count) throw new Error(`expected ${count} files added, ${added.added} were`);
    const add = adding(count);
    const checking = meter();
    await done;
    const check = checking(count);
    return {
      addSeconds: add.seconds,
      addMainThreadCpuSeconds: add.mainThreadCpuSeconds,
      checkSeconds: check.seconds,
      checkMainThreadCpuSeconds: check.mainThreadCpuSeconds,
      checkMainThreadCpuMsPerFile: check.mainThreadCpuMsPerFile,
      checkProcessCpuSeconds: check.processCpuSeconds,
    };
  } finally {
    await engine.close();
    await closePreflight();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/** The pools to run, in order: this tree's alone, or before, after, after, before (each side meets the load alike). */
async function contenders(): Promise<[label: 'before' | 'after', Pool: PoolClass, tree: string][]> {
  const after = PreflightPool as PoolClass;
  if (!BEFORE) return [['after', after, root]];
  const url = pathToFileURL(resolve(BEFORE, 'main/media/preflight.ts')).href;
  const before = ((await import(url)) as { PreflightPool: PoolClass }).PreflightPool;
  return [
    ['before', before, BEFORE],
    ['after', after, root],
    ['after', after, root],
    ['before', before, BEFORE],
  ];
}

function memory(): { rssMiB: number; heapMiB: number } {
  globalThis.gc?.();
  const m = process.memoryUsage();
  return { rssMiB: Math.round(m.rss / MiB), heapMiB: Math.round((m.heapUsed / MiB) * 10) / 10 };
}

/**
 * The candidate library alone, for the record: mediainfo.js (MediaInfoLib in WebAssembly) on this thread over 20
 * sparse copies of each source, reading what it asks for. Its time and bytes read per file, by container.
 */
async function mediaInfoSample(sourceFiles: string[], folder: string) {
  const { default: mediaInfoFactory } = await import('mediainfo.js');
  const startAt = performance.now();
  const mi = await mediaInfoFactory({ format: 'object' });
  const out: Record<string, unknown> = { startMs: Math.round(performance.now() - startAt) };
  for (const source of sourceFiles) {
    const ext = source.slice(source.lastIndexOf('.') + 1);
    let bytes = 0;
    const began = performance.now();
    for (let i = 0; i < 20; i += 1) {
      const file = join(folder, `mediainfo-${i}.${ext}`);
      copyFileSync(source, file);
      truncateSync(file, (2 + (i % 13)) * MiB);
      const handle = await open(file, 'r');
      const size = (await handle.stat()).size;
      await mi.analyzeData(size, async (length, offset) => {
        const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
        bytes += bytesRead;
        return buffer.subarray(0, bytesRead);
      });
      await handle.close();
      rmSync(file);
    }
    out[ext] = {
      msPerFile: Math.round((performance.now() - began) / 20),
      mibReadPerFile: Math.round((bytes / 20 / MiB) * 10) / 10,
    };
  }
  mi.close();
  return out;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'convoy-bench-preflight-'));
  try {
    const h264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac'];
    const sources = [
      { share: 0.6, file: clip(work, 'mp4', [...h264, '-movflags', '+faststart']) },
      { share: 0.2, file: clip(work, 'mkv', h264) },
      {
        share: 0.1,
        file: clip(work, 'webm', ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-c:a', 'libopus']),
      },
      { share: 0.1, file: clip(work, 'avi', ['-c:v', 'mpeg4', '-c:a', 'mp3']) },
    ];
    const folder = join(work, 'shoot');
    mkdirSync(folder);
    const files: string[] = [];
    let total = 0;
    let made = 0;
    for (const { share, file } of sources) {
      const count = Math.round(FILES * share);
      for (let i = 0; i < count && made < FILES; i += 1, made += 1) {
        const ext = file.slice(file.lastIndexOf('.'));
        const target = join(folder, `clip-${String(made).padStart(4, '0')}${ext}`);
        copyFileSync(file, target);
        // Sizes from 2 to 14 MiB, and every 100th file 4 GiB: the cost must not depend on the size.
        const size = made % 100 === 99 ? 4 * GiB : (2 + (made % 13)) * MiB;
        truncateSync(target, size);
        total += size;
        files.push(target);
      }
    }
    const decoy = join(folder, 'notes.mp4');
    writeFileSync(decoy, '%PDF-1.7\n%%EOF\n');
    files.push(decoy);

    const pools = await contenders();
    const large = [];
    for (const [pool, Pool] of pools) large.push({ pool, ...(await largeFiles(Pool, files)) });

    const mediaInfoJs = await mediaInfoSample(
      sources.map((s) => s.file),
      folder,
    );

    const small = makeSmallFiles(work);
    const smallRounds = [];
    for (const [pool, Pool] of pools) smallRounds.push({ pool, ...(await smallFiles(Pool, small)) });
    const engineRounds = [];
    for (const [pool, , tree] of pools)
      engineRounds.push({ pool, ...(await engineCheck(tree, dirname(small[0] as string), small.length)) });

    const figures = {
      files: files.length,
      apparentGiB: Math.round((total / GiB) * 10) / 10,
      before: BEFORE ?? null,
      rounds: large,
      mediaInfoJs,
      smallFiles: { files: small.length, rounds: smallRounds },
      engineCheck: { files: small.length, rounds: engineRounds },
    };
    process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
    const cpu = (r: { mainThreadCpuSeconds: number | null; processCpuSeconds: number }) =>
      `main thread ${r.mainThreadCpuSeconds} s CPU, process ${r.processCpuSeconds} s`;
    for (const r of large)
      process.stdout.write(
        `${r.pool}: preflight of ${files.length} files (${figures.apparentGiB} GiB): ${r.seconds} s, ${r.msPerFile} ms a file, ` +
          `${cpu(r)}; heap ${r.memory.before.heapMiB} -> ${r.memory.after.heapMiB} MiB, ` +
          `rss ${r.memory.before.rssMiB} -> ${r.memory.after.rssMiB} MiB\n`,
      );
    for (const r of smallRounds)
      process.stdout.write(
        `${r.pool}: ${small.length} tiny MP4s at once: ${r.seconds} s, ${cpu(r)} (${r.mainThreadCpuMsPerFile} ms a file ` +
          `on the main thread), ${r.messagesPerFile.sent} messages sent and ${r.messagesPerFile.received} received a file\n`,
      );
    for (const r of engineRounds)
      process.stdout.write(
        `${r.pool}: the engine adds ${small.length} tiny MP4s in one folder in ${r.addSeconds} s ` +
          `(main thread ${r.addMainThreadCpuSeconds} s CPU) and checks them in ${r.checkSeconds} s, main thread ` +
          `${r.checkMainThreadCpuSeconds} s CPU (${r.checkMainThreadCpuMsPerFile} ms a file), process ${r.checkProcessCpuSeconds} s\n`,
      );
    mkdirSync('.bench', { recursive: true });
    writeFileSync('.bench/preflight.json', JSON.stringify(figures, null, 2));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
