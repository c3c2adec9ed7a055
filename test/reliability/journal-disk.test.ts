// A full, read-only or unwritable state directory, on a real small filesystem: the journal never crashes,
// never tears a line, says why in one plain sentence, keeps changes in memory and writes them once it can;
// compaction on a nearly full disk either works or leaves the old snapshot and log as they were.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal, JournalWriteError } from '../../main/uploads/journal';
import {
  expectSameAfterCrash,
  fillUp,
  job,
  mountTmpfs,
  remount,
  state,
  tmpfsUnavailable,
  unmount,
} from './journal-support';

const mounts: string[] = [];
const open: Journal[] = [];
function tmpfs(size: string): string {
  const d = mountTmpfs(size);
  mounts.push(d);
  return d;
}
function journal(dir: string, retryDelayMs = 0): Journal {
  const j = Journal.open({ dir, retryDelayMs });
  open.push(j);
  return j;
}
afterEach(() => {
  for (const j of open.splice(0)) j.close();
  for (const d of mounts.splice(0)) unmount(d);
});

/** Every line of the log is a whole record: the file ends on a newline and each line verifies. */
function wholeLines(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  expect(text === '' || text.endsWith('\n'), `${path} ends on a whole record`).toBe(true);
  return text.split('\n').filter(Boolean);
}

const bigTitle = (n: number) => 'x'.repeat(n);

