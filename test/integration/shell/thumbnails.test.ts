// The Electron window's local-sandbox thumbnails over real HTTP: the core's embedded sandbox holds a real clip, and
// app://convoy/thumbnail brings its thumbnail (public, and a private video's uploaded PNG), while a server no
// profile names, a non-image, an image over the cap and a redirect are refused.
import { mkdtempSync, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCore, type Core } from '../../../main/core';
import { THUMBNAIL_PROXY_PREFIX, thumbnailResponse } from '../../../main/shell/thumbnails';
import { startLocalServer, type LocalServer } from '../../support/local-server';
import { makeImage, videoWithClip, type SandboxAccess } from '../sandbox/api-media';

let dataDir: string;
let core: Core;
let sandbox: SandboxAccess;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'convoy-thumbnails-'));
  core = await startCore({
    dataDir,
    platform: { mode: 'electron', secretCipher: null, thumbnailProxy: THUMBNAIL_PROXY_PREFIX },
    version: '0.0.0-test',
    sandboxTestControls: true,
  });
  const { url, apiKey } = core.sandbox;
  sandbox = {
    url,
    basicAuth: `Basic ${Buffer.from(`${apiKey}:`).toString('base64')}`,
    async advanceClock(seconds) {
      await fetch(`${url}/_sandbox/clock`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ advanceSeconds: seconds }),
      });
    },
  };
});
afterAll(async () => {
  await core?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The profiles' servers, as the shell gives them to the scheme. */
const profileServers = () => core.vault.list().profiles.map((profile) => profile.environment.baseUrl);

/** The page's request for `link`: what it loads in the Electron window (the proxy the app's info names). */
function pageRequest(link: string, method = 'GET'): Request {
  return new Request(`${core.info().thumbnailProxy}${encodeURIComponent(link)}`, { method });
}

async function bytesOf(reply: Response): Promise<Buffer> {
  return Buffer.from(await reply.arrayBuffer());
}

describe('local-sandbox thumbnails in the Electron window', () => {
  it("brings a real clip's thumbnail from the embedded sandbox, as the sandbox serves it", async () => {
    expect(core.info().thumbnailProxy).toBe('app://convoy/thumbnail?src=');
    const video = await videoWithClip(sandbox, { title: 'harbour' });
    const link: string = video.assets.thumbnail;
    expect(new URL(link).origin).toBe(new URL(core.sandbox.url).origin);

    const reply = await thumbnailResponse(pageRequest(link), { servers: profileServers });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('image/jpeg');
    expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
    const direct = await fetch(link);
    expect((await bytesOf(reply)).equals(await bytesOf(direct))).toBe(true);

    const head = await thumbnailResponse(pageRequest(link, 'HEAD'), { servers: profileServers });
    expect([head.status, head.body, head.headers.get('content-type')]).toEqual([200, null, 'image/jpeg']);
    // Unknown to the sandbox: its 404 passes through, with no body.
    const unknown = link.replace(video.videoId, `vi${'Q'.repeat(22)}`);
    const missing = await thumbnailResponse(pageRequest(unknown), { servers: profileServers });
    expect([missing.status, await missing.text()]).toEqual([404, '']);
  });

  it("brings a private video's uploaded PNG through its private token", async () => {
    const video = await videoWithClip(sandbox, { title: 'private', public: false });
    const png = await makeImage('png', { color: 'purple', width: 32, height: 18 });
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(png.bytes)]), 'poster.png');
    const uploaded = await fetch(`${sandbox.url}/videos/${video.videoId}/thumbnail`, {
      method: 'POST',
      headers: { Authorization: sandbox.basicAuth },
      body: form,
    });
    const link = ((await uploaded.json()) as { assets: { thumbnail: string } }).assets.thumbnail;
    expect(link).toMatch(/\/token\/[0-9a-f-]{36}\/thumbnail\.jpg$/);
    const reply = await thumbnailResponse(pageRequest(link), { servers: profileServers });
    expect(reply.headers.get('content-type')).toBe('image/png');
    expect((await bytesOf(reply)).equals(png.bytes)).toBe(true);
  });

  it('holds to the cap: a real thumbnail over it is refused', async () => {
    const video = await videoWithClip(sandbox, { title: 'capped' });
    const link: string = video.assets.thumbnail;
    const size = (await bytesOf(await fetch(link))).length;
    const over = await thumbnailResponse(pageRequest(link), { servers: profileServers, maxBytes: size - 1 });
    expect([over.status, await over.text()]).toEqual([502, '']);
    const at = await thumbnailResponse(pageRequest(link), { servers: profileServers, maxBytes: size });
    expect(at.status).toBe(200);
  });
});

describe('a loopback server that misbehaves', () => {
  let other: LocalServer;
  const seen: string[] = [];
  let jpeg: Buffer;
  const path = `/vod/vi${'A'.repeat(22)}/thumbnail.jpg`;

  beforeAll(async () => {
    jpeg = await bytesOf(await fetch((await videoWithClip(sandbox, { title: 'real' })).assets.thumbnail));
    other = await startLocalServer((req, res) => {
      seen.push(req.url ?? '');
      res.end();
    });
  });
  afterAll(async () => other?.close());

  /** A server whose reply at the thumbnail path is `reply`, named as a profile's server for one request. */
  async function through(reply: (res: ServerResponse) => void, maxBytes?: number): Promise<Response> {
    const server = await startLocalServer((req, res) => reply(res));
    try {
      return await thumbnailResponse(pageRequest(`${server.url}${path}`), {
        servers: () => [server.url],
        ...(maxBytes ? { maxBytes } : {}),
      });
    } finally {
      await server.close();
    }
  }

  it('is not asked at all when no profile names it', async () => {
    const reply = await thumbnailResponse(pageRequest(`${other.url}${path}`), { servers: profileServers });
    expect(reply.status).toBe(403);
    expect(seen).toEqual([]);
  });

  it('refuses what is not an image, an image whose bytes say otherwise, and one over the cap', async () => {
    const html = await through((res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<script>alert(1)</script>');
    });
    expect(html.status).toBe(502);
    const lying = await through((res) => {
      res.writeHead(200, { 'Content-Type': 'image/jpeg' });
      res.end('<svg onload="alert(1)"/>');
    });
    expect(lying.status).toBe(502);
    const huge = await through((res) => {
      res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': String(9 * 1024 * 1024) });
      res.write(jpeg);
      res.destroy();
    });
    expect(huge.status).toBe(502);
    // Sent in chunks with no length: counted as it comes, and cut off at the cap.
    const chunked = (res: ServerResponse) => {
      res.writeHead(200, { 'Content-Type': 'image/jpeg' });
      res.write(jpeg.subarray(0, 100));
      res.end(jpeg.subarray(100));
    };
    expect((await through(chunked, jpeg.length - 1)).status).toBe(502);
    expect((await through(chunked, jpeg.length)).status).toBe(200);
    const good = await through((res) => {
      res.writeHead(200, { 'Content-Type': 'image/jpeg; charset=binary' });
      res.end(jpeg);
    });
    expect(good.status).toBe(200);
    expect((await bytesOf(good)).equals(jpeg)).toBe(true);
  });

  it('follows no redirect, not even to a thumbnail it would serve', async () => {
    const redirected = await through((res) => {
      res.writeHead(302, { Location: `${core.sandbox.url}${path}` });
      res.end();
    });
    expect([redirected.status, await redirected.text()]).toEqual([502, '']);
  });
});
