// Test helper: fresh temp folders for one test file, each removed after the test that made it (registers afterEach).
import { afterEach } from 'vitest';
import { removeTempDir, tempDir } from './temp-dirs';

/** Call at the top of a test file; returns a function that makes a new `convoy-<prefix>-…` folder. */
export function scratchDirs(prefix: string): () => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) removeTempDir(d);
  });
  return () => {
    const d = tempDir(prefix);
    dirs.push(d);
    return d;
  };
}
