// Sidecars that land in a watched folder after their video was taken, against the local sandbox with real files (a
// clip and a WebVTT caption made by ffmpeg, a JPEG still): attached to the video's job and sent once its source is
// complete (at once when it already is), the caption stored byte for byte, the video never sent twice; a broken one
// is shown on the row; a watch that leaves sidecars alone does not look at them.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openWatches, type WatchFileEvent, type WatchService } from '../../../main/watch/index';
import { ffmpeg, stillImage } from '../../unit/media/media-fixtures';
import { allVideos, harness, jobOf, sha256, tempDir, waitFor, type Harness } from '../uploads/helpers';
import { makeClip } from './clips';

let h: Harness;
let watches: WatchService | undefined;
let stateDir: string;
const events: WatchFileEvent[] = [];

async function open(): Promise<WatchService> {
  watches = await openWatches({ stateDir, engine: h.engine, log: () => {} }, { availabilityMs: 250, pollMs: 250 });
  watches.on('file', (event) => events.push(event));
  return watches;
}

async function setUp(): Promise<string> {
  h = await harness();
  stateDir = tempDir('late-sidecars');
  events.length = 0;
  await open();
  const dir = join(h.dir, 'Exports');
  mkdirSync(dir);
  return dir;
}

afterEach(async () => {
  await watches?.close();
  watches = undefined;
  await h?.cleanup();
  rmSync(stateDir, { recursive: true, force: true });
});

/** A WebVTT caption as ffmpeg writes it from SRT, made outside the watched folder; its path. */
async function caption(dir: string, text: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const srt = join(dir, 'caption.srt');
  writeFileSync(srt, `1\n00:00:00,000 --> 00:00:00,900\n${text}\n\n2\n00:00:01,000 --> 00:00:01,900\nThe end\n`);
  const vtt = join(dir, 'caption.vtt');
  await ffmpeg(['-i', srt, vtt]);
  return vtt;
}

/** The caption track the sandbox holds for the video, as served from its `src`; null when it has none. */
async function servedTrack(videoId: string, language: string): Promise<Buffer | null> {
  const reply = await fetch(`${h.sandbox.url}/videos/${videoId}/captions/${language}`, {
    headers: { authorization: h.sandbox.basicAuth },
  });
  if (reply.status !== 200) return null;
  const { src } = (await reply.json()) as { src: string };
  return Buffer.from(await (await fetch(src)).arrayBuffer());
}

const sidecarStates = (path: string) =>
  Object.fromEntries((jobOf(h.engine, path)?.sidecars ?? []).map((s) => [s.key, s.state]));

