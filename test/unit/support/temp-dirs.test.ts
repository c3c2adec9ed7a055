// The tests' temp folders go when the process that made them ends: on a normal exit, and on the SIGTERM with which
// vitest stops each test file's worker (no 'exit' event then); a process that handles the signal itself keeps them.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';

const helper = new URL('../../support/temp-dirs.ts', import.meta.url).href;

/** The children and their folders, ended and removed here too so that a failing test leaves nothing behind. */
const children: ChildProcess[] = [];
const made: string[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Ending {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface Child {
  process: ChildProcess;
  /** the folder the child made (its first line) */
  dir: Promise<string>;
  /** the next line the child prints */
  line(): Promise<string>;
  ended: Promise<Ending>;
}

/** Starts a Node process that makes a temp folder with tempDir and prints its path, then runs `then`. */
function child(then: string): Child {
  const script = `import { tempDir } from ${JSON.stringify(helper)};\nconsole.log(tempDir('temp-dirs-test'));\n${then}`;
  const started = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(started);
  const lines = createInterface({ input: started.stdout! })[Symbol.asyncIterator]();
  const line = async () => {
    const next = await lines.next();
    if (next.done) throw new Error('the child ended before it printed the line awaited');
    return next.value;
  };
  const ended = new Promise<Ending>((resolve) => started.once('exit', (code, signal) => resolve({ code, signal })));
  const dir = line().then((path) => {
    made.push(path);
    return path;
  });
  return { process: started, dir, line, ended };
}

describe('tempDir', () => {
  it('removes the folder when the process exits normally', async () => {
    const run = child('');
    const dir = await run.dir;
    expect(await run.ended).toEqual({ code: 0, signal: null });
    expect(existsSync(dir)).toBe(false);
  });

  it('removes the folder when SIGTERM ends the process, which still ends by that signal', async () => {
    const run = child('setInterval(() => {}, 1000);');
    const dir = await run.dir;
    expect(existsSync(dir)).toBe(true);
    run.process.kill('SIGTERM');
    expect(await run.ended).toEqual({ code: null, signal: 'SIGTERM' });
    expect(existsSync(dir)).toBe(false);
  });

  it('leaves the folder to a process that handles SIGTERM itself until it exits', async () => {
    const run = child(
      "const t = setInterval(() => {}, 1000);\nprocess.on('SIGTERM', () => { console.log('still here'); clearInterval(t); setTimeout(() => {}, 300); });",
    );
    const dir = await run.dir;
    run.process.kill('SIGTERM');
    expect(await run.line()).toBe('still here');
    expect(existsSync(dir)).toBe(true);
    expect(await run.ended).toEqual({ code: 0, signal: null });
    expect(existsSync(dir)).toBe(false);
  });
});
