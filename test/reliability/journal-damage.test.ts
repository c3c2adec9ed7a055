// The journal survives damage: garbled or torn lines, a half-written, garbled or missing snapshot, lost files.
// It repairs from what is readable (the previous generation plus the lines whose checksums verify), never
// throws, and says what happened in `damage`, telling a first run from a journal whose data is gone.
import { existsSync, readdirSync, readFileSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal } from '../../main/uploads/journal';
import { toStored } from '../../main/uploads/records';
import { scratchDirs } from '../support/scratch-dirs';
import { crash, job, state } from './journal-support';

const dir = scratchDirs('journal-damage');

const logOf = (d: string, generation: number) => join(d, `journal.${generation}.ndjson`);
const settings = { concurrency: 3, bandwidthLimit: null, chunkSize: 'adaptive' as const, waitForPlayable: false };

/** Two compactions, changes in every generation: snapshot 2 is current, snapshot 1 the previous one. */
function threeGenerations(d: string): ReturnType<typeof state> {
  const j = Journal.open({ dir: d });
  j.add(job('a', 0));
  j.set('a', { state: 'uploading', videoId: 'vi-a', chunkSize: 10, totalParts: 9 });
  j.ack('a', 1);
  j.compact();
  j.add(job('b', 1));
  j.ack('a', 2);
  j.saveSettings(settings);
  j.compact();
  j.add(job('c', 2));
  j.ack('a', 3);
  j.set('b', { state: 'done', videoId: 'vi-b' });
  const expected = state(j);
  crash(d);
  return expected;
}

