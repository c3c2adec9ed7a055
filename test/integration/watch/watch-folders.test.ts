// Watch folders against the local sandbox, with real folders and real clips: a file copied in slowly uploads once
// after it settles, a burst of 500 files, a rename is not a second upload, a folder removed and restored, the app
// restarted with files added meanwhile, and the choice of uploading the files already there.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openWatches, type WatchFileEvent, type WatchService, type WatchTunables } from '../../../main/watch/index';
import { allVideos, expectAllUploaded, harness, jobOf, tempDir, waitFor, type Harness } from '../uploads/helpers';
import { makeClip, makeClips, writeSlowly } from './clips';

const SETTLE_S = 1.5;
const tunables: WatchTunables = { availabilityMs: 250, pollMs: 250 };

let h: Harness;
let watches: WatchService | undefined;
let stateDir: string;
const events: WatchFileEvent[] = [];

async function open(): Promise<WatchService> {
  watches = await openWatches({ stateDir, engine: h.engine, log: () => {} }, tunables);
  watches.on('file', (event) => events.push(event));
  return watches;
}

async function setUp(): Promise<{ dir: string; watches: WatchService }> {
  h = await harness();
  stateDir = tempDir('watch-state');
  events.length = 0;
  const dir = join(h.dir, 'Exports');
  mkdirSync(dir);
  return { dir, watches: await open() };
}

afterEach(async () => {
  await watches?.close();
  watches = undefined;
  await h?.cleanup();
  rmSync(stateDir, { recursive: true, force: true });
});

const doneJobs = () => h.engine.snapshot().jobs.filter((j) => j.state === 'done');