describe('sidecars that arrive after their video', () => {
  it('sends a caption and a thumbnail that land after the video was uploaded, without sending it again', async () => {
    const dir = await setUp();
    await watches!.add({ path: dir, profileId: 'p1', settleSeconds: 1 });
    const clip = join(dir, 'talk.mp4');
    writeFileSync(clip, makeClip(1, 61));
    await waitFor(() => jobOf(h.engine, clip)?.state === 'done', 20_000, 'the video uploaded');
    await h.engine.idle();
    const job = jobOf(h.engine, clip)!;
    expect(job.sidecars).toBeUndefined();

    const made = await caption(join(h.dir, 'outside'), 'Hello from the late caption');
    const late = join(dir, 'talk.en.vtt');
    copyFileSync(made, late);
    await waitFor(() => sidecarStates(clip)['caption:en'] === 'done', 20_000, 'the caption sent');
    expect(events.filter((e) => e.kind === 'attached')).toEqual([
      { kind: 'attached', watchId: expect.any(String) as string, path: late, video: clip },
    ]);
    const stored = await servedTrack(job.videoId!, 'en');
    expect(stored?.equals(readFileSync(late)), 'the caption as the sandbox stores it').toBe(true);

    const still = await stillImage(join(h.dir, 'outside'), 'still.jpg');
    copyFileSync(still, join(dir, 'talk.jpg'));
    await waitFor(() => sidecarStates(clip).thumbnail === 'done', 20_000, 'the thumbnail sent');
    expect(await h.client.sidecars.thumbnailIs(job.videoId!, readFileSync(still))).toBe(true);

    // A second caption in English comes too late: the row names it, and the one sent stays.
    writeFileSync(join(dir, 'talk.en.srt'), '1\n00:00:00,000 --> 00:00:00,900\nHi\n');
    await waitFor(() => events.some((e) => e.kind === 'not-attached'), 20_000, 'the second caption refused');
    expect(events.find((e) => e.kind === 'not-attached')?.reason).toBe(
      'talk.en.srt: captions in en come from talk.en.vtt instead',
    );
    expect(sidecarStates(clip)).toEqual({ 'caption:en': 'done', thumbnail: 'done', 'file:talk.en.srt': 'invalid' });

    // One job, one video: the source was not sent again, and the caption stays the default one.
    await h.engine.idle();
    expect(h.engine.snapshot().jobs).toHaveLength(1);
    const videos = await allVideos(h.client);
    expect(videos.map((v) => v.videoId)).toEqual([job.videoId]);
    const source = readFileSync(join(h.sandbox.dataDir, 'videos', job.videoId!, 'source.mp4'));
    expect(sha256(source)).toBe(sha256(readFileSync(clip)));
    expect(jobOf(h.engine, clip)?.sidecars?.find((s) => s.key === 'caption:en')?.isDefault).toBe(true);
  }, 60_000);

  it('holds a caption that lands while the video uploads until its source is complete; names a broken one', async () => {
    const dir = await setUp();
    await watches!.add({ path: dir, profileId: 'p1', settleSeconds: 1 });
    await h.sandbox.setFaults({ connectionBytesPerSec: 64 * 1024 });
    const clip = join(dir, 'long-take.mp4');
    writeFileSync(clip, makeClip(2, 62, true));
    await waitFor(() => jobOf(h.engine, clip)?.state === 'uploading', 20_000, 'the upload under way');

    const late = join(dir, 'long-take.fr.vtt');
    copyFileSync(await caption(join(h.dir, 'outside'), 'Bonjour'), late);
    writeFileSync(join(dir, 'long-take.de.vtt'), 'this is not WebVTT');
    await waitFor(() => events.filter((e) => e.kind.endsWith('attached')).length === 2, 20_000, 'both looked at');
    expect(jobOf(h.engine, clip)?.state).toBe('uploading');
    expect(sidecarStates(clip)).toEqual({ 'caption:fr': 'waiting', 'file:long-take.de.vtt': 'invalid' });
    expect(events.find((e) => e.kind === 'not-attached')?.reason).toMatch(/long-take\.de\.vtt is not valid WebVTT/);

    await h.sandbox.clearFaults();
    await waitFor(() => sidecarStates(clip)['caption:fr'] === 'done', 30_000, 'the caption sent after the video');
    const job = jobOf(h.engine, clip)!;
    expect(job.state).toBe('done');
    expect((await servedTrack(job.videoId!, 'fr'))?.equals(readFileSync(late))).toBe(true);
    expect(await allVideos(h.client)).toHaveLength(1);
  }, 90_000);

  it('finds after a restart a caption that landed while Convoy was closed, and sends it once', async () => {
    const dir = await setUp();
    await watches!.add({ path: dir, profileId: 'p1', settleSeconds: 1 });
    const clip = join(dir, 'evening.mp4');
    writeFileSync(clip, makeClip(1, 64));
    await waitFor(() => jobOf(h.engine, clip)?.state === 'done', 20_000, 'the video uploaded');
    await watches!.close();
    await h.engine.close();
    const late = join(dir, 'evening.en.vtt');
    copyFileSync(await caption(join(h.dir, 'outside'), 'Written while closed'), late);

    await h.open();
    await open();
    await waitFor(() => sidecarStates(clip)['caption:en'] === 'done', 20_000, 'the caption sent after the restart');
    const job = jobOf(h.engine, clip)!;
    expect((await servedTrack(job.videoId!, 'en'))?.equals(readFileSync(late))).toBe(true);
    expect(events.filter((e) => e.kind === 'attached').map((e) => e.path)).toEqual([late]);
    // Restarted again: the caption is the job's already, and nothing is sent twice.
    await watches!.close();
    await open();
    await new Promise((r) => setTimeout(r, 1500));
    expect(events.filter((e) => e.kind === 'attached')).toHaveLength(1);
    expect(await allVideos(h.client)).toHaveLength(1);
  }, 60_000);

  it('leaves a late caption alone for a watch that sends no sidecars', async () => {
    const dir = await setUp();
    await watches!.add({ path: dir, profileId: 'p1', settleSeconds: 1, noSidecars: true });
    const clip = join(dir, 'quiet.mp4');
    writeFileSync(clip, makeClip(1, 63));
    await waitFor(() => jobOf(h.engine, clip)?.state === 'done', 20_000, 'the video uploaded');
    copyFileSync(await caption(join(h.dir, 'outside'), 'Unsent'), join(dir, 'quiet.en.vtt'));
    await new Promise((r) => setTimeout(r, 2500)); // the settle time and more
    await h.engine.idle();
    expect(events.filter((e) => e.path.endsWith('.vtt'))).toEqual([]);
    expect(jobOf(h.engine, clip)?.sidecars).toBeUndefined();
    expect(await servedTrack(jobOf(h.engine, clip)!.videoId!, 'en')).toBeNull();
  }, 60_000);
});