describe('journal damage', () => {
  it('skips a garbled line in the middle of the log and keeps every record after it', () => {
    const d = dir();
    const j = Journal.open({ dir: d });
    for (let i = 0; i < 5; i += 1) j.add(job(`j${i}`, i));
    j.ack('j4', 1);
    crash(d);
    const lines = readFileSync(logOf(d, 0), 'utf8').split('\n');
    lines[1] = lines[1]!.slice(0, 20) + '\u0000\u0000garbage' + lines[1]!.slice(30);
    writeFileSync(logOf(d, 0), lines.join('\n'));
    const again = Journal.open({ dir: d });
    expect([...again.jobs.keys()]).toEqual(['j0', 'j2', 'j3', 'j4']);
    expect([...again.jobs.get('j4')!.acked]).toEqual([1]);
    expect(again.damage).toMatchObject({ kind: 'repaired', lostRecords: 1 });
    expect(again.damage.detail).toMatch(/1 unreadable record/);
    again.close();
    // Told again until the engine says it acted on it; repaired for good: after that, nothing is wrong.
    const reported = Journal.open({ dir: d });
    expect(reported.damage).toEqual(again.damage);
    reported.acknowledgeDamage();
    expect(reported.damage.kind).toBe('none');
    reported.close();
    const third = Journal.open({ dir: d });
    expect(third.damage.kind).toBe('none');
    expect([...third.jobs.keys()]).toEqual(['j0', 'j2', 'j3', 'j4']);
    third.close();
  });

  it('rejects a line that still parses but fails its checksum (a flipped digit)', () => {
    const d = dir();
    const j = Journal.open({ dir: d });
    j.add(job('a', 0));
    j.ack('a', 3);
    j.ack('a', 4);
    crash(d);
    const text = readFileSync(logOf(d, 0), 'utf8');
    writeFileSync(logOf(d, 0), text.replace('"part":3', '"part":7'));
    const again = Journal.open({ dir: d });
    expect([...again.jobs.get('a')!.acked]).toEqual([4]);
    expect(again.damage).toMatchObject({ kind: 'repaired', lostRecords: 1 });
    again.close();
  });

  it('counts a torn last line as one lost record and appends after it on a fresh line', () => {
    const d = dir();
    const j = Journal.open({ dir: d });
    j.add(job('a', 0));
    crash(d);
    writeFileSync(logOf(d, 0), `${readFileSync(logOf(d, 0), 'utf8')}1234abcd {"t":"ack","id":"a","pa`);
    const again = Journal.open({ dir: d });
    expect(again.damage).toMatchObject({ kind: 'repaired', lostRecords: 1 });
    again.acknowledgeDamage();
    again.ack('a', 2);
    crash(d);
    const third = Journal.open({ dir: d });
    expect([...third.jobs.get('a')!.acked]).toEqual([2]);
    expect(third.damage.kind).toBe('none');
    third.close();
  });

  it('rebuilds from the previous generation when the newest snapshot is half-written: nothing lost', () => {
    const d = dir();
    const expected = threeGenerations(d);
    const path = join(d, 'journal.snapshot.json');
    truncateSync(path, Math.floor(readFileSync(path).length / 2));
    const again = Journal.open({ dir: d });
    expect(state(again)).toEqual(expected);
    expect(again.damage).toMatchObject({ kind: 'repaired', lostRecords: 0 });
    expect(again.damage.keptAside).toHaveLength(1);
    expect(readdirSync(d)).toContain(again.damage.keptAside[0]);
    expect(again.damage.detail).toMatch(/journal\.snapshot\.json was damaged .*Nothing was lost/);
    again.acknowledgeDamage();
    again.close();
    const third = Journal.open({ dir: d });
    expect(state(third)).toEqual(expected);
    expect(third.damage.kind).toBe('none');
    third.close();
  });

  it('rebuilds from the previous generation when the newest snapshot is garbled or missing', () => {
    for (const harm of ['garble', 'delete'] as const) {
      const d = dir();
      const expected = threeGenerations(d);
      const path = join(d, 'journal.snapshot.json');
      if (harm === 'garble') {
        const bytes = readFileSync(path);
        const at = bytes.length - 40;
        bytes[at] = bytes[at]! ^ 0x21;
        writeFileSync(path, bytes);
      } else {
        unlinkSync(path);
      }
      const again = Journal.open({ dir: d });
      expect(state(again), harm).toEqual(expected);
      expect(again.damage, harm).toMatchObject({ kind: 'repaired', lostRecords: 0 });
      again.close();
    }
  });

  it('says "lost" when neither snapshot can be read, and keeps what the logs still tell', () => {
    const d = dir();
    threeGenerations(d);
    writeFileSync(join(d, 'journal.snapshot.json'), '{"version":1,"gen');
    writeFileSync(join(d, 'journal.snapshot.previous.json'), '');
    const again = Journal.open({ dir: d });
    expect(again.damage.kind).toBe('lost');
    expect(again.damage.detail).toMatch(/Part of the queue is unknown/);
    expect(again.jobs.has('b')).toBe(true); // added in a log that is still there
    again.close();
  });

  it('says "lost" when the log written since the newest snapshot is gone', () => {
    const d = dir();
    threeGenerations(d);
    unlinkSync(logOf(d, 2));
    const again = Journal.open({ dir: d });
    expect(again.damage.kind).toBe('lost');
    expect(again.damage.detail).toMatch(/log of generation 2 is missing/);
    again.close();
  });

  it('keeps reporting damage after a crash until it is acknowledged, adding up later damage', () => {
    const d = dir();
    const j = Journal.open({ dir: d });
    j.add(job('a', 0));
    j.add(job('b', 1));
    crash(d);
    writeFileSync(logOf(d, 0), readFileSync(logOf(d, 0), 'utf8').replace('"id":"a"', '"id":"z"'));
    const first = Journal.open({ dir: d });
    expect(first.damage).toMatchObject({ kind: 'repaired', lostRecords: 1 });
    first.add(job('c', 2));
    crash(d); // dies before the engine could act on it
    writeFileSync(logOf(d, 1), `${readFileSync(logOf(d, 1), 'utf8')}torn`);
    const second = Journal.open({ dir: d });
    expect(second.damage).toMatchObject({ kind: 'repaired', lostRecords: 2 });
    expect(second.damage.detail).toMatch(/1 unreadable record.*Later: .*last line was torn/);
    expect([...second.jobs.keys()]).toEqual(['b', 'c']);
    second.acknowledgeDamage();
    second.close();
    const third = Journal.open({ dir: d });
    expect(third.damage.kind).toBe('none');
    third.close();
  });

  it('tells a first run from a journal whose data is gone', () => {
    const missing = join(dir(), 'not-yet');
    const first = Journal.open({ dir: missing });
    expect(first.damage.kind).toBe('none');
    expect(first.fresh).toBe(true);
    first.add(job('a', 0));
    first.close();
    expect(readFileSync(join(missing, 'journal.lock'), 'utf8')).toBe(''); // kept, emptied: the directory held a journal

    const second = Journal.open({ dir: missing });
    expect(second.fresh).toBe(false);
    expect(second.damage.kind).toBe('none');
    second.close();

    for (const name of readdirSync(missing)) if (name !== 'journal.lock') unlinkSync(join(missing, name));
    const third = Journal.open({ dir: missing });
    expect(third.fresh).toBe(false);
    expect(third.damage.kind).toBe('lost');
    expect(third.damage.detail).toMatch(/lock file of an earlier journal is there, but its snapshot and log are gone/);
    third.close();

    const empty = dir();
    const fourth = Journal.open({ dir: empty });
    expect(fourth).toMatchObject({ fresh: true, damage: { kind: 'none' } });
    fourth.close();
  });

  it('loads a crash at any step of a compaction as a whole journal with nothing lost', () => {
    const d = dir();
    const expected = threeGenerations(d);
    // Cut short after the temp snapshot and the new empty log, with the old log already renamed.
    writeFileSync(join(d, 'journal.snapshot.json.tmp'), 'half a snap');
    writeFileSync(logOf(d, 3), '');
    const again = Journal.open({ dir: d });
    expect(state(again)).toEqual(expected);
    expect(again.damage.kind).toBe('none');
    expect(readdirSync(d).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    again.close();
  });

  it('reads a journal written by the earlier format (no checksums) and rewrites it in the current one', () => {
    const d = dir();
    const a = { ...job('a', 0), state: 'uploading' as const, videoId: 'vi-a', chunkSize: 10, totalParts: 4 };
    // As earlier versions wrote them: an unframed snapshot, plain NDJSON lines, a stale log of an older generation.
    writeFileSync(
      join(d, 'journal.snapshot.json'),
      JSON.stringify({ version: 1, generation: 3, jobs: [toStored(a)], settings }),
    );
    writeFileSync(
      logOf(d, 3),
      `${JSON.stringify({ t: 'ack', id: 'a', part: 1 })}\n${JSON.stringify({ t: 'add', job: toStored(job('b', 1)) })}\n`,
    );
    writeFileSync(logOf(d, 2), `${JSON.stringify({ t: 'remove', id: 'a' })}\n`);
    writeFileSync(join(d, 'journal.lock'), '999999999');
    const j = Journal.open({ dir: d });
    expect(j.damage.kind).toBe('none');
    expect(j.fresh).toBe(false);
    expect([...j.jobs.keys()]).toEqual(['a', 'b']);
    expect([...j.jobs.get('a')!.acked]).toEqual([1]);
    expect(j.settings).toEqual(settings);
    const expected = state(j);
    j.close();
    expect(readFileSync(join(d, 'journal.snapshot.json'), 'utf8')).toMatch(/^\{"format":"convoy-journal-snapshot"/);
    expect(existsSync(logOf(d, 2))).toBe(false);
    const again = Journal.open({ dir: d });
    expect(state(again)).toEqual(expected);
    expect(again.damage.kind).toBe('none');
    again.close();
  });
});