describe.skipIf(tmpfsUnavailable !== null)(
  `on a real small filesystem${tmpfsUnavailable ? ` (skipped: ${tmpfsUnavailable})` : ''}`,
  () => {
    it('a full disk never tears the last line: a typed error, changes kept in memory, written once there is room', () => {
      const d = tmpfs('256k');
      const j = journal(d);
      const errors: JournalWriteError[] = [];
      let writableAgain = 0;
      j.onWriteError((error) => errors.push(error));
      j.onWritable(() => (writableAgain += 1));
      j.add(job('a', 0));
      j.ack('a', 1);
      const log = join(d, 'journal.0.ndjson');
      const before = readFileSync(log);
      const filler = fillUp(d);

      // Bigger than the room left in the log's last page: the kernel takes part of it, then says ENOSPC.
      expect(() => j.add(job('b', 1, bigTitle(20_000)))).not.toThrow();
      expect(j.writable).toBe(false);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(JournalWriteError);
      expect(errors[0]).toMatchObject({
        code: 'ENOSPC',
        dir: d,
        message: `The state directory ${d} is full (no space left on device).`,
      });
      expect(j.writeError).toBe(errors[0]);
      expect(readFileSync(log)).toEqual(before);
      expect(wholeLines(log)).toHaveLength(2);

      // More changes while full: no throw, no second alarm, all kept.
      j.ack('a', 2);
      j.set('b', { state: 'uploading' });
      expect(j.sync()).toBe(false);
      expect(j.pendingRecords).toBe(3);
      expect(errors).toHaveLength(1);
      expect(j.retryWrites()).toBe(false);
      expect(readFileSync(log)).toEqual(before);

      unlinkSync(filler);
      expect(j.retryWrites()).toBe(true);
      expect(j.writable).toBe(true);
      expect(j.pendingRecords).toBe(0);
      expect(writableAgain).toBe(1);
      expectSameAfterCrash(j, d);
    });

    it('tries again by itself once the disk has room', async () => {
      const d = tmpfs('256k');
      const j = journal(d, 20);
      j.add(job('a', 0));
      const filler = fillUp(d);
      j.add(job('b', 1, bigTitle(20_000)));
      expect(j.writable).toBe(false);
      const recovered = new Promise<void>((resolve) => j.onWritable(resolve));
      unlinkSync(filler);
      await recovered;
      expect(j.pendingRecords).toBe(0);
      expect(wholeLines(join(d, 'journal.0.ndjson'))).toHaveLength(2);
    });

    it('a compaction that cannot fit fails cleanly: the old snapshot and log stay as they were, and load', () => {
      const d = tmpfs('1m');
      const j = journal(d);
      for (let i = 0; i < 5; i += 1) j.add(job(`s${i}`, i));
      expect(j.compact()).toBe(true);
      // The new snapshot will be far bigger than the room left, even with the previous generation given up.
      for (let i = 5; i < 105; i += 1) j.add(job(`j${i}`, i, bigTitle(1500)));
      const snapshot = readFileSync(join(d, 'journal.snapshot.json'));
      const log = readFileSync(join(d, 'journal.1.ndjson'));
      const filler = fillUp(d);
      truncateSync(filler, readFileSync(filler).length - 40_000);

      expect(j.compact()).toBe(false);
      expect(readFileSync(join(d, 'journal.snapshot.json'))).toEqual(snapshot);
      expect(readFileSync(join(d, 'journal.1.ndjson'))).toEqual(log);
      expect(readdirSync(d).filter((n) => n.endsWith('.tmp') || n === 'journal.2.ndjson')).toEqual([]);
      // Appending still works (the failed snapshot's room was given back).
      j.ack('j7', 1);
      expect(j.writable).toBe(true);
      expectSameAfterCrash(j, d);
    });

    it('compaction keeps working on a nearly full disk by giving up the previous generation', () => {
      const d = tmpfs('1m');
      const j = journal(d);
      for (let i = 0; i < 100; i += 1) j.add(job(`j${i}`, i, bigTitle(1500)));
      expect(j.compact()).toBe(true);
      expect(j.compact()).toBe(true); // snapshot 2 current, snapshot 1 previous: ~150 KB each
      j.ack('j1', 1);
      const filler = fillUp(d);
      truncateSync(filler, readFileSync(filler).length - 60_000);
      expect(j.compact()).toBe(true);
      expect(readdirSync(d).sort()).toEqual([
        'filler',
        'journal.2.previous.ndjson',
        'journal.3.ndjson',
        'journal.lock',
        'journal.snapshot.json',
        'journal.snapshot.previous.json',
      ]);
      expectSameAfterCrash(j, d);
    });

    it('a read-only state directory gives a typed error in plain words, and the journal is intact after', () => {
      const d = tmpfs('256k');
      const j = Journal.open({ dir: d });
      j.add(job('a', 0));
      j.ack('a', 1);
      const expected = state(j);
      j.close();
      remount(d, 'ro');
      let thrown: unknown;
      try {
        Journal.open({ dir: d });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(JournalWriteError);
      expect(thrown).toMatchObject({
        code: 'EROFS',
        message: `The state directory ${d} is on a read-only file system.`,
      });
      // A state directory not made yet, on the read-only disk.
      expect(() => Journal.open({ dir: join(d, 'sub') })).toThrow(
        `The state directory ${join(d, 'sub')} is on a read-only file system.`,
      );
      remount(d, 'rw');
      const again = Journal.open({ dir: d });
      expect(state(again)).toEqual(expected);
      expect(again.damage.kind).toBe('none');
      again.close();
    });
  },
);

describe.skipIf(process.getuid?.() !== 0)(
  `a state directory this user may not write${process.getuid?.() === 0 ? '' : ' (skipped: needs root to run the check as another user)'}`,
  () => {
    it('gives a typed error naming the directory, not a raw EACCES on journal.lock', () => {
      const d = mkdtempSync(join(tmpdir(), 'convoy-journal-eacces-'));
      try {
        chmodSync(d, 0o755);
        const child = spawnSync(
          process.execPath,
          ['--import', 'tsx', join(import.meta.dirname, 'journal-open-child.ts'), d],
          {
            uid: 65534,
            gid: 65534,
            cwd: join(import.meta.dirname, '../..'),
            encoding: 'utf8',
            env: { ...process.env, HOME: tmpdir() },
          },
        );
        expect(child.stderr).toBe('');
        expect(JSON.parse(child.stdout)).toEqual({
          name: 'JournalWriteError',
          code: 'EACCES',
          message: `The state directory ${d} is not writable (permission denied).`,
        });
      } finally {
        rmSync(d, { recursive: true, force: true });
      }
    });
  },
);
