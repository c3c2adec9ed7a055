// The journal: replay after a crash, a torn last line, compaction into a snapshot, one owner at a time.
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal } from '../../../main/uploads/journal';
import type { JobRecord } from '../../../main/uploads/records';

const dirs: string[] = [];
function dir(): string {
  const d = mkdtempSync(join(tmpdir(), 'convoy-journal-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function job(id: string, seq: number): JobRecord {
  return {
    id, seq, path: `/videos/${id}.mp4`, name: `${id}.mp4`, size: 100, mtimeMs: 1, profileId: 'p', title: id, description: '',
    tags: [], public: true, state: 'queued', createdAt: 1, acked: new Set(), restarts: 0,
  };
}

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
      restarts: 2, videoId: 'vi1', mode: 'container', chunkSize: 10, totalParts: 10, force: true, state: 'uploading', title: 'renamed',
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
    writeFileSync(join(d, 'journal.0.ndjson'), `${JSON.stringify({ t: 'set', id: 'a', patch: { state: 'failed' } })}\n`);
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
    j.close();
  });

  it('keeps the record of a queue small per acknowledged chunk', () => {
    const d = dir();
    const j = Journal.open({ dir: d });
    for (let i = 0; i < 2000; i += 1) j.add(job(`j${i}`, i));
    const log = () => join(d, readdirSync(d).find((n) => n.endsWith('.ndjson'))!);
    const before = statSync(log()).size;
    j.ack('j5', 1);
    expect(statSync(log()).size - before).toBeLessThan(60);
    expect(readFileSync(log(), 'utf8').endsWith('\n')).toBe(true);
    j.close();
  });
});
