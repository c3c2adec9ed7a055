// What the tray and the quit question know of the work, from the real engine against the local sandbox and the real
// watch service on a real folder: overall totals as files upload, pause all and resume all, and active watches.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { residentWork, summarize } from '../../../main/shell/resident-work';
import { openWatches, type WatchService } from '../../../main/watch/index';
import { harness, tempDir, waitFor, type Harness } from '../uploads/helpers';
import { makeClip } from '../watch/clips';

let h: Harness | undefined;
let watches: WatchService | undefined;

afterEach(async () => {
  await watches?.close();
  await h?.cleanup();
  watches = undefined;
  h = undefined;
});

describe('the resident app’s view of the work', () => {
  it('follows the engine’s totals, and pauses and resumes every upload', async () => {
    h = await harness();
    watches = await openWatches({ stateDir: tempDir('watch-state'), engine: h.engine, log: () => {} });
    const work = residentWork(h.engine, watches);
    let changes = 0;
    work.onChange(() => (changes += 1));
    expect(summarize(work.totals(), work.activeWatches())).toMatchObject({ active: 0, files: 0, fraction: null });

    const paths = [1, 2, 3].map((seed) => {
      const path = join(h!.dir, `take-${seed}.mp4`);
      writeFileSync(path, makeClip(2, seed));
      return path;
    });
    await h.engine.add({ profileId: 'p1', paths });
    expect(work.pauseAll()).toBe(3);
    await waitFor(() => work.totals().byState.paused === 3, 10_000, 'three paused in the totals');
    expect(summarize(work.totals(), 0)).toMatchObject({ active: 0, paused: 3, files: 3 });
    expect(changes).toBeGreaterThan(0);

    expect(work.resumeAll()).toBe(3);
    await h.engine.idle();
    await waitFor(() => work.totals().byState.done === 3, 10_000, 'three done in the totals');
    expect(summarize(work.totals(), 0)).toMatchObject({ active: 0, paused: 0, done: 3, fraction: null });
  });

  it('counts the watch folders that are not paused', async () => {
    h = await harness();
    watches = await openWatches({ stateDir: tempDir('watch-state'), engine: h.engine, log: () => {} });
    const work = residentWork(h.engine, watches);
    const folder = join(h.dir, 'Exports');
    mkdirSync(folder);
    const watch = await watches.add({ path: folder, profileId: 'p1', settleSeconds: 1 });
    await waitFor(() => work.activeWatches() === 1, 5000, 'one active watch');
    await watches.setPaused(watch.id, true);
    await waitFor(() => work.activeWatches() === 0, 5000, 'no active watch once paused');
    await watches.setPaused(watch.id, false);
    await waitFor(() => work.activeWatches() === 1, 5000, 'active again once resumed');
  });
});
