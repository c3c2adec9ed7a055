// What proving content costs: CPU seconds per GiB of SHA-256 as parts stream past (DigestStream, the engine's own
// tap on every part it sends) and of hashing a file again from disk (a changed identity, a candidate duplicate).
// Run: npx tsx bench/hashing.bench.ts   (or `npm run bench hashing`)
import { createReadStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { contentHashOfFile, DigestStream } from '../main/uploads/content-hash';

const MiB = 1024 * 1024;
const SIZE = Number(process.env.BENCH_HASH_MIB ?? 1024) * MiB;
const ROUNDS = 3;

function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

async function timed(run: () => Promise<void>): Promise<{ seconds: number; cpuSeconds: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await run();
  return { seconds: (performance.now() - started) / 1000, cpuSeconds: cpuSince(cpu) };
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'convoy-bench-hash-'));
  const file = join(work, 'clip.mp4');
  const block = Buffer.alloc(64 * MiB, 7);
  writeFileSync(file, '');
  for (let written = 0; written < SIZE; written += block.length) writeFileSync(file, block, { flag: 'a' });
  const sink = () => new Writable({ write: (_chunk, _encoding, done) => done() });

  const read: { seconds: number; cpuSeconds: number }[] = [];
  const tapped: { seconds: number; cpuSeconds: number }[] = [];
  const again: { seconds: number; cpuSeconds: number }[] = [];
  for (let n = 0; n < ROUNDS; n += 1) {
    read.push(await timed(() => pipeline(createReadStream(file, { highWaterMark: 256 * 1024 }), sink())));
    tapped.push(
      await timed(() => pipeline(createReadStream(file, { highWaterMark: 256 * 1024 }), new DigestStream(), sink())),
    );
    again.push(await timed(async () => void (await contentHashOfFile(file, SIZE, 50 * MiB))));
  }
  rmSync(work, { recursive: true, force: true });

  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const gib = SIZE / (1024 * MiB);
  const perGiB = (rounds: { cpuSeconds: number }[]) => median(rounds.map((r) => r.cpuSeconds)) / gib;
  const mibPerSec = (rounds: { seconds: number }[]) => SIZE / MiB / median(rounds.map((r) => r.seconds));
  const figures = {
    size: `${SIZE / MiB} MiB from the page cache, ${ROUNDS} rounds, medians`,
    readOnly: { cpuSecondsPerGiB: perGiB(read), mibPerSec: mibPerSec(read) },
    readAndDigest: { cpuSecondsPerGiB: perGiB(tapped), mibPerSec: mibPerSec(tapped) },
    hashFileAgain: { cpuSecondsPerGiB: perGiB(again), mibPerSec: mibPerSec(again) },
    digestCpuSecondsPerGiB: perGiB(tapped) - perGiB(read),
  };
  process.stdout.write(
    `read only: ${figures.readOnly.cpuSecondsPerGiB.toFixed(2)} CPU s/GiB (${figures.readOnly.mibPerSec.toFixed(0)} MiB/s); ` +
      `read + digest: ${figures.readAndDigest.cpuSecondsPerGiB.toFixed(2)} CPU s/GiB (${figures.readAndDigest.mibPerSec.toFixed(0)} MiB/s); ` +
      `the digest alone: ${figures.digestCpuSecondsPerGiB.toFixed(2)} CPU s/GiB; hashing a file again: ${figures.hashFileAgain.cpuSecondsPerGiB.toFixed(2)} CPU s/GiB\n`,
  );
  mkdirSync('.bench', { recursive: true });
  writeFileSync('.bench/hashing.json', JSON.stringify(figures, null, 2));
}

await main();
