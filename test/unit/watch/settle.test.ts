// The settle rule on real files with a hand-moved clock: a file is handed on only once its size and modification time
// have stayed the same for the settle time and it opens for reading; a change starts the wait over; once only.
import { appendFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SettleTracker } from '../../../main/watch/settle';
import { scratchDirs } from '../../support/scratch-dirs';

const dir = scratchDirs('settle');

function tracker(readable: (path: string) => Promise<boolean> = async () => true) {
  let now = 0;
  const settled: string[] = [];
  const t = new SettleTracker({
    settleMs: 2000,
    tickMs: 60_000, // ticks are driven by the test
    now: () => now,
    readable,
    onSettled: (files) => settled.push(...files.map((f) => f.path)),
  });
  return {
    t,
    settled,
    at: async (ms: number) => {
      now = ms;
      await t.tick();
    },
  };
}

describe('SettleTracker', () => {
  it('hands a still file on after the settle time, once', async () => {
    const path = join(dir(), 'a.mp4');
    writeFileSync(path, 'x'.repeat(10));
    const { t, settled, at } = tracker();
    t.touch(path);
    await at(0);
    await at(1999);
    expect(settled).toEqual([]);
    expect(t.size).toBe(1);
    await at(2000);
    expect(settled).toEqual([path]);
    await at(5000);
    expect(settled).toEqual([path]);
    expect(t.size).toBe(0);
    t.close();
  });

  it('starts the wait over when the size or the modification time moves', async () => {
    const path = join(dir(), 'b.mp4');
    writeFileSync(path, 'x');
    const { t, settled, at } = tracker();
    t.touch(path);
    await at(0);
    appendFileSync(path, 'more');
    await at(1500); // grew: waits from here
    await at(3000);
    expect(settled).toEqual([]);
    utimesSync(path, new Date(), new Date(Date.now() + 60_000)); // same size, touched
    await at(3400);
    await at(5000);
    expect(settled).toEqual([]);
    await at(5400);
    expect(settled).toEqual([path]);
    t.close();
  });

  it('waits while the file cannot be opened for reading, and forgets one that is gone', async () => {
    const folder = dir();
    const held = join(folder, 'held.mp4');
    const gone = join(folder, 'gone.mp4');
    writeFileSync(held, 'x');
    writeFileSync(gone, 'x');
    let locked = true;
    const { t, settled, at } = tracker(async (path) => !(path === held && locked));
    t.touch(held);
    t.touch(gone);
    await at(0);
    rmSync(gone);
    await at(3000);
    expect(settled).toEqual([]);
    expect(t.has(gone)).toBe(false);
    locked = false;
    await at(3100);
    expect(settled).toEqual([held]);
    t.close();
  });
});
