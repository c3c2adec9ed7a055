// Test helper: fresh temp folders for one test file, each removed after the test that made it (registers afterEach).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/** Call at the top of a test file; returns a function that makes a new `convoy-<prefix>-…` folder. */
export function scratchDirs(prefix: string): () => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const d = mkdtempSync(join(tmpdir(), `convoy-${prefix}-`));
    dirs.push(d);
    return d;
  };
}
