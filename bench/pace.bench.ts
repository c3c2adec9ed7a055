// Benchmark (npx tsx bench/pace.bench.ts, or npm run bench -- pace): chunk size against api.video's upload rate
// limit. On the local sandbox with the `production` preset (100 upload requests a minute per key), one batch large
// enough that fixed 50 MiB chunks pass 100 requests in a minute at loopback speed, sent by the engine with automatic
// chunks, with fixed 50 MiB and fixed 5 MiB chunks, and by @api.video/nodejs-client with its defaults; beside them
// a minimal client (50 MiB chunks) with rate limits off sets the link's rate. Each contender is a plain-node child
// (bench/child/), counting its upload requests and 429s as they leave. Every rate-limited contender starts at the
// top of a sandbox minute, so each meets the same fixed windows. Writes .bench/pace.json.
import { closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildMode } from './child/build';
import { buildChildren, runChildScript } from './child/build';
import type { ChildResult } from './child/memory';

const MiB = 1024 * 1024;
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const root = join(fileURLToPath(import.meta.url), '..', '..');

/** A contender: which child, its arguments after <dir> <url> <apiKey>, the sandbox's preset, and which files. */
interface Contender {
  label: string;
  mode: ChildMode;
  args: (string | number)[];
  preset: 'off' | 'production';
  /** Only the first this-many files (the fixed 5 MiB chunks would take many minutes over the whole batch). */
  files?: number;
}

/** Sparse files (holes read as zeros, nothing written to disk but a header), each with its own first bytes. */
function makeSparseFiles(dir: string, count: number, size: number): void {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i += 1) {
    const fd = openSync(join(dir, `clip${String(i).padStart(3, '0')}.mp4`), 'w');
    ftruncateSync(fd, size);
    writeSync(fd, Buffer.from(`convoy pace bench file ${i}\n`), 0, undefined, 0); // distinct content, so no duplicates
    closeSync(fd);
  }
}

/**
 * Waits for the next minute of the sandbox's clock (its own time: nothing here moves it): the limit counts in fixed
 * one-minute windows, and a run that started late in one could send up to twice the limit in its first 60 s.
 */
async function startOfMinute(): Promise<void> {
  const wait = 60_000 - (Date.now() % 60_000);
  await new Promise((resolve) => setTimeout(resolve, wait + 100));
}

function runChild(script: string, args: (string | number)[]): Promise<ChildResult> {
  return runChildScript(root, script, args);
}

async function main(): Promise<void> {
  const { startTestSandbox } = await import('../test/support/sandbox');
  const files = env('BENCH_PACE_FILES', 24);
  const fileMiB = env('BENCH_PACE_MIB', 256);
  const concurrency = env('BENCH_PACE_CONCURRENCY', 4);
  const smallFiles = env('BENCH_PACE_SMALL_FILES', 3);
  const work = mkdtempSync(join(tmpdir(), 'convoy-pace-'));
  const childDir = await buildChildren(root);
  const sandbox = await startTestSandbox({ rateLimit: 'production' });
  const contenders: Contender[] = [
    {
      label: 'minimal client, 50 MiB chunks, rate limits off',
      mode: 'minimal',
      args: [concurrency, 50],
      preset: 'off',
    },
    { label: 'Convoy, automatic chunks', mode: 'engine', args: [concurrency, 'auto'], preset: 'production' },
    { label: 'Convoy, fixed 50 MiB chunks', mode: 'engine', args: [concurrency, 50], preset: 'production' },
    {
      label: `Convoy, fixed 5 MiB chunks (first ${smallFiles} files)`,
      mode: 'engine',
      args: [concurrency, 5],
      preset: 'production',
      files: smallFiles,
    },
    {
      label: '@api.video/nodejs-client, defaults (50 MiB, a file at a time; a 429 restarts the file)',
      mode: 'official',
      args: ['retry429'],
      preset: 'production',
    },
  ];
  const results: { contender: Contender; mib: number; result: ChildResult; rate: number }[] = [];
  try {
    const all = join(work, 'all');
    makeSparseFiles(all, files, fileMiB * MiB);
    const some = join(work, 'some');
    makeSparseFiles(some, Math.min(smallFiles, files), fileMiB * MiB);
    for (const contender of contenders) {
      await sandbox.reset();
      await sandbox.clearFaults();
      await sandbox.setRateLimit(contender.preset); // also starts the minute's counters afresh
      if (contender.preset !== 'off') await startOfMinute();
      const dir = contender.files === undefined ? all : some;
      const mib = (contender.files ?? files) * fileMiB;
      process.stderr.write(`pace: ${contender.label} ...\n`);
      const result = await runChild(join(childDir, `${contender.mode}.mjs`), [
        dir,
        sandbox.url,
        sandbox.apiKey,
        ...contender.args,
      ]);
      results.push({ contender, mib, result, rate: mib / result.seconds });
    }
  } finally {
    await sandbox.close();
    rmSync(work, { recursive: true, force: true });
  }
  const reference = results[0]!.rate;
  const rows = results.map(({ contender, mib, result, rate }) => {
    const r = result.requests!;
    return [
      contender.label,
      `${(mib / 1024).toFixed(2)} GiB`,
      `${result.seconds.toFixed(1)} s`,
      `${rate.toFixed(0)} MiB/s (${(rate / reference).toFixed(2)})`,
      `${r.uploads}`,
      `${r.perMinute.toFixed(0)} / ${r.peakPerMinute}`,
      `${r.tooMany}`,
      `${result.failed ?? 0}`,
    ];
  });
  const auto = results[1]!;
  const held = results.slice(2, 4).every((x) => x.rate < auto.rate);
  const pass = auto.rate >= 0.9 * reference && auto.result.requests!.tooMany === 0 && held;
  mkdirSync(join(root, '.bench'), { recursive: true });
  writeFileSync(
    join(root, '.bench', 'pace.json'),
    JSON.stringify(
      {
        files,
        fileMiB,
        concurrency,
        smallFiles,
        results: results.map(({ contender, mib, result, rate }) => ({ ...contender, mib, rate, result })),
        autoVsMinimal: auto.rate / reference,
        pass,
      },
      null,
      2,
    ),
  );
  const table = [
    '| contender | batch | time | rate (vs minimal, limits off) | upload requests | per minute: mean / most in 60 s | 429s | failed |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
  process.stdout.write(
    `${table}\n\nautomatic chunks: ${(auto.rate / reference).toFixed(2)} of the minimal client's rate (target ≥ 0.9, no 429), fixed sizes held back by the limit: ${held ? 'yes' : 'no'} → ${pass ? 'pass' : 'FAIL'}\n`,
  );
  if (!pass) process.exitCode = 1;
}

await main();
