// Encoding that tells the truth: real clips in every common container become playable with the facts their
// container states, while random bytes and a truncated file end with encoding failed and no asset at all.
/* eslint-disable @typescript-eslint/no-explicit-any -- reply bodies are checked against the spec schemas at runtime */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sandboxForFile } from '../../support/sandbox';
import { makeClip, type ClipContainer } from '../../support/media-clips';
import { api, createVideoOn, form, randomBytesOf } from './spec';

const sb = sandboxForFile();
const dir = mkdtempSync(join(tmpdir(), 'convoy-encoding-truth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const auth = () => ({ Authorization: sb().basicAuth });

/** Creates a video, sends `bytes` as its source in one request and returns the video. */
async function uploaded(bytes: Buffer, name: string, payload: Record<string, unknown> = {}): Promise<any> {
  const video = await createVideoOn(sb(), { title: name, ...payload });
  const reply = await api(`${sb().url}/videos/${video.videoId}/source`, {
    method: 'POST',
    template: '/videos/{videoId}/source',
    headers: auth(),
    body: form(bytes, {}, { filename: name }),
  });
  expect(reply.status).toBe(201);
  return reply.body;
}

async function status(videoId: string): Promise<any> {
  const reply = await api(`${sb().url}/videos/${videoId}/status`, {
    method: 'GET',
    template: '/videos/{videoId}/status',
    headers: auth(),
  });
  expect(reply.status).toBe(200);
  return reply.body;
}

async function expectNoAsset(url: string): Promise<void> {
  const reply = await fetch(url);
  expect(reply.status, url).toBe(404);
  expect(await reply.json()).toMatchObject({ type: 'https://docs.api.video/reference/resource-not-found' });
}

/** The #EXTINF durations of a media playlist. */
function segmentSeconds(playlist: string): number[] {
  return [...playlist.matchAll(/^#EXTINF:([\d.]+),/gm)].map((m) => Number(m[1]));
}

describe('a real clip in every common container', () => {
  const clips: [ClipContainer, number, number, number][] = [
    ['mp4', 2, 640, 360],
    ['mov', 1, 320, 240],
    ['mkv', 2, 1280, 720],
    ['webm', 1, 426, 240],
    ['avi', 3, 320, 180],
    ['ts', 1, 320, 180],
  ];
  it.each(clips)('%s: encoding ends playable, with the facts its container states', async (container, s, w, h) => {
    const file = await makeClip(dir, { container, seconds: s, width: w, height: h });
    const video = await uploaded(readFileSync(file), `clip.${container}`);
    const encoding = (await status(video.videoId)).encoding;
    expect(encoding.playable).toBe(false);
    expect(encoding.qualities.map((q: any) => q.status)).toEqual(['encoding', 'encoding']);
    await sb().advanceClock(10);

    const done = (await status(video.videoId)).encoding;
    expect(done.playable).toBe(true);
    // MPEG-TS states no picture size or duration in its packets: the sandbox says it does not know.
    const stated = container !== 'ts';
    expect(done.metadata).toMatchObject(
      stated
        ? { width: w, height: h, duration: s, framerate: 25, aspectRatio: expect.stringMatching(/^\d+\/\d+$/) }
        : { width: null, height: null, duration: null },
    );
    // The highest rung the picture reaches (240p for anything smaller); 720p when the container does not say.
    const quality = stated ? `${[240, 360, 480, 720].filter((rung) => rung <= h).at(-1) ?? 240}p` : '720p';
    expect(done.qualities).toEqual([
      { type: 'hls', quality, status: 'encoded' },
      { type: 'mp4', quality, status: 'encoded' },
    ]);

    // The manifest agrees with the status: one rendition, and its segments last what the container says.
    const manifest = await fetch(video.assets.hls);
    expect(manifest.status).toBe(200);
    const text = await manifest.text();
    expect(text).not.toContain('#EXT-X-STREAM-INF'); // a media playlist: the one hls quality of the status
    const total = segmentSeconds(text).reduce((a, b) => a + b, 0);
    if (stated) expect(total).toBeCloseTo(s, 2);
    expect((await fetch(video.assets.thumbnail)).status).toBe(200);
    expect(Buffer.from(await (await fetch(video.assets.mp4)).arrayBuffer()).equals(readFileSync(file))).toBe(true);
  });

  it('lists no mp4 quality for a video created with mp4Support false', async () => {
    const file = await makeClip(dir, { container: 'mp4', seconds: 1, width: 320, height: 180 });
    const video = await uploaded(readFileSync(file), 'no-mp4.mp4', { mp4Support: false });
    await sb().advanceClock(10);
    expect((await status(video.videoId)).encoding.qualities).toEqual([
      { type: 'hls', quality: '240p', status: 'encoded' },
    ]);
  });
});

describe('bytes that are not a video', () => {
  it('random bytes named .mp4: encoding fails and nothing becomes playable', async () => {
    const video = await uploaded(randomBytesOf(300_000), 'noise.mp4');
    expect((await status(video.videoId)).encoding.qualities.map((q: any) => q.status)).toEqual([
      'encoding',
      'encoding',
    ]);
    await sb().advanceClock(10);
    const after = await status(video.videoId);
    expect(after.ingest.status).toBe('uploaded');
    expect(after.encoding.playable).toBe(false);
    expect(after.encoding.qualities.map((q: any) => q.status)).toEqual(['failed', 'failed']);
    expect(Object.values(after.encoding.metadata).every((value) => value === null)).toBe(true);
    for (const url of [video.assets.hls, video.assets.mp4, video.assets.thumbnail]) await expectNoAsset(url);
    const problem = await (await fetch(video.assets.hls)).json();
    expect(problem.detail).toMatch(/could not be encoded.*No video container signature/);
  });

  it('a truncated MP4 (cut inside its media data) fails the same way', async () => {
    const file = await makeClip(dir, { container: 'mp4', seconds: 2, width: 320, height: 180 });
    const whole = readFileSync(file);
    const video = await uploaded(whole.subarray(0, Math.floor(whole.length * 0.6)), 'cut.mp4');
    await sb().advanceClock(10);
    const after = await status(video.videoId);
    expect(after.encoding.playable).toBe(false);
    expect(after.encoding.qualities.map((q: any) => q.status)).toEqual(['failed', 'failed']);
    await expectNoAsset(video.assets.hls);
    expect((await (await fetch(video.assets.mp4)).json()).detail).toMatch(/truncated/);
  });

  it('a private video that failed answers 404 without spending its private token', async () => {
    const video = await uploaded(randomBytesOf(5000), 'secret.mp4', { public: false });
    await sb().advanceClock(10);
    await expectNoAsset(video.assets.mp4);
    // The token was not spent by the refusal: the video behind it is judged the same way again.
    expect(await (await fetch(video.assets.mp4)).json()).toMatchObject({
      detail: expect.stringMatching(/could not be encoded/),
    });
  });
});
