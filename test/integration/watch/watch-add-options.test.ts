// A watch's add options against the local sandbox, with real clips: a watch that leaves sidecars alone and uploads
// unrecognised files keeps both in its record (across a restart) and every file it adds honours them; a watch made
// again without them drops them.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openWatches, type WatchService } from '../../../main/watch/index';
import { ffmpeg } from '../../unit/media/media-fixtures';
import { allVideos, harness, jobOf, sha256, tempDir, waitFor, type Harness } from '../uploads/helpers';
import { makeClip } from './clips';

const englishVtt = 'WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nHello\n';

let h: Harness;
let watches: WatchService | undefined;
let stateDir: string;

const open = async () =>
  (watches = await openWatches({ stateDir, engine: h.engine, log: () => {} }, { availabilityMs: 250, pollMs: 250 }));

afterEach(async () => {
  await watches?.close();
  watches = undefined;
  await h?.cleanup();
  rmSync(stateDir, { recursive: true, force: true });
});

/**
 * A real H.264 stream without a container, named .mp4: no parser recognises it (the user says it is video). Each
 * `width` gives other bytes (the same bytes twice would be a duplicate on the server).
 */
async function rawStream(path: string, width: number): Promise<void> {
  const source = `testsrc=size=${width}x96:rate=25`;
  await ffmpeg(['-f', 'lavfi', '-i', source, '-t', '1', '-c:v', 'libx264', '-f', 'h264', path]);
}

describe('a watch carries its add options', () => {
  it('keeps noSidecars and uploadUnrecognised in its record, and every file it adds honours them', async () => {
    h = await harness();
    stateDir = tempDir('watch-options');
    const dir = join(h.dir, 'Ingest');
    mkdirSync(dir);
    const first = await open();
    const watch = await first.add({
      path: dir,
      profileId: 'p1',
      settleSeconds: 1,
      noSidecars: true,
      uploadUnrecognised: true,
    });
    expect(watch).toMatchObject({ noSidecars: true, uploadUnrecognised: true });
    const saved = JSON.parse(readFileSync(join(stateDir, 'watches.json'), 'utf8')) as {
      watches: Record<string, unknown>[];
    };
    expect(saved.watches[0]).toMatchObject({ noSidecars: true, uploadUnrecognised: true });

    const raw = join(dir, 'raw.mp4');
    await rawStream(raw, 160);
    const clip = join(dir, 'talk.mp4');
    writeFileSync(join(dir, 'talk.en.vtt'), englishVtt);
    writeFileSync(clip, makeClip(1, 41));
    await waitFor(() => jobOf(h.engine, raw)?.state === 'done', 20_000, 'the unrecognised file uploaded');
    await waitFor(() => jobOf(h.engine, clip)?.state === 'done', 20_000, 'the clip uploaded');
    await h.engine.idle();
    const sent = jobOf(h.engine, raw)!;
    expect(sent.refused).toBeUndefined();
    expect(sha256(readFileSync(join(h.sandbox.dataDir, 'videos', sent.videoId!, 'source.mp4')))).toBe(
      sha256(readFileSync(raw)),
    );
    const talk = jobOf(h.engine, clip)!;
    expect(talk.sidecars).toBeUndefined();
    expect(await h.client.sidecars.hasTrack('captions', talk.videoId!, 'en')).toBe(false);

    // Restarted: the record read back still carries them, and so does the next file.
    await first.close();
    const second = await open();
    expect(second.get(watch.id)).toMatchObject({ noSidecars: true, uploadUnrecognised: true });
    const later = join(dir, 'later.mp4');
    await rawStream(later, 176);
    await waitFor(() => jobOf(h.engine, later)?.state === 'done', 20_000, 'the next unrecognised file');
    expect(jobOf(h.engine, later)?.refused).toBeUndefined();

    // Made again without them (as `convoy watch` without the flags does): gone from the record, and not honoured.
    const again = await second.ensure({ path: dir, profileId: 'p1', settleSeconds: 1 });
    expect(again.noSidecars).toBeUndefined();
    expect(again.uploadUnrecognised).toBeUndefined();
    const refused = join(dir, 'refused.mp4');
    await rawStream(refused, 192);
    await waitFor(() => jobOf(h.engine, refused)?.state === 'skipped', 20_000, 'the file refused now');
    expect(jobOf(h.engine, refused)?.refused).toBe('unknown');
    expect(await allVideos(h.client)).toHaveLength(3);
  }, 60_000);
});
