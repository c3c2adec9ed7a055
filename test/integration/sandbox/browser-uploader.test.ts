// api.video's official browser uploader (@api.video/video-uploader, run unchanged) in real Chromium, from a page on
// another loopback origin: every request it makes is cross-origin with Authorization, Content-Range and
// AV-Origin-* headers, so each mode works only when the sandbox answers the preflights. Each mode sends a real clip
// and must see onPlayable, and the sandbox must hold the clip's exact bytes.
/* eslint-disable @typescript-eslint/no-explicit-any -- the uploader is a UMD bundle on the page's window, untyped there; replies are plain JSON */
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxForFile } from '../../support/sandbox';
import { makeClip } from '../../support/media-clips';

const sb = sandboxForFile();
const MiB = 1024 * 1024;
const CHROMIUM = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
const uploaderScript = readFileSync(createRequire(import.meta.url).resolve('@api.video/video-uploader'), 'utf8');

const dir = mkdtempSync(join(tmpdir(), 'convoy-browser-uploader-'));
const clips: Record<string, Buffer> = {};
let pageServer: Server;
let pageOrigin = '';
let browser: Browser;
let page: Page;

/**
 * The page: the uploader's UMD bundle as published, and the clips. The uploader always builds `https://` URLs from
 * `apiHost`; the page maps that scheme to the sandbox's plain http before XMLHttpRequest opens, and nothing else.
 */
function servePage(sandboxUrl: string): Promise<void> {
  const sandboxHost = new URL(sandboxUrl).host;
  const html = `<!doctype html><meta charset="utf-8"><title>uploader</title><script>
    const open = XMLHttpRequest.prototype.open;
    XMLHttpRequest.prototype.open = function (method, url, ...rest) {
      return open.call(this, method, String(url).replace('https://${sandboxHost}/', 'http://${sandboxHost}/'), ...rest);
    };
  </script><script src="/uploader.js"></script>`;
  pageServer = createServer((req, res) => {
    const clip = /^\/clips\/(\w+)$/.exec(req.url ?? '');
    if (req.url === '/') res.setHeader('Content-Type', 'text/html').end(html);
    else if (req.url === '/uploader.js') res.setHeader('Content-Type', 'text/javascript').end(uploaderScript);
    else if (clip && clips[clip[1]!]) res.setHeader('Content-Type', 'video/mp4').end(clips[clip[1]!]);
    else res.writeHead(404).end();
  });
  return new Promise((resolve) =>
    pageServer.listen(0, '127.0.0.1', () => {
      // localhost, not 127.0.0.1: another host and another port than the sandbox, so every call is cross-origin.
      pageOrigin = `http://localhost:${(pageServer.address() as AddressInfo).port}`;
      resolve();
    }),
  );
}

