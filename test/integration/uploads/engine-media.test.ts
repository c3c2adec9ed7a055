// The engine knows its media (issue 17), against the real sandbox with real clips: files that are not video, or
// are cut short, are skipped before a byte is sent; a file no parser knows goes on the user's word; the rest carry
// their duration and picture, and the captions, chapters and thumbnail beside them arrive after the source.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeClip } from '../../support/media-clips';
import { cutShort, stillImage } from '../../unit/media/media-fixtures';
import { allVideos, harness, jobOf, sha256, waitFor, type Harness } from './helpers';

let h: Harness | null = null;
afterEach(async () => {
  await h?.cleanup();
  h = null;
});

const englishVtt = 'WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nHello, world\n';
/** Windows-1252 with CRLF, as an old subtitle editor writes SRT. */
const frenchSrt = Buffer.from('1\r\n00:00:00,000 --> 00:00:01,000\r\nÇa commence\r\n', 'latin1');

async function served(url: string): Promise<Buffer> {
  const reply = await fetch(url);
  expect(reply.status, url).toBe(200);
  return Buffer.from(await reply.arrayBuffer());
}

async function track(h: Harness, videoId: string, kind: 'captions' | 'chapters', language: string) {
  const reply = await fetch(`${h.sandbox.url}/videos/${videoId}/${kind}/${language}`, {
    headers: { authorization: h.sandbox.basicAuth },
  });
  return reply.status === 200 ? ((await reply.json()) as { src: string; default?: boolean }) : null;
}