describe('watch folders', () => {
  it('uploads a file copied in slowly once, only after it has settled, byte for byte', async () => {
    const { dir, watches } = await setUp();
    const watch = await watches.add({ path: dir, profileId: 'p1', settleSeconds: SETTLE_S });
    const clip = makeClip(2, 1);
    const path = join(dir, 'interview.mp4');
    let sawJobEarly = false;
    // 6 parts, 1 s apart: 5 s of writing, each pause shorter than the settle time.
    const writing = writeSlowly(path, clip, 6, 1000);
    const probe = setInterval(() => {
      if (jobOf(h.engine, path)) sawJobEarly = true;
    }, 50);
    await writing;
    clearInterval(probe);
    const finished = Date.now();
    expect(sawJobEarly, 'the file was added while it was still being written').toBe(false);
    expect(watches.get(watch.id)?.state).toBe('settling');
    await waitFor(() => jobOf(h.engine, path) !== undefined, 15_000, 'the job');
    expect(Date.now() - finished).toBeGreaterThanOrEqual(SETTLE_S * 1000 - 100);
    await h.engine.idle();
    await expectAllUploaded(h, [path]);
    expect(events.filter((e) => e.kind === 'added').map((e) => e.path)).toEqual([path]);
    await waitFor(() => watches.get(watch.id)?.uploadedToday === 1, 5000, 'the count of today');
    expect(watches.get(watch.id)).toMatchObject({ state: 'watching', settling: 0, inQueue: 0 });
    expect(watches.origins()[jobOf(h.engine, path)!.id]).toEqual({ watchId: watch.id, watchName: 'Exports' });
  });

  it('takes a burst of 500 files, each once', async () => {
    const { dir, watches } = await setUp();
    await watches.add({ path: dir, profileId: 'p1', settleSeconds: SETTLE_S });
    const outside = join(h.dir, 'burst');
    const clips = makeClips(outside, 500);
    for (const clip of clips) renameSync(clip, join(dir, basename(clip)));
    const added = () => events.filter((e) => e.kind === 'added').length;
    await waitFor(() => added() === 500, 90_000, '500 files added');
    await h.engine.idle();
    expect(doneJobs()).toHaveLength(500);
    expect(new Set(doneJobs().map((j) => j.path)).size).toBe(500);
    expect(await allVideos(h.client)).toHaveLength(500);
    // Nothing more arrives later (no file noticed twice).
    await new Promise((r) => setTimeout(r, SETTLE_S * 1000 + 500));
    expect(h.engine.snapshot().jobs).toHaveLength(500);
    expect(added()).toBe(500);
  }, 300_000);

  it('does not upload a renamed or moved file again', async () => {
    const { dir, watches } = await setUp();
    await watches.add({ path: dir, profileId: 'p1', settleSeconds: SETTLE_S });
    const path = join(dir, 'take-1.mp4');
    writeFileSync(path, makeClip(1, 2));
    await waitFor(() => jobOf(h.engine, path)?.state === 'done', 20_000, 'the upload');
    mkdirSync(join(dir, 'selects'));
    const renamed = join(dir, 'selects', 'take-1-final.mp4');
    renameSync(path, renamed);
    await waitFor(() => events.some((e) => e.kind === 'renamed' && e.path === renamed), 10_000, 'the rename');
    await new Promise((r) => setTimeout(r, 500));
    expect(h.engine.snapshot().jobs).toHaveLength(1);
    expect(await allVideos(h.client)).toHaveLength(1);
    expect(events.filter((e) => e.kind === 'added')).toHaveLength(1);
  });

  it('shows a removed folder as unavailable and resumes when it is back', async () => {
    const { dir, watches } = await setUp();
    const first = join(dir, 'before.mp4');
    writeFileSync(first, makeClip(1, 3));
    const watch = await watches.add({ path: dir, profileId: 'p1', settleSeconds: SETTLE_S, existing: true });
    await waitFor(() => jobOf(h.engine, first)?.state === 'done', 20_000, 'the first upload');
    // Unplugged: the folder goes away with its file, and comes back with one more.
    const away = `${dir}-unplugged`;
    renameSync(dir, away);
    await waitFor(() => watches.get(watch.id)?.state === 'unavailable', 5000, 'unavailable');
    expect(watches.get(watch.id)?.reason).toMatch(/not there/);
    writeFileSync(join(away, 'while-away.mp4'), makeClip(1, 4));
    renameSync(away, dir);
    const second = join(dir, 'while-away.mp4');
    await waitFor(() => jobOf(h.engine, second)?.state === 'done', 20_000, 'the file added while away');
    expect(watches.get(watch.id)?.state).toBe('watching');
    // Removed for good and made again: a new file in it uploads too.
    rmSync(dir, { recursive: true });
    await waitFor(() => watches.get(watch.id)?.state === 'unavailable', 5000, 'unavailable again');
    mkdirSync(dir);
    const third = join(dir, 'after.mp4');
    writeFileSync(third, makeClip(1, 5));
    await waitFor(() => jobOf(h.engine, third)?.state === 'done', 20_000, 'the file in the new folder');
    await h.engine.idle();
    expect(h.engine.snapshot().jobs).toHaveLength(3);
    expect(await allVideos(h.client)).toHaveLength(3);
  });

  it('finds after a restart what arrived while it was closed, and nothing twice', async () => {
    const { dir, watches: first } = await setUp();
    const there = join(dir, 'there-before.mp4');
    writeFileSync(there, makeClip(1, 6));
    const watch = await first.add({ path: dir, profileId: 'p1', settleSeconds: SETTLE_S });
    const live = join(dir, 'live.mp4');
    writeFileSync(live, makeClip(1, 7));
    await waitFor(() => jobOf(h.engine, live)?.state === 'done', 20_000, 'the live upload');
    await first.close();
    await h.engine.close();
    // While Convoy is closed: one file arrives, one is renamed.
    const meanwhile = join(dir, 'meanwhile.mp4');
    writeFileSync(meanwhile, makeClip(1, 8));
    renameSync(live, join(dir, 'live-renamed.mp4'));
    await h.open();
    const second = await open();
    expect(second.list()).toMatchObject([{ id: watch.id, path: dir, profileId: 'p1', settleSeconds: SETTLE_S }]);
    await waitFor(() => jobOf(h.engine, meanwhile)?.state === 'done', 20_000, 'the file added meanwhile');
    await new Promise((r) => setTimeout(r, SETTLE_S * 1000 + 500));
    await h.engine.idle();
    // The file there before the watch began stays (it was not asked for); the renamed one is not sent again.
    expect(jobOf(h.engine, there)).toBeUndefined();
    expect(
      h.engine
        .snapshot()
        .jobs.map((j) => basename(j.path))
        .sort(),
    ).toEqual(['live.mp4', 'meanwhile.mp4']);
    expect(await allVideos(h.client)).toHaveLength(2);
    expect(second.get(watch.id)?.uploadedToday).toBe(2);
  });

  it('polls a folder when asked (network shares), with the same settling and renames', async () => {
    const { dir, watches } = await setUp();
    const watch = await watches.add({ path: dir, profileId: 'p1', settleSeconds: SETTLE_S, polling: true });
    expect(watch.polling).toBe(true);
    const path = join(dir, 'from-the-nas.mp4');
    await writeSlowly(path, makeClip(1, 10), 3, 700);
    await waitFor(() => jobOf(h.engine, path)?.state === 'done', 20_000, 'the polled upload');
    renameSync(path, join(dir, 'renamed-on-the-nas.mp4'));
    await waitFor(() => events.some((e) => e.kind === 'renamed'), 10_000, 'the rename');
    expect(h.engine.snapshot().jobs).toHaveLength(1);
    expect(await allVideos(h.client)).toHaveLength(1);
  });

  it('leaves files a one-off add already uploaded to their jobs when it watches their folder', async () => {
    const { dir, watches } = await setUp();
    const [a] = makeClips(dir, 1);
    await h.engine.add({ paths: [dir], profileId: 'p1' });
    await h.engine.idle();
    const before = h.engine.snapshot().jobs;
    expect(before).toMatchObject([{ path: a, state: 'done' }]);
    await watches.add({ path: dir, profileId: 'p1', settleSeconds: SETTLE_S, existing: true });
    await waitFor(() => events.some((e) => e.kind === 'settled' && e.path === a), 10_000, 'the file looked at');
    await new Promise((r) => setTimeout(r, 500));
    expect(h.engine.snapshot().jobs).toEqual(before);
    expect(events.filter((e) => e.kind === 'added')).toHaveLength(0);
    expect(await allVideos(h.client)).toHaveLength(1);
  });

  it('uploads the files already there when asked, and a changed file again', async () => {
    const { dir, watches } = await setUp();
    const [a, b] = makeClips(dir, 2);
    await watches.add({ path: dir, profileId: 'p1', settleSeconds: SETTLE_S, existing: true, exclude: ['*-0001.mp4'] });
    await waitFor(() => jobOf(h.engine, a!)?.state === 'done', 20_000, 'the file already there');
    expect(jobOf(h.engine, b!)).toBeUndefined(); // excluded
    // Replaced with other bytes: uploaded again as the new content.
    const replacement = makeClip(1, 9);
    writeFileSync(a!, replacement);
    await waitFor(
      () => doneJobs().some((j) => j.path === a && j.size === replacement.length),
      20_000,
      'the changed file',
    );
    const videos = await allVideos(h.client);
    expect(videos).toHaveLength(2);
    expect(readFileSync(a!).equals(replacement)).toBe(true);
  });
});
