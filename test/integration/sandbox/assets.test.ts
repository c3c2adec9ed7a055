// The sandbox CDN's thumbnail.jpg and HLS assets: 404 problems until the upload is complete, then a JPEG that decodes
// (jpeg-decode.ts) and an RFC 8216 media playlist whose segments add up to the uploaded bytes; private tokens single-use.
/* eslint-disable @typescript-eslint/no-explicit-any -- video bodies are schema-checked by spec.ts */
import { describe, expect, it } from 'vitest';
import { sandboxForFile } from '../../support/sandbox';
import { api, createVideoOn, form, videoBytesOf } from './spec';
import { decodeJpeg } from './jpeg-decode';

const MiB = 1024 * 1024;
const sb = sandboxForFile();

const auth = () => ({ Authorization: sb().basicAuth });

const createVideo = (payload?: Record<string, unknown>): Promise<any> => createVideoOn(sb(), payload);

async function upload(videoId: string, bytes: Buffer, range?: string): Promise<any> {
  const result = await api(`${sb().url}/videos/${videoId}/source`, {
    method: 'POST',
    template: '/videos/{videoId}/source',
    headers: { ...auth(), ...(range ? { 'Content-Range': range } : {}) },
    body: form(bytes),
  });
  expect(result.status).toBe(201);
  return result.body;
}

async function assetsOf(videoId: string): Promise<any> {
  return (await api(`${sb().url}/videos/${videoId}`, { method: 'GET', template: '/videos/{videoId}', headers: auth() }))
    .body.assets;
}

async function expectNotFound(url: string): Promise<void> {
  const reply = await fetch(url);
  expect(reply.status, url).toBe(404);
  expect(reply.headers.get('content-type')).toBe('application/json');
  expect(await reply.json()).toMatchObject({
    type: 'https://docs.api.video/reference/resource-not-found',
    title: 'The requested resource was not found.',
    status: 404,
  });
}

interface Playlist {
  tags: Map<string, string>;
  segments: { seconds: number; uri: string }[];
  lines: string[];
}

/** Parses a media playlist strictly enough to fail on the mistakes RFC 8216 forbids. */
function parsePlaylist(text: string): Playlist {
  const lines = text.split('\n').filter((line) => line !== '');
  expect(lines[0]).toBe('#EXTM3U');
  const tags = new Map<string, string>();
  const segments: Playlist['segments'] = [];
  let pending: number | null = null;
  for (const line of lines.slice(1)) {
    const extinf = /^#EXTINF:(\d+(?:\.\d+)?),/.exec(line);
    if (extinf) {
      expect(pending, 'two #EXTINF without a URI between').toBeNull();
      pending = Number(extinf[1]);
    } else if (line.startsWith('#')) {
      const [name, value = ''] = line.split(/:(.*)/s);
      tags.set(name!, value);
    } else {
      expect(pending, `URI ${line} without #EXTINF`).not.toBeNull();
      segments.push({ seconds: pending!, uri: line });
      pending = null;
    }
  }
  return { tags, segments, lines };
}