describe('the engine and its media', () => {
  it('skips what is not a video before a byte is sent; a video carries its facts and its sidecars arrive', async () => {
    h = await harness();
    const talk = await makeClip(h.dir, { container: 'mp4', seconds: 1, width: 160, height: 96, name: 'talk.mp4' });
    writeFileSync(join(h.dir, 'talk.en.vtt'), englishVtt);
    writeFileSync(join(h.dir, 'talk.fr.srt'), frenchSrt);
    writeFileSync(join(h.dir, 'talk.de.vtt'), 'not a caption file');
    await stillImage(h.dir, 'talk.jpg');
    const pdf = join(h.dir, 'report.mp4');
    writeFileSync(pdf, Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(20_000)]));
    // Index at the end (no faststart), and the copy stopped half-way: the index never arrived.
    const whole = await makeClip(h.dir, { container: 'mkv', seconds: 1, width: 160, height: 96, name: 'whole.mkv' });
    const cut = cutShort(whole, h.dir, 'camera-copy.mkv', 0.5);
    writeFileSync(whole, ''); // only the cut copy is in the folder (an empty file is skipped by the scan)

    const seen = new Map<string, string[]>();
    h.engine.on('jobs', ({ upserts }) => {
      for (const job of upserts) seen.set(job.path, [...(seen.get(job.path) ?? []), job.state]);
    });
    const added = await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    expect(added.added).toBe(3); // the scan keeps the three by extension; the sidecars are not reported as skips
    expect(added.skipped.map((s) => s.path)).toEqual([whole]);
    await h.engine.idle();

    const report = jobOf(h.engine, pdf)!;
    expect(report.state).toBe('skipped');
    expect(report.refused).toBe('not-video');
    expect(report.reason).toBe('report.mp4 is not a video: it starts like a PDF document.');
    const copy = jobOf(h.engine, cut)!;
    expect(copy.state).toBe('skipped');
    expect(copy.refused).toBe('truncated');
    expect(copy.reason).toMatch(/^camera-copy\.mkv is cut short/);
    // Never shown as uploading: the check comes first.
    expect(seen.get(pdf)).not.toContain('uploading');
    expect(seen.get(cut)).not.toContain('uploading');

    const job = jobOf(h.engine, talk)!;
    expect(job.state).toBe('done');
    expect(job.media).toMatchObject({ container: 'mp4', width: 160, height: 96, videoCodec: 'h264' });
    expect(job.media?.durationSec).toBeCloseTo(1, 0);
    const videos = await allVideos(h.client);
    expect(videos.map((v) => v.videoId)).toEqual([job.videoId]); // nothing of the refused files reached the server

    const states = Object.fromEntries(job.sidecars!.map((s) => [s.key, s.state]));
    expect(states).toEqual({
      'caption:en': 'done',
      'caption:fr': 'done',
      thumbnail: 'done',
      'file:talk.de.vtt': 'invalid',
    });
    expect(job.sidecars!.find((s) => s.key === 'file:talk.de.vtt')?.reason).toMatch(
      /talk\.de\.vtt is not valid WebVTT/,
    );
    const en = await track(h, job.videoId!, 'captions', 'en');
    expect(en?.default).toBe(true);
    expect((await served(en!.src)).equals(readFileSync(join(h.dir, 'talk.en.vtt')))).toBe(true);
    const fr = await track(h, job.videoId!, 'captions', 'fr');
    expect((await served(fr!.src)).toString('utf8')).toBe('WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.000\nÇa commence\n');
    const video = await h.client.videos.get(job.videoId!);
    expect(sha256(await served(job.thumbnailUrl!))).toBe(sha256(readFileSync(join(h.dir, 'talk.jpg'))));
    expect(job.thumbnailUrl).toBe(video.assets!.thumbnail);
  });

  it('a file no parser knows is skipped with a way on; "Upload anyway" (retry) sends it, byte for byte', async () => {
    h = await harness();
    const odd = join(h.dir, 'odd.mp4');
    writeFileSync(odd, randomBytes(64 * 1024));
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    await h.engine.idle();
    const refused = jobOf(h.engine, odd)!;
    expect(refused.state).toBe('skipped');
    expect(refused.refused).toBe('unknown');
    expect(refused.reason).toMatch(/If it is a video, choose "Upload anyway"/);
    expect(await allVideos(h.client)).toEqual([]);

    expect(h.engine.control('retry', [refused.id])).toBe(1);
    await h.engine.idle();
    const sent = jobOf(h.engine, odd)!;
    expect(sent.state).toBe('done');
    expect(sent.refused).toBeUndefined();
    const stored = readFileSync(join(h.sandbox.dataDir, 'videos', sent.videoId!, 'source.mp4'));
    expect(sha256(stored)).toBe(sha256(readFileSync(odd)));
  });

  it('a sidecar dropped before the source completes is not sent; with noSidecars none are', async () => {
    h = await harness();
    const a = await makeClip(join(h.dir, 'a'), { container: 'mp4', seconds: 1, width: 160, height: 96, name: 'a.mp4' });
    writeFileSync(join(h.dir, 'a', 'a.en.vtt'), englishVtt);
    writeFileSync(join(h.dir, 'a', 'a.fr.srt'), frenchSrt);
    const b = await makeClip(join(h.dir, 'b'), {
      container: 'mp4',
      seconds: 1,
      width: 160,
      height: 96,
      name: 'b.mp4',
      tag: 'b',
    });
    writeFileSync(join(h.dir, 'b', 'b.en.vtt'), englishVtt);

    h.engine.control('pause');
    await h.engine.add({ paths: [join(h.dir, 'a')], profileId: 'p1' });
    await h.engine.add({ paths: [join(h.dir, 'b')], profileId: 'p1', noSidecars: true });
    await waitFor(() => jobOf(h!.engine, a)?.sidecars?.length === 2);
    const first = jobOf(h.engine, a)!;
    expect(await h.engine.dropSidecar(first.id, 'caption:fr')).toBe(true);
    expect(await h.engine.dropSidecar(first.id, 'caption:fr')).toBe(false);
    h.engine.control('resume');
    await h.engine.idle();

    const doneA = jobOf(h.engine, a)!;
    expect(doneA.sidecars?.map((s) => [s.key, s.state])).toEqual([['caption:en', 'done']]);
    expect(await track(h, doneA.videoId!, 'captions', 'en')).not.toBeNull();
    expect(await track(h, doneA.videoId!, 'captions', 'fr')).toBeNull();
    const doneB = jobOf(h.engine, b)!;
    expect(doneB.state).toBe('done');
    expect(doneB.sidecars).toBeUndefined();
    expect(await track(h, doneB.videoId!, 'captions', 'en')).toBeNull();
  });

  it('with an upload token alone, the sidecars wait for a key and the row says so', async () => {
    h = await harness();
    const { token } = await h.switchToUploadToken();
    await h.open({ getClient: () => token });
    const clip = await makeClip(h.dir, { container: 'mp4', seconds: 1, width: 160, height: 96, name: 'solo.mp4' });
    writeFileSync(join(h.dir, 'solo.en.vtt'), englishVtt);
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    await h.engine.idle();
    const job = jobOf(h.engine, clip)!;
    expect(job.state).toBe('done');
    expect(job.sidecars).toEqual([
      expect.objectContaining({
        key: 'caption:en',
        state: 'needs-key',
        reason: expect.stringMatching(/need the API key/),
      }),
    ]);
  });
});
