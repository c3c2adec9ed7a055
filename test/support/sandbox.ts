// Test helper: starts the local sandbox in-process (temp data dir, test controls on, port 0) and wraps its
// /_sandbox/ controls (clock, faults, reset, stats) and a restart on the same data dir and key.
import { afterAll, beforeAll } from 'vitest';
import {
  startSandbox,
  type Faults,
  type RunningSandbox,
  type SandboxOptions,
  type SandboxStats,
} from '../../main/sandbox/index';
import { removeTempDir, tempDir } from './temp-dirs';

export type { Faults, SandboxStats };

export interface TestSandbox extends RunningSandbox {
  advanceClock(seconds: number): Promise<void>;
  setFaults(faults: Faults): Promise<void>;
  clearFaults(): Promise<void>;
  setRateLimit(preset: 'off' | 'production' | 'sandbox'): Promise<void>;
  reset(): Promise<void>;
  stats(): Promise<SandboxStats>;
  /** stops this server (keeping its data) and starts another on the same data dir and key (same port if free) */
  restart(): Promise<TestSandbox>;
  /** Basic authorization header value for this sandbox's key */
  basicAuth: string;
}

async function control(url: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(url + path, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`sandbox control ${method} ${path} failed: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

function wrap(running: RunningSandbox, options: SandboxOptions, removeDirOnClose: boolean): TestSandbox {
  const { url } = running;
  const sandbox: TestSandbox = {
    ...running,
    basicAuth: 'Basic ' + Buffer.from(`${running.apiKey}:`).toString('base64'),
    advanceClock: async (seconds) => void (await control(url, 'POST', '/_sandbox/clock', { advanceSeconds: seconds })),
    setFaults: async (faults) => void (await control(url, 'POST', '/_sandbox/faults', faults)),
    clearFaults: async () => void (await control(url, 'DELETE', '/_sandbox/faults')),
    setRateLimit: async (preset) => void (await control(url, 'POST', '/_sandbox/rate-limit', { preset })),
    reset: async () => void (await control(url, 'POST', '/_sandbox/reset')),
    stats: async () => (await control(url, 'GET', '/_sandbox/stats')) as SandboxStats,
    async close() {
      await running.close();
      if (removeDirOnClose) removeTempDir(running.dataDir);
    },
    async restart() {
      await running.close();
      // Let clients in this process notice their pooled connections closed before the port is reused.
      await new Promise((resolveDelay) => setTimeout(resolveDelay, 50));
      const port = Number(new URL(url).port);
      const next = { ...options, apiKey: running.apiKey, dataDir: running.dataDir };
      const restarted = await startSandbox({ ...next, port }).catch(() => startSandbox({ ...next, port: 0 }));
      return wrap(restarted, next, removeDirOnClose);
    },
  };
  return sandbox;
}

export async function startTestSandbox(options: Partial<SandboxOptions> = {}): Promise<TestSandbox> {
  const removeDirOnClose = options.dataDir === undefined;
  // Removed on close(), or when the process ends if the sandbox is never closed (a restart keeps it meanwhile).
  const dataDir = options.dataDir ?? tempDir('sandbox');
  const full: SandboxOptions = { port: 0, testControls: true, ...options, dataDir };
  return wrap(await startSandbox(full), full, removeDirOnClose);
}

/** The sandbox of one test file: call it for the running sandbox; restart() swaps in a restarted one. */
export interface FileSandbox {
  (): TestSandbox;
  /** Restarts the sandbox (TestSandbox.restart); later calls return the restarted one, closed after the file. */
  restart(): Promise<TestSandbox>;
}

/**
 * One sandbox for the calling test file, started before its first test and closed after its last. Call it at
 * the file's top level; the function it returns gives the running sandbox inside tests and hooks.
 */
export function sandboxForFile(options: Partial<SandboxOptions> = {}): FileSandbox {
  let current: TestSandbox | undefined;
  beforeAll(async () => {
    current = await startTestSandbox(options);
  });
  afterAll(async () => {
    await current?.close();
  });
  const sandbox = (): TestSandbox => {
    if (!current) throw new Error('sandboxForFile: the sandbox starts in beforeAll; use it inside a test or a hook');
    return current;
  };
  sandbox.restart = async () => (current = await sandbox().restart());
  return sandbox;
}
