// Test helper: builds the CLI with the real build config (vite.cli.config.ts) into a fresh folder under out/ (so its
// dependencies resolve from node_modules, and test files running side by side never share one), and runs it as a
// real process: `node <dir>/convoy.js …`, as `npx convoy` does.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

export const repoRoot = new URL('../../../', import.meta.url).pathname;

export interface BuiltCli {
  dir: string;
  convoy: string;
  remove(): void;
}

export function buildCli(): BuiltCli {
  const dir = join(repoRoot, 'out', `test-cli-${process.pid}-${randomBytes(4).toString('hex')}`);
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
  const result = spawnSync(
    npx,
    ['vite', 'build', '--config', 'vite.cli.config.ts', '--outDir', dir, '--emptyOutDir', '--logLevel', 'error'],
    {
      cwd: repoRoot,
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) throw new Error(`the CLI build failed:\n${result.stdout}\n${result.stderr}`);
  return { dir, convoy: join(dir, 'convoy.js'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface StartedCli {
  child: ChildProcess;
  /** Resolves once `text` has appeared on stdout or stderr. */
  waitFor(text: string | RegExp): Promise<void>;
  done: Promise<CliRun>;
}

/** Starts `node convoy.js args…` with only the given environment on top of PATH/HOME (no CONVOY_* leaking in). */
export function startCli(cli: BuiltCli, args: string[], env: NodeJS.ProcessEnv = {}): StartedCli {
  const child = spawn(process.execPath, [cli.convoy, ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
  let stdout = '';
  let stderr = '';
  const waiters: { match: string | RegExp; resolve: () => void }[] = [];
  const check = () => {
    const all = stdout + stderr;
    for (const waiter of waiters.splice(0)) {
      const hit = typeof waiter.match === 'string' ? all.includes(waiter.match) : waiter.match.test(all);
      if (hit) waiter.resolve();
      else waiters.push(waiter);
    }
  };
  child.stdout!.on('data', (d: Buffer) => {
    stdout += d.toString();
    check();
  });
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    check();
  });
  const done = new Promise<CliRun>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return {
    child,
    done,
    waitFor: (match) =>
      new Promise<void>((resolve, reject) => {
        waiters.push({ match, resolve });
        check();
        void done.then((run) =>
          reject(
            new Error(`the CLI exited (${run.code}) before printing ${String(match)}:\n${run.stdout}\n${run.stderr}`),
          ),
        );
      }),
  };
}

/** Runs the CLI to its end. */
export function runCli(cli: BuiltCli, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return startCli(cli, args, env).done;
}
