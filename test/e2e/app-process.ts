// Starts main in browser mode as a real child process (fresh data dir, local sandbox with test controls)
// and can kill and restart it on the same ports, so the open page reconnects by itself. Keeps main's last
// output lines and shows them, with how main ended, when it dies unbidden or the test fails.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from '@playwright/test';

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

/** How many of main's last output lines are kept, and how much of one line. */
const TAIL_LINES = 200;
const MAX_LINE = 2000;

/** The last TAIL_LINES lines main wrote, over every run of one AppProcess (restarts included). */
class OutputTail {
  private readonly lines: string[] = [];

  add(line: string): void {
    this.lines.push(line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)} [… ${line.length - MAX_LINE} more]` : line);
    if (this.lines.length > TAIL_LINES) this.lines.splice(0, this.lines.length - TAIL_LINES);
  }

  text(): string {
    return this.lines.length ? this.lines.join('\n') : '(main wrote nothing)';
  }
}

/** "exit code 1" or "signal SIGKILL": how a child process ended. */
function howItEnded(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

/**
 * Starts main and resolves once it printed its info line (that line, which carries the page's secret and the
 * sandbox's key, is not kept). Every later line of stdout and stderr goes to `output`; `onExit` hears how main
 * ended once it was ready (before that, the promise rejects with its output), and then `ended` settles.
 */
function launch(
  dataDir: string,
  env: NodeJS.ProcessEnv,
  output: OutputTail,
  onExit: (child: ChildProcess, code: number | null, signal: NodeJS.Signals | null) => void,
): Promise<{ child: ChildProcess; info: AppInfoLine; ended: Promise<void> }> {
  const child = spawn(process.execPath, [webEntry, '--json', '--no-open', '--data-dir', dataDir], {
    env: { ...process.env, CONVOY_SANDBOX_TEST_CONTROLS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  output.add(`--- main started (pid ${child.pid}) ---`);
  createInterface({ input: child.stderr! }).on('line', (line) => output.add(`stderr| ${line}`));
  const stdout = createInterface({ input: child.stdout! });
  let markEnded = () => {};
  const ended = new Promise<void>((r) => (markEnded = r));
  return new Promise((resolveInfo, reject) => {
    let ready = false;
    const timer = setTimeout(
      () => reject(new Error(`main did not start within 30 s. Its output:\n${output.text()}`)),
      30_000,
    );
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      // Lines still in the pipes when 'exit' fires arrive by 'close': report after them (or after half a second,
      // should something main started keep the pipes open).
      let reported = false;
      const report = () => {
        if (reported) return;
        reported = true;
        markEnded();
        if (ready) onExit(child, code, signal);
        else
          reject(
            new Error(`main ended (${howItEnded(code, signal)}) before it was ready. Its output:\n${output.text()}`),
          );
      };
      child.once('close', report);
      setTimeout(report, 500).unref();
    });
    stdout.on('line', (line) => {
      if (ready) {
        output.add(`stdout| ${line}`);
        return;
      }
      ready = true;
      clearTimeout(timer);
      resolveInfo({ child, info: JSON.parse(line) as AppInfoLine, ended });
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

/**
 * Attaches main's last output to the running test (when there is one) if main died unbidden or the test failed,
 * so a failure says why main was gone rather than only that its page lost the connection.
 */
async function attachIfFailed(output: OutputTail, died: string | null): Promise<void> {
  let info: ReturnType<typeof test.info>;
  try {
    info = test.info();
  } catch {
    return; // not called from within a test
  }
  if (!died && info.status === info.expectedStatus) return;
  const why = died ?? `main was still running when the test ended (${info.status})`;
  await info.attach('main-output', {
    body: `${why}.\nmain's last ${TAIL_LINES} lines:\n${output.text()}\n`,
    contentType: 'text/plain',
  });
}

export async function startApp(dataDir?: string): Promise<AppProcess> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'convoy-e2e-'));
  const output = new OutputTail();
  /** The runs of main this fixture killed itself: their ends were asked for. */
  const killed = new WeakSet<ChildProcess>();
  /** How main ended when nobody asked it to, once it has. */
  let died: string | null = null;
  const onExit = (ended: ChildProcess, code: number | null, signal: NodeJS.Signals | null) => {
    const how = howItEnded(code, signal);
    output.add(`--- main (pid ${ended.pid}) ended: ${how} ---`);
    if (killed.has(ended)) return;
    died = `main (pid ${ended.pid}) ended unexpectedly with ${how}`;
    process.stderr.write(`\n[e2e] ${died}. Its last output:\n${output.text()}\n[e2e] end of main's output\n`);
  };
  const killMain = (signal: NodeJS.Signals) => {
    killed.add(child);
    return kill(child, signal);
  };
  let { child, info, ended } = await launch(dir, {}, output, onExit);
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
      await killMain('SIGKILL');
      const env: Record<string, string> = { ...sticky };
      if (options?.newSessions) delete env.CONVOY_WEB_SECRET;
      if (options?.ownSandboxPort) delete env.CONVOY_SANDBOX_PORT;
      ({ child, info, ended } = await launch(dir, env, output, onExit));
    },
    async kill() {
      await killMain('SIGKILL');
    },
    async stop() {
      await killMain('SIGTERM');
      await ended; // its last lines read
      await attachIfFailed(output, died);
      if (!dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
