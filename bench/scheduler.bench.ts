// What a backlog for an unreachable server costs the uploads that can go: the engine sends a batch to the sandbox
// with and without 10,000 files queued for a server that is down, side by side (alternating rounds), and compares
// wall time and the engine's CPU time (ABBA order). Run: npx tsx bench/scheduler.bench.ts   (or `npm run bench scheduler`)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '../main/apivideo/index';
import { openEngine, type UploadEngine } from '../main/uploads/index';
import { startTestSandbox } from '../test/support/sandbox';

const MiB = 1024 * 1024;
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 10_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 24);
const FILE_SIZE = 16 * MiB;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);

interface Round {
  seconds: number;
  /** Engine process CPU (user + system) while the batch uploaded. */
  cpuSeconds: number;
}

/** Files of bytes, not video: the scheduler is what is measured, so they are added with uploadUnrecognised. */
function makeFiles(dir: string, count: number, size: number, seed: number): void {
  mkdirSync(dir, { recursive: true });
  const block = Buffer.alloc(size);
  for (let i = 0; i < count; i += 1) {
    block.writeUInt32LE(seed * 1_000_000 + i, 0);
    writeFileSync(join(dir, `f${String(i).padStart(5, '0')}.mp4`), block);
  }
}

/** A port nothing listens on: the "server that is down". */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resolves once `count` jobs of `profileId` reached `state`, as the engine's job events report them. */
function reached(engine: UploadEngine, profileId: string, state: string, count: number): Promise<void> {
  const seen = new Set<string>();
  return new Promise((resolve) => {
    const off = engine.on('jobs', ({ upserts }) => {
      for (const job of upserts) if (job.profileId === profileId && job.state === state) seen.add(job.id);
      if (seen.size >= count) {
        off();
        resolve();
      }
    });
  });
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'convoy-bench-sched-'));
  const sandbox = await startTestSandbox();
  const live = createClient({ baseUrl: sandbox.url, auth: { kind: 'bearer', apiKey: sandbox.apiKey } });
  const down = createClient({
    baseUrl: `http://127.0.0.1:${await deadPort()}`,
    auth: { kind: 'bearer', apiKey: 'unused' },
  });
  const backlogDir = join(work, 'backlog');
  makeFiles(backlogDir, BACKLOG, 1024, 1);

  async function round(withBacklog: boolean, n: number): Promise<Round> {
    await sandbox.reset();
    const batchDir = join(work, `batch-${n}-${withBacklog ? 'b' : 'n'}`);
    makeFiles(batchDir, BATCH, FILE_SIZE, 2 + n);
    const stateDir = join(work, `state-${n}-${withBacklog ? 'b' : 'n'}`);
    const engine = await openEngine({
      stateDir,
      getClient: (profileId) => (profileId === 'down' ? down : live),
      settings: { chunkSize: 5 * MiB, concurrency: 8 },
      probeIntervalMs: 60_000,
      progressIntervalMs: 50,
    });
    try {
      if (withBacklog) {
        const offline = reached(engine, 'down', 'offline', 1);
        await engine.add({ paths: [backlogDir], profileId: 'down', uploadUnrecognised: true });
        await offline; // the server is known down: the rest of the backlog waits in line
      }
      const finished = reached(engine, 'live', 'done', BATCH);
      const cpu = process.cpuUsage();
      const started = performance.now();
      await engine.add({ paths: [batchDir], profileId: 'live', uploadUnrecognised: true });
      await finished;
      const seconds = (performance.now() - started) / 1000;
      const used = process.cpuUsage(cpu);
      return { seconds, cpuSeconds: (used.user + used.system) / 1e6 };
    } finally {
      await engine.close();
      rmSync(batchDir, { recursive: true, force: true });
      rmSync(stateDir, { recursive: true, force: true });
    }
  }

  const without: Round[] = [];
  const withIt: Round[] = [];
  for (let n = 0; n < ROUNDS; n += 1) {
    // ABBA: which case goes first alternates, so neither always runs on the heels of the other's disk writes.
    if (n % 2 === 0) {
      without.push(await round(false, n));
      withIt.push(await round(true, n));
    } else {
      withIt.push(await round(true, n));
      without.push(await round(false, n));
    }
    process.stdout.write(
      `round ${n + 1}: no backlog ${fmt(without.at(-1)!)}; ${BACKLOG} waiting for a server that is down ${fmt(withIt.at(-1)!)}\n`,
    );
  }
  await sandbox.close();
  rmSync(work, { recursive: true, force: true });

  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const figures = {
    batch: `${BATCH} × ${FILE_SIZE / MiB} MiB, 5 MiB chunks, 8 requests in flight`,
    backlog: BACKLOG,
    rounds: ROUNDS,
    noBacklog: { seconds: median(without.map((r) => r.seconds)), cpuSeconds: median(without.map((r) => r.cpuSeconds)) },
    withBacklog: { seconds: median(withIt.map((r) => r.seconds)), cpuSeconds: median(withIt.map((r) => r.cpuSeconds)) },
  };
  const ratio = {
    seconds: figures.withBacklog.seconds / figures.noBacklog.seconds,
    cpu: figures.withBacklog.cpuSeconds / figures.noBacklog.cpuSeconds,
  };
  process.stdout.write(`median: time ×${ratio.seconds.toFixed(2)}, CPU ×${ratio.cpu.toFixed(2)} with the backlog\n`);
  mkdirSync('.bench', { recursive: true });
  writeFileSync('.bench/scheduler.json', JSON.stringify({ ...figures, ratio }, null, 2));
}

function fmt(r: Round): string {
  return `${r.seconds.toFixed(2)} s, CPU ${r.cpuSeconds.toFixed(2)} s`;
}

await main();
