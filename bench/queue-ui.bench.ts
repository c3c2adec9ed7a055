// Frame times of the upload queue UI at 10,000 rows: builds the real renderer, feeds its real store and list
// through a page-side stand-in for main's WebSocket (10,000 JobViews, progress events at 10/s) and measures rAF deltas in Chromium.
// Run: npx tsx bench/queue-ui.bench.ts   (writes .bench/queue-ui.json; CHROMIUM_PATH overrides the browser)
import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium, type CDPSession, type Page } from '@playwright/test';
import react from '@vitejs/plugin-react';
import { build } from 'vite';

const JOBS = 10_000;
const PHASE_MS = Number(process.env.BENCH_PHASE_MS ?? 5_000);
const PROGRESS_HZ = 10;

interface FrameStats {
  frames: number;
  p50: number;
  p95: number;
  max: number;
  /** Frames the display would have shown but the page missed (deltas longer than one 60 Hz frame). */
  dropped: number;
  droppedPct: number;
  /** Main-thread time spent per second of the phase (script, style, layout; from Chrome's metrics): less load-sensitive than frames. */
  busyMsPerSec: number;
  scriptMsPerSec: number;
  layoutMsPerSec: number;
}

/** Builds the renderer exactly as the app ships it (production React) into a temp folder. */
async function buildRenderer(outDir: string): Promise<void> {
  await build({
    configFile: false,
    root: resolve('renderer'),
    plugins: [react()],
    logLevel: 'warn',
    mode: 'production',
    build: { outDir, emptyOutDir: true, rollupOptions: { input: resolve('renderer/index.html') } },
  });
}

const types: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
};

