// Starts main in browser mode as a real child process (fresh data dir, local sandbox with test controls)
// and can kill and restart it on the same ports, so the open page reconnects by itself.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export interface AppInfoLine {
  url: string;
  sandboxUrl: string;
  sandboxApiKey: string;
  dataDir: string;
}

export interface RestartOptions {
  /** A real restart: the new server does not know the old tabs' sessions. */
  newSessions?: boolean;
  /** Let main choose the sandbox's port itself (its stored one) instead of passing the first run's. */
  ownSandboxPort?: boolean;
}

export interface AppProcess {
  info: AppInfoLine;
  /**
   * Hard-kills main (as a crash would) and starts it again on the same data dir and ports. Open tabs keep their
   * session unless `newSessions` (a real restart: the new server does not know the old tabs).
   */
  restart(options?: RestartOptions): Promise<void>;
  /** Hard-kills main and leaves it stopped. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

const webEntry = resolve('out/main/web.js');

function launch(dataDir: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; info: AppInfoLine }> {
  const child = spawn(process.execPath, [webEntry, '--json', '--no-open', '--data-dir', dataDir], {
    env: { ...process.env, CONVOY_SANDBOX_TEST_CONTROLS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolveInfo, reject) => {
    const timer = setTimeout(() => reject(new Error(`main did not start within 30 s. stderr:\n${stderr}`)), 30_000);
    child.once('exit', (code) => reject(new Error(`main exited with ${code} before it was ready. stderr:\n${stderr}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolveInfo({ child, info: JSON.parse(line) as AppInfoLine });
    });
  });
}

async function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((r) => {
    child.once('exit', () => r());
    child.kill(signal);
  });
}

export async function startApp(dataDir?: string): Promise<AppProcess> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'convoy-e2e-'));
  let { child, info } = await launch(dir, {});
  const url = new URL(info.url);
  const secret = /k=([^&]+)/.exec(url.hash)?.[1] ?? '';
  const sticky = {
    CONVOY_WEB_PORT: url.port,
    CONVOY_WEB_SECRET: secret,
    CONVOY_SANDBOX_PORT: new URL(info.sandboxUrl).port,
  };
  return {
    get info() {
      return info;
    },
    async restart(options) {
      await kill(child, 'SIGKILL');
      const env: Record<string, string> = { ...sticky };
      if (options?.newSessions) delete env.CONVOY_WEB_SECRET;
      if (options?.ownSandboxPort) delete env.CONVOY_SANDBOX_PORT;
      ({ child, info } = await launch(dir, env));
    },
    async kill() {
      await kill(child, 'SIGKILL');
    },
    async stop() {
      await kill(child, 'SIGTERM');
      if (!dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