beforeAll(async () => {
  const small = await makeClip(dir, { container: 'mp4', seconds: 1, width: 320, height: 180 });
  const large = await makeClip(dir, { container: 'mp4', seconds: 1.2, width: 640, height: 360, minBytes: 11 * MiB });
  clips.small = readFileSync(small);
  clips.large = readFileSync(large);
  await servePage(sb().url);
  browser = await chromium.launch({
    ...(CHROMIUM ? { executablePath: CHROMIUM } : {}),
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  page = await browser.newPage();
  page.on('pageerror', (error) => console.error('page error:', error));
  await page.goto(pageOrigin + '/');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (pageServer) await new Promise((resolve) => pageServer.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

interface UploadMode {
  kind: 'video' | 'progressive';
  /** a key of `clips` */
  clip: string;
  apiHost: string;
  /** uploadToken, or accessToken (+ refreshToken) and videoId, or apiKey and videoId */
  credentials: Record<string, string>;
  chunkSize?: number;
  /** progressive: the first part's size; the rest is the last part */
  partSize?: number;
}

interface Outcome {
  videoId: string;
  playableId: string;
  progress: number;
}

/**
 * Runs one upload in the page: `mode` picks the uploader and its credentials. Resolves once onPlayable fired;
 * meanwhile the sandbox clock is moved on so that encoding ends without waiting in real time.
 */
async function uploadInPage(mode: UploadMode): Promise<Outcome> {
  const clock = setInterval(
    () =>
      void sb()
        .advanceClock(5)
        .catch(() => {}),
    300,
  );
  try {
    return await page.evaluate(async (args) => {
      const { VideoUploader, ProgressiveUploader } = (window as any).VideoUploader
        ? (window as any)
        : (window as any).apiVideoUploader;
      const bytes = await (await fetch(`/clips/${args.clip}`)).blob();
      const file = new File([bytes], 'clip.mp4', { type: 'video/mp4' });
      const common = {
        apiHost: args.apiHost,
        retries: 1,
        origin: { application: { name: 'convoy-test', version: '1.0.0' } },
      };
      let progress = 0;
      const playable = new Promise<string>((resolve) => {
        (window as any).lastPlayable = resolve;
      });
      let video: { videoId: string };
      if (args.kind === 'progressive') {
        const uploader = new ProgressiveUploader({ ...common, ...args.credentials });
        uploader.onProgress(() => (progress += 1));
        uploader.onPlayable((v: { videoId: string }) => (window as any).lastPlayable(v.videoId));
        await uploader.uploadPart(file.slice(0, args.partSize));
        video = await uploader.uploadLastPart(file.slice(args.partSize));
      } else {
        const uploader = new VideoUploader({ ...common, ...args.credentials, file, chunkSize: args.chunkSize });
        uploader.onProgress(() => (progress += 1));
        uploader.onPlayable((v: { videoId: string }) => (window as any).lastPlayable(v.videoId));
        video = await uploader.upload();
      }
      const playableId = await playable;
      return { videoId: video.videoId, playableId, progress };
    }, mode);
  } finally {
    clearInterval(clock);
  }
}

async function json(path: string, init: RequestInit = {}): Promise<any> {
  const reply = await fetch(sb().url + path, {
    ...init,
    headers: { Authorization: sb().basicAuth, 'Content-Type': 'application/json', ...init.headers },
  });
  expect(reply.ok, `${path}: ${reply.status}`).toBe(true);
  return reply.json();
}

/** The sandbox holds exactly the clip, encoded from a real video. */
async function expectStored(videoId: string, clip: Buffer): Promise<void> {
  const video = await json(`/videos/${videoId}`);
  const stored = Buffer.from(await (await fetch(video.assets.mp4)).arrayBuffer());
  expect(stored.equals(clip)).toBe(true);
  expect((await json(`/videos/${videoId}/status`)).encoding.playable).toBe(true);
}

const apiHost = () => new URL(sb().url).host;

describe('@api.video/video-uploader in Chromium, from another origin', () => {
  it('uploads with an upload token in one request, and sees onPlayable', async () => {
    const { token } = await json('/upload-tokens', { method: 'POST', body: '{}' });
    const outcome = await uploadInPage({
      kind: 'video',
      clip: 'small',
      apiHost: apiHost(),
      credentials: { uploadToken: token },
    });
    expect(outcome.playableId).toBe(outcome.videoId);
    await expectStored(outcome.videoId, clips.small!);
  }, 60_000);

  it('uploads with an upload token in 5 MiB chunks, and sees onPlayable', async () => {
    const { token } = await json('/upload-tokens', { method: 'POST', body: '{}' });
    const outcome = await uploadInPage({
      kind: 'video',
      clip: 'large',
      apiHost: apiHost(),
      chunkSize: 5 * MiB,
      credentials: { uploadToken: token },
    });
    expect(outcome.playableId).toBe(outcome.videoId);
    expect((await json(`/videos/${outcome.videoId}/status`)).ingest.receivedParts.parts).toEqual([1, 2, 3]);
    await expectStored(outcome.videoId, clips.large!);
  }, 60_000);

  it('uploads progressively with an upload token (part n/* … N/N), and sees onPlayable', async () => {
    const { token } = await json('/upload-tokens', { method: 'POST', body: '{}' });
    const outcome = await uploadInPage({
      kind: 'progressive',
      clip: 'large',
      apiHost: apiHost(),
      partSize: 6 * MiB,
      credentials: { uploadToken: token },
    });
    expect(outcome.playableId).toBe(outcome.videoId);
    expect((await json(`/videos/${outcome.videoId}/status`)).ingest.receivedParts).toEqual({ parts: [1, 2], total: 2 });
    await expectStored(outcome.videoId, clips.large!);
  }, 60_000);

  it('uploads in chunks with an expired access token, refreshing it (JSON sent as text/plain)', async () => {
    const video = await json('/videos', { method: 'POST', body: JSON.stringify({ title: 'bearer' }) });
    const login = await (
      await fetch(`${sb().url}/auth/api-key`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ apiKey: sb().apiKey }),
      })
    ).json();
    const outcome = await uploadInPage({
      kind: 'video',
      clip: 'large',
      apiHost: apiHost(),
      chunkSize: 5 * MiB,
      // Not a token the sandbox issued: the first chunk gets a 401, and the uploader refreshes.
      credentials: { accessToken: 'expired.access.token', refreshToken: login.refresh_token, videoId: video.videoId },
    });
    expect(outcome).toMatchObject({ videoId: video.videoId, playableId: video.videoId });
    await expectStored(video.videoId, clips.large!);
  }, 60_000);

  it('uploads a progressive session with an API key into an existing video', async () => {
    const video = await json('/videos', { method: 'POST', body: JSON.stringify({ title: 'api key' }) });
    const outcome = await uploadInPage({
      kind: 'progressive',
      clip: 'large',
      apiHost: apiHost(),
      partSize: 5 * MiB,
      credentials: { apiKey: sb().apiKey, videoId: video.videoId },
    });
    expect(outcome).toMatchObject({ videoId: video.videoId, playableId: video.videoId });
    await expectStored(video.videoId, clips.large!);
  }, 60_000);
});