function serve(root: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(join(root, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    const file = path.startsWith(root) && existsSync(path) && statSync(path).isFile() ? path : join(root, 'index.html');
    res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((r) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      r({ server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/` });
    }),
  );
}

/**
 * Runs in the page before the app: a stand-in for main's WebSocket (the browser-mode bridge) that answers
 * the app's start-up requests, serves a 10,000-job snapshot and can stream progress. Plain JS string so no
 * build helper leaks into the page.
 */
const harness = String.raw`
(() => {
  const JOBS = ${JOBS};
  const MiB = 1024 * 1024;
  const now = Date.now();
  const states = (i) => i < 8 ? 'uploading' : i < 400 ? 'done' : i % 97 === 0 ? 'failed' : i % 89 === 0 ? 'retrying' : i % 83 === 0 ? 'paused' : 'queued';
  const jobs = [];
  for (let i = 0; i < JOBS; i++) {
    const state = states(i);
    const size = (6 + (i % 7)) * MiB;
    jobs.push({
      id: 'job-' + i, path: '/videos/batch/clip-' + i + '.mp4', name: 'clip-' + i + '.mp4', size, state,
      title: 'clip-' + i, description: '', tags: [], public: i % 5 !== 0,
      confirmedBytes: state === 'done' ? size : state === 'uploading' ? MiB : 0,
      profileId: 'p1', createdAt: now - 1000 * i,
      ...(state === 'failed' ? { reason: 'The server refused the file: 400 invalid-file.' } : {}),
      ...(state === 'retrying' ? { retryAt: now + 30000, reason: 'Server busy (503)' } : {}),
      ...(state === 'uploading' || state === 'paused' ? { windowEndsAt: now + 6 * 86400000 } : {}),
      ...(state === 'done' ? { videoId: 'vi' + i, playerUrl: 'https://embed.api.video/vod/vi' + i, encoding: 'playable' } : {}),
    });
  }
  const byState = {};
  for (const s of ['queued','uploading','paused','offline','retrying','finalizing','done','failed','skipped','cancelled']) byState[s] = 0;
  for (const j of jobs) byState[j.state]++;
  const totals = { files: JOBS, bytes: jobs.reduce((n, j) => n + j.size, 0), confirmedBytes: 0, inflightBytes: 0, speed: 0, eta: null, byState, needsKey: 0 };
  const answers = {
    'app.info': { version: '0.0.0-bench', mode: 'browser', platform: 'linux', dataDir: '/tmp', nativeDialogs: false,
      secretStorage: { encrypted: false, backend: 'none' } },
    'profiles.list': { profiles: [{ id: 'p1', name: 'Bench', environment: { kind: 'local', baseUrl: 'http://127.0.0.1', label: 'Local sandbox' },
      authKind: 'basic', keyHint: '••••0000', secretStorage: 'session', hasSecret: true, createdAt: new Date(now).toISOString() }], activeId: 'p1' },
    'queue.snapshot': { jobs, totals, settings: { concurrency: 4, bandwidthLimit: null, chunkSize: 'adaptive', waitForPlayable: true },
      network: { online: true, message: '' } },
  };
  const sockets = new Set();
  const emit = (event, payload) => {
    const data = JSON.stringify({ event, payload });
    for (const socket of sockets) socket.onmessage?.({ data });
  };
  let timer = null;
  let tick = 0;
  window.__bench = {
    /** Streams queue.progress at hz for perEvent jobs (the uploading ones first), plus a state change every second. */
    startProgress(hz, perEvent) {
      clearInterval(timer);
      timer = setInterval(() => {
        tick++;
        const updates = [];
        for (let k = 0; k < perEvent; k++) {
          const j = jobs[k];
          const confirmed = Math.min(j.size, (tick * 256 * 1024 + k * 4096) % j.size);
          updates.push({ id: j.id, confirmedBytes: confirmed, inflightBytes: 128 * 1024, speed: 4 * MiB + (tick % 7) * 1000, eta: Math.round((j.size - confirmed) / (4 * MiB)) });
        }
        totals.confirmedBytes += perEvent * 256 * 1024;
        totals.speed = 4 * MiB * Math.min(perEvent, 8);
        totals.eta = 3600 - tick;
        emit('queue.progress', { jobs: updates, totals: { ...totals } });
        if (tick % hz === 0) {
          const j = jobs[tick % 8];
          emit('queue.jobs', { upserts: [{ ...j, confirmedBytes: j.confirmedBytes + MiB }], removed: [] });
        }
      }, 1000 / hz);
    },
    stopProgress() { clearInterval(timer); timer = null; },
    /** rAF deltas for ms while scrollStep px are scrolled per frame (0: no scrolling). */
    measure(ms, scrollStep) {
      const el = document.querySelector('[data-testid="queue-scroll"]');
      return new Promise((resolve) => {
        const deltas = [];
        let last = performance.now();
        const end = last + ms;
        let dir = 1;
        const frame = (t) => {
          deltas.push(t - last);
          last = t;
          if (scrollStep && el) {
            if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) dir = -1;
            else if (el.scrollTop <= 0) dir = 1;
            el.scrollTop += dir * scrollStep;
          }
          if (t < end) requestAnimationFrame(frame);
          else resolve(deltas.slice(1));
        };
        requestAnimationFrame(frame);
      });
    },
  };
  // Stands in for main's browser-mode WebSocket, so the page's real bridge client carries every message.
  class BenchSocket {
    static OPEN = 1;
    readyState = 0;
    constructor() {
      sockets.add(this);
      setTimeout(() => { this.readyState = 1; this.onopen?.(); }, 0);
    }
    send(text) {
      const { id, channel } = JSON.parse(text);
      setTimeout(() => this.onmessage?.({ data: JSON.stringify({ id, envelope: { ok: true, value: answers[channel] ?? {} } }) }), 0);
    }
    close() {}
  }
  window.WebSocket = BenchSocket;
})();
`;

const FRAME = 1000 / 60;

type Work = { task: number; script: number; layout: number };

function stats(deltas: number[], work: Work, ms: number): FrameStats {
  const sorted = [...deltas].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const dropped = deltas.reduce((n, d) => n + Math.max(0, Math.round(d / FRAME) - 1), 0);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    frames: deltas.length,
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    max: round(sorted[sorted.length - 1] ?? 0),
    dropped,
    droppedPct: round((100 * dropped) / (deltas.length + dropped || 1)),
    busyMsPerSec: round((work.task * 1000) / (ms / 1000)),
    scriptMsPerSec: round((work.script * 1000) / (ms / 1000)),
    layoutMsPerSec: round((work.layout * 1000) / (ms / 1000)),
  };
}

/** Cumulative main-thread seconds from the DevTools protocol's Performance domain. */
async function work(cdp: CDPSession): Promise<Work> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  const get = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
  return {
    task: get('TaskDuration'),
    script: get('ScriptDuration'),
    layout: get('LayoutDuration') + get('RecalcStyleDuration'),
  };
}

async function phase(page: Page, cdp: CDPSession, scrollStep: number, progress: number | null): Promise<FrameStats> {
  if (progress !== null)
    await page.evaluate(([hz, n]) => (window as unknown as BenchWindow).__bench.startProgress(hz, n), [
      PROGRESS_HZ,
      progress,
    ] as const);
  const before = await work(cdp);
  const deltas = await page.evaluate(([ms, step]) => (window as unknown as BenchWindow).__bench.measure(ms, step), [
    PHASE_MS,
    scrollStep,
  ] as const);
  const after = await work(cdp);
  await page.evaluate(() => (window as unknown as BenchWindow).__bench.stopProgress());
  const spent = {
    task: after.task - before.task,
    script: after.script - before.script,
    layout: after.layout - before.layout,
  };
  return stats(deltas, spent, PHASE_MS);
}

interface BenchWindow {
  __bench: {
    startProgress(hz: number, perEvent: number): void;
    stopProgress(): void;
    measure(ms: number, step: number): Promise<number[]>;
  };
}

async function main(): Promise<void> {
  const out = mkdtempSync(join(tmpdir(), 'convoy-bench-ui-'));
  await buildRenderer(out);
  const { server, url } = await serve(out);
  const executablePath =
    process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  const browser = await chromium.launch({
    ...(executablePath ? { executablePath } : {}),
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.addInitScript(harness);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
    page.on('console', (m) => {
      if (m.type() === 'error') process.stderr.write(`console: ${m.text()}\n`);
    });
    const t0 = Date.now();
    await page.goto(url);
    await page
      .locator(`[data-job-id="job-0"]`)
      .waitFor({ timeout: 10_000 })
      .catch(async (e) => {
        await page.screenshot({ path: '.bench/fail.png' });
        throw e;
      });
    const firstPaintMs = Date.now() - t0;
    const rowsMounted = await page.locator('.queue-canvas > .queue-row').count();

    // Warm-up: mount, lay out and JIT every kind of row once, so the first measured phase is not a cold start.
    await phase(page, cdp, 40, 8);
    await page.evaluate(() => {
      document.querySelector('[data-testid="queue-scroll"]')!.scrollTop = 0;
    });
    const rows: [string, FrameStats][] = [
      ['idle (10,000 rows)', await phase(page, cdp, 0, null)],
      ['scrolling 40 px/frame', await phase(page, cdp, 40, null)],
      ['progress 10/s, 8 uploading', await phase(page, cdp, 0, 8)],
      ['progress 10/s, 1,000 jobs per event', await phase(page, cdp, 0, 1000)],
      ['scrolling + progress 10/s, 8 uploading', await phase(page, cdp, 40, 8)],
      ['scrolling + progress 10/s, 1,000 jobs per event', await phase(page, cdp, 40, 1000)],
    ];
    mkdirSync('.bench', { recursive: true });
    await page.evaluate(() => {
      document.querySelector('[data-testid="queue-scroll"]')!.scrollTop = 0;
    });
    await page.screenshot({ path: '.bench/queue-ui.png' });

    const table = [
      `Queue UI at ${JOBS.toLocaleString('en')} jobs, ${PHASE_MS / 1000} s per phase (Chromium, rAF deltas in ms; 60 Hz frame = 16.7 ms)`,
      '',
      '| phase | frames | p50 | p95 | max | dropped | main thread ms/s (script, style+layout) |',
      '|---|---|---|---|---|---|---|',
      ...rows.map(
        ([name, s]) =>
          `| ${name} | ${s.frames} | ${s.p50} | ${s.p95} | ${s.max} | ${s.dropped} (${s.droppedPct}%) | ${s.busyMsPerSec} (${s.scriptMsPerSec}, ${s.layoutMsPerSec}) |`,
      ),
      '',
      `Machine load average at start: ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores (frame drops rise with other work on the box; ms/s is steadier).`,
      `Load to first row: ${firstPaintMs} ms (build served locally, snapshot of ${JOBS} jobs); rows mounted: ${rowsMounted}.`,
    ].join('\n');
    process.stdout.write(`${table}\n`);
    writeFileSync(
      '.bench/queue-ui.json',
      JSON.stringify(
        {
          jobs: JOBS,
          phaseMs: PHASE_MS,
          loadAverage: loadavg()[0],
          cores: cpus().length,
          progressHz: PROGRESS_HZ,
          firstRowMs: firstPaintMs,
          rowsMounted,
          phases: Object.fromEntries(rows),
        },
        null,
        2,
      ),
    );
  } finally {
    await browser.close();
    server.close();
    rmSync(out, { recursive: true, force: true });
  }
}

await main();
