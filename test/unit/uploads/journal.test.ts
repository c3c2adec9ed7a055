// The journal: replay after a crash, a torn last line, compaction into a snapshot, one owner at a time; the format
// (a checksum per line and per snapshot, the previous generation kept) and the plain words of a write failure.
import { appendFileSync, closeSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeFailure, Journal, JournalBusyError, type JournalWriteError } from '../../../main/uploads/journal';
import { job } from '../../support/journal-job';
import { scratchDirs } from '../../support/scratch-dirs';

const dir = scratchDirs('journal');

/** Simulates a crash: the process dies without close() (the lock file stays behind, owned by a dead pid). */
function crash(d: string): void {
  writeFileSync(join(d, 'journal.lock'), '999999999');
}

describe('journal', () => {
  it('replays adds, field changes, acks and removals after a crash', () => {
    const d = dir();
    const j = Journal.open({ dir: d });
    j.add(job('a', 0));
    j.add(job('b', 1));
    j.set('a', { state: 'uploading', videoId: 'vi1', chunkSize: 10, totalParts: 10 });
    j.ack('a', 1);
    j.ack('a', 3);
    j.set('a', {}, ['videoId']);
    j.remove('b');
    crash(d);
    const again = Journal.open({ dir: d });
    expect([...again.jobs.keys()]).toEqual(['a']);
    const a = again.jobs.get('a')!;
    expect(a.state).toBe('uploading');
    expect(a.videoId).toBeUndefined();
    expect([...a.acked].sort()).toEqual([1, 3]);
    again.close();
  });

  it('replays a field change without touching fields the change did not name (restarts survives)', () => {
    const d = dir();
    const j = Journal.open({ dir: d });
    j.add(job('a', 0));
    j.set('a', { restarts: 2, videoId: 'vi1', mode: 'container', chunkSize: 10, totalParts: 10, force: true });
    j.set('a', { state: 'uploading' });
    j.set('a', { title: 'renamed' });
    crash(d);
    const again = Journal.open({ dir: d });
    expect(again.jobs.get('a')).toMatchObject({
      restarts: 2,
      videoId: 'vi1',
      mode: 'container',
      chunkSize: 10,
      totalParts: 10,
      force: true,
      state: 'uploading',
      title: 'renamed',
    });
    again.close();
  });

  it('ignores a torn last line and keeps appending on a fresh line', () => {
    const d = dir();
    const j = Journal.open({ dir: d });
    j.add(job('a', 0));
    j.ack('a', 1);
    crash(d);
    const log = readdirSync(d).find((n) => n.endsWith('.ndjson'))!;
    appendFileSync(join(d, log), '{"t":"ack","id":"a","pa');
    const again = Journal.open({ dir: d });
    expect([...again.jobs.get('a')!.acked]).toEqual([1]);
    again.ack('a', 2);
    crash(d);
    const third = Journal.open({ dir: d });
    expect([...third.jobs.get('a')!.acked].sort()).toEqual([1, 2]);
    third.close();
  });

  it('compacts a long log into a snapshot, and the state survives', () => {
    const d = dir();
    const j = Journal.open({ dir: d });
    j.add(job('a', 0));
    for (let part = 1; part <= 5000; part += 1) j.ack('a', part);
    const log = readdirSync(d).find((n) => n.endsWith('.ndjson'))!;
    expect(statSync(join(d, log)).size).toBeLessThan(200_000);
    expect(readdirSync(d)).toContain('journal.snapshot.json');
    crash(d);
    const again = Journal.open({ dir: d });
    expect(again.jobs.get('a')!.acked.size).toBe(5000);
    again.close();
  });

  it('ignores a stale log of an older generation left by a crash during compaction', () => {
    const d = dir();
    const j = Journal.open({ dir: d });
    j.add(job('a', 0));
    j.set('a', { state: 'done' });
    j.compact();
    // A crash right after the snapshot rename leaves the previous log behind, with older records.
    writeFileSync(
      join(d, 'journal.0.ndjson'),
      `${JSON.stringify({ t: 'set', id: 'a', patch: { state: 'failed' } })}\n`,
    );
    crash(d);
    const again = Journal.open({ dir: d });
    expect(again.jobs.get('a')!.state).toBe('done');
    expect(readdirSync(d)).not.toContain('journal.0.ndjson');
    again.close();
  });

  it('refuses a second live owner of the same directory', () => {
    const d = dir();
    const j = Journal.open({ dir: d });
    writeFileSync(join(d, 'journal.lock'), String(process.ppid));
    expect(() => Journal.open({ dir: d })).toThrow(/in use by another Convoy process/);
    expect(() => Journal.open({ dir: d })).toThrow(JournalBusyError);
    j.close();
  });

  it('keeps the record of a queue small per acknowledged chunk', () => {
    const d = dir();
    const j = Journal.open({ dir: d });
    for (let i = 0; i < 2000; i += 1) j.add(job(`j${i}`, i));
    const log = () =>
      join(
        d,
        readdirSync(d).find((n) => n.endsWith('.ndjson'))!,
      );
    const before = statSync(log()).size;
    j.ack('j5', 1);
    expect(statSync(log()).size - before).toBeLessThan(60);
    expect(readFileSync(log(), 'utf8').endsWith('\n')).toBe(true);
    j.close();
  });

  it('writes each record as one line with the CRC-32 of its JSON', () => {
    const d = dir();
    const j = Journal.open({ dir: d });
    j.add(job('a', 0));
    j.ack('a', 1);
    j.close();
    const lines = readFileSync(join(d, 'journal.0.ndjson'), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      const [, sum, json] = /^([0-9a-f]{8}) (\{.*\})$/.exec(line)!;
      expect(sum).toBe(crc32(json!).toString(16).padStart(8, '0'));
    }
    expect(JSON.parse(lines[1]!.slice(9))).toEqual({ t: 'ack', id: 'a', part: 1 });
  });

  it('keeps the previous generation (snapshot and the log after it) beside the current one', () => {
    const d = dir();
    const j = Journal.open({ dir: d });
    j.add(job('a', 0));
    j.compact();
    j.ack('a', 1);
    j.compact();
    j.ack('a', 2);
    j.compact();
    j.close();
    expect(readdirSync(d).sort()).toEqual([
      'journal.2.previous.ndjson',
      'journal.3.ndjson',
      'journal.lock',
      'journal.snapshot.json',
      'journal.snapshot.previous.json',
    ]);
    const [header, payload] = readFileSync(join(d, 'journal.snapshot.json'), 'utf8').split('\n');
    expect(JSON.parse(header!)).toEqual({
      format: 'convoy-journal-snapshot',
      generation: 3,
      bytes: Buffer.byteLength(payload!),
      crc32: crc32(payload!).toString(16).padStart(8, '0'),
    });
    expect(JSON.parse(payload!)).toMatchObject({ generation: 3 });
    expect(JSON.parse(readFileSync(join(d, 'journal.snapshot.previous.json'), 'utf8').split('\n')[1]!)).toMatchObject({
      generation: 2,
    });
  });

  it('flushes on the thread pool; a log compacted meanwhile is closed only once its flush returned', async () => {
    const d = dir();
    const j = Journal.open({ dir: d });
    j.add(job('a', 0));
    j.ack('a', 1);
    expect(await j.flush()).toBe(true);
    // A flush is out on the current log when a compaction replaces it: the old descriptor stays open (its number is
    // not given to another file while the thread pool may still fsync it) until the flush returns, then is closed.
    const internals = j as unknown as { fd: number };
    const old = internals.fd;
    const oldLog = readlinkSync(`/proc/self/fd/${old}`);
    const flushed = j.flush();
    for (let part = 2; part <= 5000; part += 1) j.ack('a', part);
    expect(internals.fd).not.toBe(old); // compacted
    expect(readlinkSync(`/proc/self/fd/${old}`)).toMatch(/journal\.\d+\.(previous\.)?ndjson/);
    expect(await flushed).toBe(true);
    const now = (() => {
      try {
        return readlinkSync(`/proc/self/fd/${old}`);
      } catch {
        return 'closed';
      }
    })();
    expect(now === 'closed' || !now.startsWith(d), `${oldLog} still open as ${now}`).toBe(true);
    expect(j.close()).toBe(true);
    expect(await j.flush()).toBe(true); // after close: nothing pending
    expect(Journal.open({ dir: d }).jobs.get('a')!.acked.size).toBe(5000);
  });

  it('a flush that fails puts the journal in its error state, as a failed sync does', async () => {
    const d = dir();
    const errors: JournalWriteError[] = [];
    const j = Journal.open({ dir: d, retryDelayMs: 0 });
    j.onWriteError((error) => errors.push(error));
    j.add(job('a', 0));
    const internals = j as unknown as { fd: number };
    const real = internals.fd;
    internals.fd = 1_000_000; // a descriptor that names nothing: fsync fails with EBADF
    expect(await j.flush()).toBe(false);
    expect(errors.map((error) => error.operation)).toEqual(['sync']);
    expect(await j.flush()).toBe(false); // still failing until writing works again
    internals.fd = real;
    closeSync(real);
    j.close();
  });

  it('names the state directory and the cause of a write failure in one plain sentence', () => {
    expect(describeFailure('/s', 'ENOSPC', 'append')).toBe('The state directory /s is full (no space left on device).');
    expect(describeFailure('/s', 'EDQUOT', 'append')).toBe(
      'The state directory /s is full for this user (disk quota exceeded).',
    );
    expect(describeFailure('/s', 'EROFS', 'open')).toBe('The state directory /s is on a read-only file system.');
    expect(describeFailure('/s', 'EACCES', 'open')).toBe('The state directory /s is not writable (permission denied).');
    expect(describeFailure('/s', 'EACCES', 'read')).toBe('The state directory /s cannot be read (permission denied).');
    expect(describeFailure('/s', 'EIO', 'sync')).toMatch(
      /^The state directory \/s could not be written \(input\/output error/,
    );
  });
});
