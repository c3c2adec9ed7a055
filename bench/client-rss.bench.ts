// Benchmark (npx tsx bench/client-rss.bench.ts): resident memory of a process that loads the api.video client and
// makes 50 JSON calls to the local sandbox, with the JSON calls over node:http (now) vs over global fetch (before;
// that path is copied below, only for this comparison). Each side runs in its own child process as plain `node` on
// this file bundled (no tsx in the measured process), alternating over several rounds. Writes .bench/client-rss.json.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { basicAuth } from '../main/apivideo/auth';
import { createClient } from '../main/apivideo/client';
import type { ErrorContext } from '../main/apivideo/errors';
import { abortedError, networkError, timeoutError } from '../main/apivideo/errors';
import { pageSchema, videoSchema } from '../main/apivideo/schemas';
import type { JsonSenderOptions, RawReply, RequestBody, RequestLine } from '../main/apivideo/transport';
import { readReply, sendWithRetries } from '../main/apivideo/transport';

const MiB = 1024 * 1024;
const CALLS = Number(process.env.BENCH_CALLS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const modes = ['fetch', 'http'] as const;
type Mode = (typeof modes)[number];

interface ChildFigures {
  mode: Mode;
  /** RSS once the client is loaded, before the first call. */
  loadedRssMiB: number;
  /** The kernel's high-water mark of the resident set (getrusage maxRSS). */
  peakRssMiB: number;
  /** RSS after the calls, a full GC and a short pause: what the process keeps. */
  steadyRssMiB: number;
  steadyHeapUsedMiB: number;
  steadyExternalMiB: number;
  msPerCall: number;
  undiciLoaded: boolean;
}

// ---- child: the measured process -------------------------------------------------------------------

/** The JSON sender as it was before the node:http move (global fetch, i.e. undici), trimmed to what the bench calls. */
function fetchSenderBefore(
  options: JsonSenderOptions,
  line: RequestLine,
  search: URLSearchParams | null,
  body?: RequestBody,
) {
  const query = search && search.size > 0 ? `?${search.toString()}` : '';
  const url = `${options.baseUrl}${line.path}${query}`;
  return async (authorization: string | null): Promise<RawReply> => {
    const headers: Record<string, string> = { ...options.headers, accept: 'application/json' };
    if (authorization) headers.authorization = authorization;
    let payload: string | undefined;
    if (body && 'json' in body) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body.json);
    }
    try {
      const response = await fetch(url, {
        method: line.method,
        headers,
        ...(payload !== undefined ? { body: payload } : {}),
        signal: AbortSignal.timeout(options.timeoutMs),
        redirect: 'error',
      });
      const text = await response.text();
      return { status: response.status, text, header: (name) => response.headers.get(name) };
    } catch (error) {
      if (error instanceof Error && error.name === 'TimeoutError')
        throw timeoutError(options.context, line, options.timeoutMs);
      if (error instanceof Error && error.name === 'AbortError') throw abortedError(options.context, line);
      throw networkError(options.context, error);
    }
  };
}

/** The same calls the client makes, sent the old way. */
function beforeCalls(baseUrl: string, apiKey: string) {
  const context: ErrorContext = { baseUrl, authKind: 'basic' };
  const sender: JsonSenderOptions = {
    baseUrl,
    context,
    timeoutMs: 30_000,
    headers: { 'av-origin-client': 'convoy:bench' },
  };
  const auth = basicAuth(apiKey);
  const call = async <T>(line: RequestLine, schema: z.ZodType<T>, search: URLSearchParams | null, body?: RequestBody) =>
    readReply(
      context,
      line,
      await sendWithRetries(auth, fetchSenderBefore(sender, line, search, body), { maxRateLimitWaitSeconds: 10 }),
      schema,
    );
  return {
    create: (title: string) => call({ method: 'POST', path: '/videos' }, videoSchema, null, { json: { title } }),
    list: () =>
      call({ method: 'GET', path: '/videos' }, pageSchema(videoSchema), new URLSearchParams({ pageSize: '5' })),
  };
}

function afterCalls(baseUrl: string, apiKey: string) {
  const client = createClient({ baseUrl, auth: { kind: 'basic', apiKey } });
  return {
    create: (title: string) => client.videos.create({ title }),
    list: () => client.videos.list({ pageSize: 5 }),
  };
}

