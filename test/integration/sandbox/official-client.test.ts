// Drives the sandbox with the official @api.video/nodejs-client: token management, chunked video upload,
// progressive sessions and delegated (upload-token) uploads, with the bytes checked on the sandbox side.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ApiVideoClient from '@api.video/nodejs-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { videoBytesOf } from './spec';

const MiB = 1024 * 1024;
let sb: TestSandbox;
let client: ApiVideoClient;
let dir: string;

beforeAll(async () => {
  sb = await startTestSandbox();
  client = new ApiVideoClient({ apiKey: sb.apiKey, baseUri: sb.url, chunkSize: 5 * MiB });
  dir = mkdtempSync(join(tmpdir(), 'convoy-client-'));
});
afterAll(async () => {
  await sb.close();
  rmSync(dir, { recursive: true, force: true });
});

interface PartFile {
  path: string;
  bytes: Buffer;
}

/** Files holding consecutive parts of one real video of the parts' total size, in the order given. */
async function videoFilesOf<T extends [size: number, name: string][]>(
  parts: [...T],
): Promise<{ [K in keyof T]: PartFile }> {
  const video = await videoBytesOf(parts.reduce((total, [size]) => total + size, 0));
  let offset = 0;
  return parts.map(([size, name]) => {
    const bytes = video.subarray(offset, (offset += size));
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return { path, bytes };
  }) as { [K in keyof T]: PartFile };
}

async function sourceOf(videoId: string): Promise<Buffer> {
  await sb.advanceClock(10);
  const video = await client.videos.get(videoId);
  return Buffer.from(await (await fetch(video.assets!.mp4!)).arrayBuffer());
}

describe('official Node.js client', () => {
  it('manages upload tokens', async () => {
    const token = await client.uploadTokens.createToken({ ttl: 3600 });
    expect(token.token!).toMatch(/^to[A-Za-z0-9]{22}$/);
    expect(token.expiresAt).toBeInstanceOf(Date);
    const forever = await client.uploadTokens.createToken({ ttl: 0 });
    expect(forever.expiresAt).toBeUndefined();
    const listed = await client.uploadTokens.list({ sortBy: 'ttl', sortOrder: 'desc' });
    expect(listed.data.map((t) => t.token)).toEqual([token.token, forever.token]);
    expect((await client.uploadTokens.getToken(token.token!)).ttl).toBe(3600);
    await client.uploadTokens.deleteToken(token.token!);
    await expect(client.uploadTokens.getToken(token.token!)).rejects.toMatchObject({ code: 404 });
  });

  it('exchanges the key for an access token', async () => {
    const token = await client.getAccessToken();
    expect(token.expiresIn).toBe(3600);
    expect(token.tokenType).toBe('Bearer');
  });

  it('uploads a video in chunks (Content-Range part n/total)', async () => {
    const [{ path, bytes }] = await videoFilesOf([[11 * MiB + 17, 'chunked.mp4']]);
    const video = await client.videos.create({
      title: 'chunked',
      tags: ['client'],
      metadata: [{ key: 'k', value: 'v' }],
    });
    const uploaded = await client.videos.upload(video.videoId, path);
    expect(uploaded.videoId).toBe(video.videoId);
    const status = await client.videos.getStatus(video.videoId);
    expect(status.ingest?.receivedParts?.parts).toEqual([1, 2, 3]);
    expect((await sourceOf(video.videoId)).equals(bytes)).toBe(true);
    expect((await client.videos.getStatus(video.videoId)).encoding?.playable).toBe(true);
    const found = await client.videos.list({ metadata: { k: 'v' }, tags: ['client'] });
    expect(found.data.map((v) => v.videoId)).toContain(video.videoId);
  });

  it('uploads with a progressive session (part n/* … N/N)', async () => {
    const video = await client.videos.create({ title: 'progressive' });
    const [a, b] = await videoFilesOf([
      [5 * MiB, 'a.part'],
      [1000, 'b.part'],
    ]);
    const session = client.videos.createUploadProgressiveSession(video.videoId);
    await session.uploadPart(a.path);
    await session.uploadLastPart(b.path);
    expect((await sourceOf(video.videoId)).equals(Buffer.concat([a.bytes, b.bytes]))).toBe(true);
  });

  it('uploads with an upload token, small file in one request', async () => {
    const token = (await client.uploadTokens.createToken({ ttl: 600 })).token!;
    const [{ path, bytes }] = await videoFilesOf([[2 * MiB, 'delegated.mp4']]);
    const video = await client.videos.uploadWithUploadToken(token, path);
    expect(video.title).toBe('delegated.mp4');
    expect((await sourceOf(video.videoId)).equals(bytes)).toBe(true);
  });

  it('uploads with an upload token in chunks through a progressive token session (videoId carried)', async () => {
    const token = (await client.uploadTokens.createToken({ ttl: 600 })).token!;
    const [a, b, c] = await videoFilesOf([
      [5 * MiB, 'ta.part'],
      [5 * MiB, 'tb.part'],
      [10, 'tc.part'],
    ]);
    const session = client.videos.createUploadWithUploadTokenProgressiveSession(token);
    const first = await session.uploadPart(a.path);
    await session.uploadPart(b.path);
    const last = await session.uploadLastPart(c.path);
    expect(last.videoId).toBe(first.videoId);
    expect((await sourceOf(first.videoId)).equals(Buffer.concat([a.bytes, b.bytes, c.bytes]))).toBe(true);
  });

  it('documents the client bug #216: chunked uploadWithUploadToken omits videoId, so each chunk makes a video', async () => {
    await sb.reset();
    const token = (await client.uploadTokens.createToken({ ttl: 600 })).token!;
    const [{ path }] = await videoFilesOf([[11 * MiB, 'split.mp4']]);
    const before = (await sb.stats()).videos;
    await client.videos.uploadWithUploadToken(token, path).catch(() => undefined);
    expect((await sb.stats()).videos - before).toBeGreaterThan(1);
  });
});
