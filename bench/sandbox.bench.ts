// Benchmark (npx tsx bench/sandbox.bench.ts): multipart chunk uploads to the sandbox vs plain HTTP POSTs of the
// same bytes to a trivial node:http server streaming to disk, on loopback; plus RSS with 200 MiB chunks in flight.
import { createServer, request, type Server } from 'node:http';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { AddressInfo } from 'node:net';
import { startSandbox } from '../main/sandbox/index';

const MiB = 1024 * 1024;
const CHUNKS = 8;
const CHUNK = 64 * MiB;
const CONCURRENCY = 4;
const BOUNDARY = 'convoyBenchBoundary';
const block = randomBytes(4 * MiB);

function* bodyOf(size: number, multipart: boolean): Generator<Buffer> {
  if (multipart)
    yield Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="c.mp4"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    );
  for (let sent = 0; sent < size; sent += block.length) yield block.subarray(0, Math.min(block.length, size - sent));
  if (multipart) yield Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
}

function post(url: string, headers: Record<string, string>, size: number, multipart: boolean): Promise<number> {
  const parts = [...bodyOf(size, multipart)];
  const length = parts.reduce((n, p) => n + p.length, 0);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { ...headers, 'Content-Length': length } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    void (async () => {
      for (const part of parts) if (!req.write(part)) await new Promise((r) => req.once('drain', r));
      req.end();
    })();
  });
}

async function runPool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

function startPlainServer(dir: string): Promise<Server> {
  let n = 0;
  const server = createServer((req, res) => {
    pipeline(req, createWriteStream(join(dir, `${n++}.bin`))).then(
      () => res.end('{}'),
      () => res.destroy(),
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'convoy-bench-'));
  mkdirSync(join(work, 'plain'));
  const sandbox = await startSandbox({ dataDir: join(work, 'sandbox') });
  const plain = await startPlainServer(join(work, 'plain'));
  const plainUrl = `http://127.0.0.1:${(plain.address() as AddressInfo).port}/`;
  const auth = { Authorization: 'Basic ' + Buffer.from(`${sandbox.apiKey}:`).toString('base64') };
  const total = CHUNKS * CHUNK;

  const createVideo = async () => {
    const reply = await fetch(`${sandbox.url}/videos`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: '{"title":"bench"}',
    });
    return ((await reply.json()) as { videoId: string }).videoId;
  };

  const runSandbox = async () => {
    const videoId = await createVideo();
    const started = performance.now();
    await runPool(CHUNKS, CONCURRENCY, async (i) => {
      const status = await post(
        `${sandbox.url}/videos/${videoId}/source`,
        {
          ...auth,
          'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`,
          'Content-Range': `part ${i + 1}/${CHUNKS}`,
        },
        CHUNK,
        true,
      );
      if (status !== 201) throw new Error(`sandbox chunk ${i + 1} answered ${status}`);
    });
    const seconds = (performance.now() - started) / 1000;
    await fetch(`${sandbox.url}/videos/${videoId}/status`, { headers: auth }); // waits for assembly, outside the timing
    await fetch(`${sandbox.url}/videos/${videoId}`, { method: 'DELETE', headers: auth });
    return seconds;
  };
  const runPlain = async () => {
    const started = performance.now();
    await runPool(CHUNKS, CONCURRENCY, async () => {
      await post(plainUrl, { 'Content-Type': 'application/octet-stream' }, CHUNK, false);
    });
    const seconds = (performance.now() - started) / 1000;
    rmSync(join(work, 'plain'), { recursive: true, force: true });
    mkdirSync(join(work, 'plain'));
    return seconds;
  };

  // Warm up once, then alternate runs so both sides see the same disk and page-cache conditions.
  await runPlain();
  await runSandbox();
  const sandboxRuns: number[] = [];
  const plainRuns: number[] = [];
  for (let round = 0; round < 3; round += 1) {
    plainRuns.push(await runPlain());
    sandboxRuns.push(await runSandbox());
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const sandboxMiBs = total / MiB / median(sandboxRuns);
  const plainMiBs = total / MiB / median(plainRuns);
  const ratio = sandboxMiBs / plainMiBs;

  // RSS with several 200 MiB chunks in flight at once.
  const bigChunks = 4;
  const big = 200 * MiB;
  const videoId = await createVideo();
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 50);
  const bigStarted = performance.now();
  await Promise.all(
    Array.from({ length: bigChunks }, async (_, i) => {
      const status = await post(
        `${sandbox.url}/videos/${videoId}/source`,
        {
          ...auth,
          'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`,
          'Content-Range': `part ${i + 1}/${bigChunks}`,
        },
        big,
        true,
      );
      if (status !== 201) throw new Error(`200 MiB chunk ${i + 1} answered ${status}`);
    }),
  );
  const bigSeconds = (performance.now() - bigStarted) / 1000;
  clearInterval(sampler);
  await fetch(`${sandbox.url}/videos/${videoId}/status`, { headers: auth });

  const result = {
    date: new Date().toISOString(),
    chunks: CHUNKS,
    chunkMiB: CHUNK / MiB,
    concurrency: CONCURRENCY,
    sandboxMiBPerSec: Math.round(sandboxMiBs),
    plainMiBPerSec: Math.round(plainMiBs),
    ratio: Number(ratio.toFixed(3)),
    sandboxRunsSec: sandboxRuns.map((s) => Number(s.toFixed(3))),
    plainRunsSec: plainRuns.map((s) => Number(s.toFixed(3))),
    inFlight200MiBChunks: bigChunks,
    inFlightSeconds: Number(bigSeconds.toFixed(2)),
    rssBeforeMiB: Math.round(rssBefore / MiB),
    rssPeakMiB: Math.round(rssPeak / MiB),
    rssGrowthMiB: Math.round((rssPeak - rssBefore) / MiB),
    note: 'client and servers share one process; RSS growth includes the client side of the upload',
    pass: ratio >= 0.8,
  };
  console.log(`| measure | value |\n|---|---|`);
  console.log(
    `| sandbox chunk upload (${CHUNKS} x ${CHUNK / MiB} MiB multipart, ${CONCURRENCY} concurrent) | ${result.sandboxMiBPerSec} MiB/s |`,
  );
  console.log(`| plain HTTP POST to disk (same bytes) | ${result.plainMiBPerSec} MiB/s |`);
  console.log(`| ratio sandbox / plain (must be ≥ 0.8) | ${result.ratio} ${result.pass ? 'PASS' : 'FAIL'} |`);
  console.log(
    `| RSS with ${bigChunks} x 200 MiB chunks in flight | ${result.rssBeforeMiB} → peak ${result.rssPeakMiB} MiB (+${result.rssGrowthMiB}) |`,
  );
  mkdirSync('.bench', { recursive: true });
  writeFileSync('.bench/sandbox.json', JSON.stringify(result, null, 2) + '\n');
  await sandbox.close();
  await new Promise((r) => plain.close(r));
  rmSync(work, { recursive: true, force: true });
  if (!result.pass) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
