// Test helper: temp folders in the OS temp dir that are removed when the process that made them ends, however it
// ends (a normal exit, or the SIGTERM with which vitest stops each test file's forked worker), so runs leave no trace.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The signals that end a test process: vitest's forks pool stops each test file's worker with SIGTERM (no 'exit'
 * event then), Ctrl-C sends SIGINT, a closed terminal SIGHUP.
 */
const SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

const registered = new Set<string>();
let hooked = false;

function removeAll(): void {
  for (const dir of registered) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
    } catch {
      // A folder a child process is still writing into: nothing more to do on the way out.
    }
  }
  registered.clear();
}

/**
 * Stands in for the signal's default action (the process ends, with no 'exit' event): removes the folders, then
 * raises the signal again without this listener. When another listener handles the signal, that one decides whether
 * the process ends, and the 'exit' listener removes the folders if it does.
 */
function onSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  removeAll();
  for (const s of SIGNALS) process.off(s, onSignal);
  process.kill(process.pid, signal);
}

function hook(): void {
  if (hooked) return;
  hooked = true;
  process.once('exit', removeAll);
  for (const s of SIGNALS) process.on(s, onSignal);
}

/**
 * Removes `path` (a folder or file) when this process ends. For folders made elsewhere, e.g. a data dir a test hands
 * to code that must not see it vanish before the process is done with it.
 */
export function removeAtExit(path: string): string {
  hook();
  registered.add(path);
  return path;
}

/** A fresh `convoy-<prefix>-…` folder in the OS temp dir, removed when this process ends (or by removeTempDir). */
export function tempDir(prefix: string): string {
  return removeAtExit(mkdtempSync(join(tmpdir(), `convoy-${prefix}-`)));
}

/** Removes a folder made by tempDir now, for a test that is done with it before the process ends. */
export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  registered.delete(dir);
}