describe('thumbnail.jpg', () => {
  it('answers 404 before the upload is complete and for an unknown video, then a 160×90 JPEG that decodes', async () => {
    await expectNotFound(`${sb().url}/vod/viUnknownUnknownUnknown00/thumbnail.jpg`);
    const video = await createVideo();
    await expectNotFound(video.assets.thumbnail);
    const bytes = await videoBytesOf(5 * MiB + 10);
    await upload(video.videoId, bytes.subarray(0, 5 * MiB), 'part 1/2');
    await expectNotFound(video.assets.thumbnail);
    await upload(video.videoId, bytes.subarray(5 * MiB), 'part 2/2');

    const reply = await fetch(video.assets.thumbnail);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('image/jpeg');
    const jpeg = Buffer.from(await reply.arrayBuffer());
    expect(Number(reply.headers.get('content-length'))).toBe(jpeg.length);
    expect(jpeg.length).toBeLessThan(4096);
    const image = decodeJpeg(jpeg);
    expect([image.width, image.height]).toEqual([160, 90]);
    const pixel = (x: number, y: number) => [...image.rgb.subarray((y * 160 + x) * 3, (y * 160 + x) * 3 + 3)];
    expect(Math.min(...pixel(70, 44))).toBeGreaterThan(245); // the white play triangle
    expect(Math.min(...pixel(2, 2))).toBeLessThan(200); // the coloured background
    expect(pixel(2, 2)).not.toEqual(pixel(2, 87)); // a gradient, top to bottom

    const head = await fetch(video.assets.thumbnail, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBe(jpeg.length);
  });

  it("serves a private video's thumbnail once per private token", async () => {
    const video = await createVideo({ title: 'private', public: false });
    await upload(video.videoId, await videoBytesOf(1000));
    const { thumbnail } = await assetsOf(video.videoId);
    expect(thumbnail).toMatch(/\/token\/[0-9a-f-]{36}\/thumbnail\.jpg$/);
    const first = await fetch(thumbnail);
    expect(first.status).toBe(200);
    expect(decodeJpeg(Buffer.from(await first.arrayBuffer())).width).toBe(160);
    await expectNotFound(thumbnail);
  });
});

describe('hls/manifest.m3u8', () => {
  it('answers 404 until the upload is complete, 202 while it encodes, then a VOD media playlist of the source bytes', async () => {
    const video = await createVideo();
    await expectNotFound(video.assets.hls);
    const bytes = await videoBytesOf(5 * MiB + 321);
    await upload(video.videoId, bytes.subarray(0, 5 * MiB), `bytes 0-${5 * MiB - 1}/${bytes.length}`);
    await expectNotFound(video.assets.hls);
    await upload(video.videoId, bytes.subarray(5 * MiB), `bytes ${5 * MiB}-${bytes.length - 1}/${bytes.length}`);
    // Uploaded, not yet playable: the CDN answers 202 with nothing, which clients poll until it changes.
    const pending = await fetch(video.assets.hls);
    expect(pending.status).toBe(202);
    expect(await pending.text()).toBe('');
    await sb().advanceClock(10);

    const reply = await fetch(video.assets.hls);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    const playlist = parsePlaylist(await reply.text());
    expect(playlist.tags.get('#EXT-X-VERSION')).toMatch(/^\d+$/);
    const target = Number(playlist.tags.get('#EXT-X-TARGETDURATION'));
    expect(Number.isInteger(target) && target > 0).toBe(true);
    expect(playlist.tags.get('#EXT-X-PLAYLIST-TYPE')).toBe('VOD');
    expect(playlist.lines.at(-1)).toBe('#EXT-X-ENDLIST');
    expect(playlist.segments.length).toBe(3);
    for (const segment of playlist.segments) expect(Math.round(segment.seconds)).toBeLessThanOrEqual(target);

    const parts: Buffer[] = [];
    for (const segment of playlist.segments) {
      const got = await fetch(new URL(segment.uri, video.assets.hls));
      expect(got.status, segment.uri).toBe(200);
      const body = Buffer.from(await got.arrayBuffer());
      expect(body.length).toBeGreaterThan(0);
      parts.push(body);
    }
    expect(Buffer.concat(parts).equals(bytes)).toBe(true);
    await expectNotFound(new URL('segment-3.mp4', video.assets.hls).href);
  });

  it("opens a private video's playlist once, each segment with a single-use token of its own", async () => {
    const video = await createVideo({ title: 'private', public: false });
    const bytes = await videoBytesOf(3 * MiB);
    await upload(video.videoId, bytes);
    const { hls } = await assetsOf(video.videoId);
    expect(hls).toMatch(/\/token\/[0-9a-f-]{36}\/hls\/manifest\.m3u8$/);
    expect((await fetch(hls)).status).toBe(202); // polling while it encodes does not spend the private token
    await sb().advanceClock(10);
    const playlist = parsePlaylist(await (await fetch(hls)).text());
    await expectNotFound(hls);
    expect(playlist.segments.length).toBe(2);
    const uris = playlist.segments.map((segment) => new URL(segment.uri, hls).href);
    expect(new Set(uris.map((uri) => /\/token\/([^/]+)\//.exec(uri)?.[1])).size).toBe(2);
    const parts = await Promise.all(
      uris.map(async (uri) => {
        const got = await fetch(uri);
        expect(got.status).toBe(200);
        return Buffer.from(await got.arrayBuffer());
      }),
    );
    expect(Buffer.concat(parts).equals(bytes)).toBe(true);
    await expectNotFound(uris[0]!);
  });
});
