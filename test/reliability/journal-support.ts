// Shared by the journal's reliability tests: jobs to store, a crash, the state compared, and a real small
// filesystem (tmpfs, mounted as root) to fill up or make read-only.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { Journal } from '../../main/uploads/journal';
import { toStored, type StoredJob } from '../../main/uploads/records';

export { job } from '../support/journal-job';

/** The process dies without close(): the lock file stays behind, owned by a dead pid. */
export function crash(dir: string): void {
  writeFileSync(join(dir, 'journal.lock'), '999999999');
}

/** Everything the journal holds, comparable with toEqual. */
export function state(journal: Journal): { jobs: StoredJob[]; settings: Journal['settings'] } {
  return { jobs: [...journal.jobs.values()].map(toStored).sort((a, b) => a.seq - b.seq), settings: journal.settings };
}

/** A crash now: the journal reopens undamaged, holding exactly what `journal` held. */
export function expectSameAfterCrash(journal: Journal, dir: string): void {
  const expected = state(journal);
  crash(dir);
  const again = Journal.open({ dir });
  expect(again.damage.kind).toBe('none');
  expect(state(again)).toEqual(expected);
  again.close();
}

/** Why a real small filesystem cannot be used here, or null when it can. */
export const tmpfsUnavailable: string | null = (() => {
  if (process.platform !== 'linux') return 'needs Linux (tmpfs)';
  if (process.getuid?.() !== 0) return 'needs root to mount a small tmpfs (CI runs as root)';
  const probe = mkdtempSync(join(tmpdir(), 'convoy-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'pipe' });
    execFileSync('umount', [probe], { stdio: 'pipe' });
    return null;
  } catch (error) {
    return `mounting a tmpfs failed (${String((error as { stderr?: Buffer }).stderr ?? error).trim()})`;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
})();

/** Mounts tmpfs of `size` (e.g. '256k') on a fresh directory; unmount() in afterEach. */
export function mountTmpfs(size: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'convoy-tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
  return dir;
}

export function remount(dir: string, mode: 'ro' | 'rw'): void {
  execFileSync('mount', ['-o', `remount,${mode}`, dir], { stdio: 'pipe' });
}

export function unmount(dir: string): void {
  try {
    execFileSync('umount', [dir], { stdio: 'pipe' });
  } catch {
    execFileSync('umount', ['-l', dir], { stdio: 'pipe' }); // still busy: detach now, freed when the last file closes
  }
  rmSync(dir, { recursive: true, force: true });
}

/** Writes a filler file until the filesystem is full; returns its path. */
export function fillUp(dir: string): string {
  const path = join(dir, 'filler');
  const block = Buffer.alloc(4096, 7);
  let size = 0;
  for (;;) {
    try {
      writeFileSync(path, block, { flag: 'a' });
      size += block.length;
    } catch {
      return path;
    }
    if (size > 64 * 1024 * 1024) throw new Error('the filesystem never filled up');
  }
}
