// The official @api.video/nodejs-client, run unchanged against the sandbox, on the second half of the video API:
// captions, chapters, thumbnails, watermarks, player themes (with their logo), tags, webhooks, summaries and
// discarded videos, with real files (WebVTT, ffmpeg pictures, an ffmpeg clip).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ApiVideoClient from '@api.video/nodejs-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { scratchDirs } from '../../support/scratch-dirs';
import { captionsVtt, chaptersVtt, clipFile, makeImage } from './api-media';

let sb: TestSandbox;
let client: ApiVideoClient;
const scratch = scratchDirs('client-api');

beforeAll(async () => {
  sb = await startTestSandbox();
  client = new ApiVideoClient({ apiKey: sb.apiKey, baseUri: sb.url });
});
afterAll(async () => {
  await sb.close();
});

/** A file in the scratch folder: the client uploads from paths, as an app would. */
function fileWith(name: string, content: string | Buffer): string {
  const path = join(scratch(), name);
  writeFileSync(path, content);
  return path;
}

async function uploadedVideo(title: string) {
  const video = await client.videos.create({ title, tags: ['client-api'] });
  await client.videos.upload(video.videoId, await clipFile());
  return video;
}

describe('official Node.js client on the rest of the video API', () => {
  it('uploads, lists, defaults, fetches and deletes captions; uploads and lists chapters', async () => {
    const video = await uploadedVideo('captioned');
    const english = captionsVtt('Hello', 'World');
    const caption = await client.captions.upload(video.videoId, 'en', fileWith('en.vtt', english));
    expect(caption).toMatchObject({ srclang: 'en', languageName: 'English', _default: false });
    expect(await (await fetch(caption.src!)).text()).toBe(english);
    await client.captions.upload(video.videoId, 'fr', fileWith('fr.vtt', captionsVtt('Bonjour')));
    expect((await client.captions.update(video.videoId, 'fr', { _default: true }))._default).toBe(true);
    const captions = await client.captions.list({ videoId: video.videoId });
    expect(captions.data.map((c) => [c.srclang, c._default])).toEqual([
      ['en', false],
      ['fr', true],
    ]);
    await client.captions.delete(video.videoId, 'en');
    await expect(client.captions.get(video.videoId, 'en')).rejects.toMatchObject({ code: 404 });
    await expect(
      client.captions.upload(video.videoId, 'de', fileWith('de.srt', '1\n00:00:00,000 --> 00:00:01,000\nHallo\n')),
    ).rejects.toMatchObject({ code: 400 });

    const chapter = await client.chapters.upload(video.videoId, 'en', fileWith('chapters.vtt', chaptersVtt('Intro')));
    expect(chapter.language).toBe('en');
    expect((await client.chapters.get(video.videoId, 'en')).src).toBe(chapter.src);
    expect((await client.chapters.list({ videoId: video.videoId })).data).toHaveLength(1);
    await client.chapters.delete(video.videoId, 'en');
    expect((await client.chapters.list({ videoId: video.videoId })).data).toEqual([]);
  });

  it('uploads a thumbnail that the thumbnail asset then serves, and picks a timecode', async () => {
    const video = await uploadedVideo('thumbnailed');
    const jpeg = await makeImage('jpg', { color: 'maroon', width: 96, height: 54 });
    const updated = await client.videos.uploadThumbnail(video.videoId, jpeg.path);
    const served = Buffer.from(await (await fetch(updated.assets!.thumbnail!)).arrayBuffer());
    expect(served.equals(jpeg.bytes)).toBe(true);
    const picked = await client.videos.pickThumbnail(video.videoId, { timecode: '00:00:00.50' });
    const poster = Buffer.from(await (await fetch(picked.assets!.thumbnail!)).arrayBuffer());
    expect(poster.equals(jpeg.bytes)).toBe(false);
    expect(poster.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  });

  it('uploads a watermark, creates a watermarked video, lists and deletes the watermark', async () => {
    const png = await makeImage('png', { color: 'silver' });
    const watermark = await client.watermarks.upload(png.path);
    expect(watermark.watermarkId).toMatch(/^watermark_/);
    const video = await client.videos.create({
      title: 'watermarked',
      watermark: { id: watermark.watermarkId, top: '0px', right: '0px', opacity: '50%' },
    });
    expect(video.videoId).toMatch(/^vi/);
    expect((await client.watermarks.list({})).data.map((w) => w.watermarkId)).toContain(watermark.watermarkId);
    await client.watermarks.delete(watermark.watermarkId!);
    await expect(client.watermarks.delete(watermark.watermarkId!)).rejects.toMatchObject({ code: 404 });
  });

  it('creates, updates and deletes a player theme with a logo, and themes a video with it', async () => {
    const theme = await client.playerThemes.create({ name: 'Client theme', forceLoop: true });
    expect(theme).toMatchObject({ name: 'Client theme', forceLoop: true, enableControls: true });
    const logo = await makeImage('png', { color: 'gold', width: 100, height: 50 });
    const withLogo = await client.playerThemes.uploadLogo(theme.playerId, logo.path, 'https://example.com');
    expect(withLogo.assets).toMatchObject({ link: 'https://example.com' });
    const servedLogo = Buffer.from(await (await fetch(withLogo.assets!.logo!)).arrayBuffer());
    expect(servedLogo.equals(logo.bytes)).toBe(true);
    expect((await client.playerThemes.update(theme.playerId, { hideTitle: true })).hideTitle).toBe(true);
    expect((await client.playerThemes.list()).data.map((t) => t.playerId)).toContain(theme.playerId);

    const video = await client.videos.create({ title: 'themed', playerId: theme.playerId });
    expect((await client.videos.get(video.videoId)).playerId).toBe(theme.playerId);
    await expect(client.videos.update(video.videoId, { playerId: 'plNotATheme' })).rejects.toMatchObject({
      code: 400,
    });

    await client.playerThemes.deleteLogo(theme.playerId);
    expect((await client.playerThemes.get(theme.playerId)).assets).toBeUndefined();
    await client.playerThemes.delete(theme.playerId);
    await expect(client.playerThemes.get(theme.playerId)).rejects.toMatchObject({ code: 404 });
  });

  it('lists tags, manages webhooks and summaries, and restores a discarded video', async () => {
    const video = await uploadedVideo('to discard');
    const tags = await client.tags.list({ value: 'client-api' });
    expect(tags.data).toEqual([{ value: 'client-api', videoCount: expect.any(Number) }]);

    const webhook = await client.webhooks.create({
      events: ['video.encoding.quality.completed'],
      url: 'http://127.0.0.1:9/hook',
    });
    expect((await client.webhooks.get(webhook.webhookId!)).url).toBe('http://127.0.0.1:9/hook');
    expect((await client.webhooks.list()).data).toHaveLength(1);
    await client.webhooks.delete(webhook.webhookId!);

    const summary = await client.summaries.create({ videoId: video.videoId });
    const source = await client.summaries.update(summary.summaryId!, { _abstract: 'A clip.', takeaways: ['Short.'] });
    expect(source).toMatchObject({ _abstract: 'A clip.', takeaways: ['Short.'] });
    expect((await client.summaries.getSummarySource(summary.summaryId!))._abstract).toBe('A clip.');
    await client.summaries.delete(summary.summaryId!);

    await client.videos.delete(video.videoId);
    await expect(client.videos.get(video.videoId)).rejects.toMatchObject({ code: 404 });
    expect((await client.videos.getDiscarded(video.videoId)).discarded).toBe(true);
    expect((await client.videos.listDiscarded()).data.map((v) => v.videoId)).toContain(video.videoId);
    const restored = await client.videos.updateDiscarded(video.videoId, { discarded: false });
    expect(restored.discarded).toBe(false);
    expect((await client.videos.get(video.videoId)).title).toBe('to discard');
  });
});
