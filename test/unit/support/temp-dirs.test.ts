// The tests' temp folders go when the process that made them ends: on a normal exit, and on the SIGTERM with which
// vitest stops each test file's worker (no 'exit' event then); a process that handles the signal itself keeps them.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

const helper = new URL('../../support/temp-dirs.ts', import.meta.url).href;

interface Ending {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface Child {
  process: ChildProcess;
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
  const lines = createInterface({ input: started.stdout! })[Symbol.asyncIterator]();
  const line = async () => {
    const next = await lines.next();
    if (next.done) throw new Error('the child ended before it printed the line awaited');
    return next.value;
  };
  const ended = new Promise<Ending>((resolve) => started.once('exit', (code, signal) => resolve({ code, signal })));
  return { process: started, line, ended };
}

describe('tempDir', () => {
  it('removes the folder when the process exits normally', async () => {
    const run = child('');
    const dir = await run.line();
    expect(await run.ended).toEqual({ code: 0, signal: null });
    expect(existsSync(dir)).toBe(false);
  });

  it('removes the folder when SIGTERM ends the process, which still ends by that signal', async () => {
    const run = child('setInterval(() => {}, 1000);');
    const dir = await run.line();
    expect(existsSync(dir)).toBe(true);
    run.process.kill('SIGTERM');
    expect(await run.ended).toEqual({ code: null, signal: 'SIGTERM' });
    expect(existsSync(dir)).toBe(false);
  });

  it('leaves the folder to a process that handles SIGTERM itself until it exits', async () => {
    const run = child(
      "const t = setInterval(() => {}, 1000);\nprocess.on('SIGTERM', () => { console.log('still here'); clearInterval(t); setTimeout(() => {}, 300); });",
    );
    const dir = await run.line();
    run.process.kill('SIGTERM');
    expect(await run.line()).toBe('still here');
    expect(existsSync(dir)).toBe(true);
    expect(await run.ended).toEqual({ code: 0, signal: null });
    expect(existsSync(dir)).toBe(false);
  });
});