async function runChild(mode: Mode, baseUrl: string, apiKey: string, calls: number): Promise<void> {
  const mib = (n: number) => Math.round((n / MiB) * 10) / 10;
  const loaded = process.memoryUsage().rss;
  const api = mode === 'fetch' ? beforeCalls(baseUrl, apiKey) : afterCalls(baseUrl, apiKey);
  const started = performance.now();
  for (let i = 0; i < calls; i += 1) {
    if (i % 2 === 0) await api.create(`rss ${i}`);
    else await api.list();
  }
  const msPerCall = (performance.now() - started) / calls;
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const steady = process.memoryUsage();
  const figures: ChildFigures = {
    mode,
    loadedRssMiB: mib(loaded),
    peakRssMiB: mib(process.resourceUsage().maxRSS * 1024),
    steadyRssMiB: mib(steady.rss),
    steadyHeapUsedMiB: mib(steady.heapUsed),
    steadyExternalMiB: mib(steady.external),
    msPerCall: Math.round(msPerCall * 100) / 100,
    undiciLoaded: ((process as unknown as { moduleLoadList: string[] }).moduleLoadList ?? []).some((m) =>
      m.includes('undici'),
    ),
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
  process.exit(0);
}

// ---- parent: bundles this file, starts the sandbox, runs both sides ----------------------------------

const self = fileURLToPath(import.meta.url);
const root = join(self, '..', '..');

/** Bundles this file the way the engine's benchmark children are bundled (bench/child/build.ts). */
async function bundleSelf(): Promise<string> {
  const { bundleForNode } = await import('./child/build'); // the parent's builder stays out of the measured child
  const outDir = join(root, '.bench', 'client-rss');
  // The parent's sandbox stays out of the measured bundle too (it is only imported by the parent).
  await bundleForNode(root, outDir, { child: self }, (id) => id.includes('/main/sandbox/'));
  return join(outDir, 'child.mjs');
}

function spawnChild(script: string, mode: Mode, url: string, apiKey: string): Promise<ChildFigures> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', script, 'child', mode, url, apiKey, String(CALLS)], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`child ${mode} exited with ${code}: ${out}`));
      resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as ChildFigures);
    });
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function medianFigures(runs: ChildFigures[]) {
  const pick = (
    key: 'loadedRssMiB' | 'peakRssMiB' | 'steadyRssMiB' | 'steadyHeapUsedMiB' | 'steadyExternalMiB' | 'msPerCall',
  ) => median(runs.map((r) => r[key]));
  return {
    loadedRssMiB: pick('loadedRssMiB'),
    peakRssMiB: pick('peakRssMiB'),
    steadyRssMiB: pick('steadyRssMiB'),
    steadyHeapUsedMiB: pick('steadyHeapUsedMiB'),
    steadyExternalMiB: pick('steadyExternalMiB'),
    msPerCall: pick('msPerCall'),
    undiciLoaded: runs.some((r) => r.undiciLoaded),
    peakRunsMiB: runs.map((r) => r.peakRssMiB),
    steadyRunsMiB: runs.map((r) => r.steadyRssMiB),
  };
}

async function runParent(): Promise<void> {
  const { startSandbox } = await import('../main/sandbox/index');
  const script = await bundleSelf();
  const work = mkdtempSync(join(tmpdir(), 'convoy-bench-'));
  const sandbox = await startSandbox({ dataDir: join(work, 'sandbox') });
  const runs: Record<Mode, ChildFigures[]> = { fetch: [], http: [] };
  try {
    await spawnChild(script, 'http', sandbox.url, sandbox.apiKey); // warm-up: page cache, sandbox JIT
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const mode of round % 2 === 0 ? modes : [...modes].reverse())
        runs[mode].push(await spawnChild(script, mode, sandbox.url, sandbox.apiKey));
    }
  } finally {
    await sandbox.close();
    rmSync(work, { recursive: true, force: true });
  }
  const before = medianFigures(runs.fetch);
  const after = medianFigures(runs.http);
  const delta = (key: 'loadedRssMiB' | 'peakRssMiB' | 'steadyRssMiB') =>
    Math.round((after[key] - before[key]) * 10) / 10;
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    calls: CALLS,
    rounds: ROUNDS,
    before,
    after,
    peakDeltaMiB: delta('peakRssMiB'),
    steadyDeltaMiB: delta('steadyRssMiB'),
    note: 'medians of ROUNDS child processes per side; before = JSON calls over global fetch (undici), after = over node:http',
    pass: !after.undiciLoaded && after.peakRssMiB < before.peakRssMiB,
  };
  console.log(
    `| ${CALLS} JSON calls to the local sandbox (median of ${ROUNDS} processes) | before: fetch (undici) | after: node:http | change |`,
  );
  console.log('|---|---|---|---|');
  console.log(
    `| RSS with the client loaded, before any call | ${before.loadedRssMiB} MiB | ${after.loadedRssMiB} MiB | ${delta('loadedRssMiB')} MiB |`,
  );
  console.log(
    `| peak RSS (maxRSS) | ${before.peakRssMiB} MiB | ${after.peakRssMiB} MiB | ${result.peakDeltaMiB} MiB |`,
  );
  console.log(
    `| steady RSS after the calls and a GC | ${before.steadyRssMiB} MiB | ${after.steadyRssMiB} MiB | ${result.steadyDeltaMiB} MiB |`,
  );
  console.log(
    `| heap used / external after GC | ${before.steadyHeapUsedMiB} / ${before.steadyExternalMiB} MiB | ${after.steadyHeapUsedMiB} / ${after.steadyExternalMiB} MiB | |`,
  );
  console.log(`| time per call | ${before.msPerCall} ms | ${after.msPerCall} ms | |`);
  console.log(
    `| undici loaded | ${before.undiciLoaded ? 'yes' : 'no'} | ${after.undiciLoaded ? 'yes' : 'no'} | ${result.pass ? 'PASS' : 'FAIL'} |`,
  );
  mkdirSync(join(root, '.bench'), { recursive: true });
  writeFileSync(join(root, '.bench', 'client-rss.json'), JSON.stringify(result, null, 2) + '\n');
  if (!result.pass) process.exitCode = 1;
}

const [role, mode, url, apiKey, calls] = process.argv.slice(2);
const running = role === 'child' ? runChild(mode as Mode, url!, apiKey!, Number(calls)) : runParent();
running.catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
