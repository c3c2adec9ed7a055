// What media preflight costs at scan time: 1,000 files of several GiB in total (sparse copies of real clips, each
// header real and the rest a hole) checked through the preflight pool, with wall time and memory along the way.
// Run: npx tsx --expose-gc bench/preflight.bench.ts   (or `npm run bench preflight`)
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PreflightPool } from '../main/media/preflight';

const FILES = Number(process.env.BENCH_PREFLIGHT_FILES ?? 1000);
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

    const pool = new PreflightPool();
    // Starting the worker (and, from source, compiling it) is paid once per app run, not per scan: kept apart.
    const startAt = performance.now();
    await pool.run(files[0] as string);
    const startMs = performance.now() - startAt;

    const before = memory();
    const samples: number[] = [];
    const cpu = process.cpuUsage();
    const began = performance.now();
    let ok = 0;
    const refused: string[] = [];
    const batch = 100;
    for (let at = 0; at < files.length; at += batch) {
      const results = await Promise.all(files.slice(at, at + batch).map((f) => pool.run(f)));
      for (const r of results) {
        if (r.ok) ok += 1;
        else refused.push(r.reason);
      }
      samples.push(memory().heapMiB);
    }
    const seconds = (performance.now() - began) / 1000;
    const used = process.cpuUsage(cpu);
    const after = memory();
    await pool.close();

    const mediaInfoJs = await mediaInfoSample(
      sources.map((s) => s.file),
      folder,
    );

    const figures = {
      files: files.length,
      apparentGiB: Math.round((total / GiB) * 10) / 10,
      recognised: ok,
      refused,
      workerStartMs: Math.round(startMs),
      seconds: Math.round(seconds * 1000) / 1000,
      msPerFile: Math.round((seconds * 1000 * 100) / files.length) / 100,
      mainThreadCpuSeconds: Math.round(((used.user + used.system) / 1e6) * 100) / 100,
      memory: { before, after, heapMiBPer100Files: samples },
      mediaInfoJs,
    };
    process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
    process.stdout.write(
      `preflight of ${files.length} files (${figures.apparentGiB} GiB): ${figures.seconds} s, ${figures.msPerFile} ms a file; ` +
        `heap ${before.heapMiB} -> ${after.heapMiB} MiB, rss ${before.rssMiB} -> ${after.rssMiB} MiB\n`,
    );
    mkdirSync('.bench', { recursive: true });
    writeFileSync('.bench/preflight.json', JSON.stringify(figures, null, 2));
    if (ok !== files.length - 1 || refused.length !== 1)
      throw new Error(`expected ${files.length - 1} videos and 1 refusal`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
