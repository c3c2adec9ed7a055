// The Electron window's way to the local sandbox's thumbnails: the app scheme hands app://convoy/thumbnail to
// the proxy (Electron's protocol module injected), which fetches only a video's thumbnail path on a profile's
// loopback server; the page's link (renderer/features/results/links.ts) is one the proxy takes back unchanged.
import { describe, expect, it } from 'vitest';
import type { Protocol } from 'electron';
import { APP_CSP, THUMBNAIL_PROXY_PATH, PAGE_URL, serveAppScheme } from '../../../main/shell/app-scheme';
import { THUMBNAIL_PROXY_PREFIX, thumbnailTarget } from '../../../main/shell/thumbnails';
import { thumbnailSource } from '../../../renderer/features/results/links';
import { scratchDirs } from '../../support/scratch-dirs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const scratch = scratchDirs('thumbnails');
const SANDBOX = 'http://127.0.0.1:41001';
const ID = `vi${'a1B2'.repeat(5)}x9`;
const THUMB = `${SANDBOX}/vod/${ID}/thumbnail.jpg`;
const PRIVATE = `${SANDBOX}/vod/${ID}/token/0f8c2c1e-5b7a-4a59-9f0e-2b1d3c4e5f60/thumbnail.jpg`;
const servers = [SANDBOX, 'https://ws.api.video', 'https://sandbox.api.video'];

/** The proxy's request for a link, as the page makes it in the Electron window. */
const proxied = (link: string) => `${THUMBNAIL_PROXY_PREFIX}${encodeURIComponent(link)}`;
const target = (link: string, method = 'GET') => thumbnailTarget(method, proxied(link), servers);

describe('what the proxy fetches', () => {
  it("a video's thumbnail on a profile's loopback server, public or private", () => {
    expect(target(THUMB)).toEqual({ url: THUMB });
    expect(target(PRIVATE)).toEqual({ url: PRIVATE });
    expect(target(THUMB, 'HEAD')).toEqual({ url: THUMB });
    // A server with a base path: the thumbnail below it.
    expect(
      thumbnailTarget('GET', proxied(`http://localhost:8080/api/vod/${ID}/thumbnail.jpg`), [
        'http://localhost:8080/api/',
      ]),
    ).toEqual({
      url: `http://localhost:8080/api/vod/${ID}/thumbnail.jpg`,
    });
  });

  it('nothing on a server no profile names, nor on a remote one even if a profile names it', () => {
    expect(target(`http://127.0.0.1:41002/vod/${ID}/thumbnail.jpg`)).toEqual({ status: 403 });
    expect(target(`http://localhost:41001/vod/${ID}/thumbnail.jpg`)).toEqual({ status: 403 });
    expect(target(`https://ws.api.video/vod/${ID}/thumbnail.jpg`)).toEqual({ status: 403 });
    expect(target(`https://sandbox.api.video/vod/${ID}/thumbnail.jpg`)).toEqual({ status: 403 });
  });

  it("api.video's own thumbnails: HTTPS on its asset host, the thumbnail path alone", () => {
    const remote = `https://vod.api.video/vod/${ID}/thumbnail.jpg`;
    expect(target(remote)).toEqual({ url: remote });
    expect(target(`https://vod.api.video/vod/${ID}/token/0f8c2c1e-5b7a/thumbnail.jpg`)).toEqual({
      url: `https://vod.api.video/vod/${ID}/token/0f8c2c1e-5b7a/thumbnail.jpg`,
    });
    for (const link of [
      `http://vod.api.video/vod/${ID}/thumbnail.jpg`,
      `https://vod.api.video:8443/vod/${ID}/thumbnail.jpg`,
      `https://vod.api.video.example.com/vod/${ID}/thumbnail.jpg`,
      `https://vod.api.video/vod/${ID}/mp4/source.mp4`,
      `https://vod.api.video/vod/${ID}/thumbnail.jpg?x=1`,
      `https://example.com/vod/${ID}/thumbnail.jpg`,
    ]) {
      expect(target(link), link).toEqual({ status: 403 });
    }
    expect(
      thumbnailTarget('GET', proxied(`http://10.0.0.5:80/vod/${ID}/thumbnail.jpg`), ['http://10.0.0.5:80']),
    ).toEqual({
      status: 403,
    });
  });

  it('nothing but the thumbnail path: no other asset, API route, traversal, query, fragment or credentials', () => {
    for (const link of [
      `${SANDBOX}/vod/${ID}/mp4/source.mp4`,
      `${SANDBOX}/vod/${ID}/hls/manifest.m3u8`,
      `${SANDBOX}/videos/${ID}`,
      `${SANDBOX}/_sandbox/stats`,
      `${SANDBOX}/vod/${ID}/../../_sandbox/stats#/thumbnail.jpg`,
      `${SANDBOX}/vod/${ID}/%2e%2e/%2e%2e/_sandbox/stats`,
      `${SANDBOX}/vod/${ID}%2fthumbnail.jpg`,
      `${SANDBOX}/vod/vi123/thumbnail.jpg`,
      `${SANDBOX}/vod/${ID}/thumbnail.jpg?token=x`,
      `${SANDBOX}/vod/${ID}/thumbnail.jpg#x`,
      `http://user:pass@127.0.0.1:41001/vod/${ID}/thumbnail.jpg`,
      `file:///vod/${ID}/thumbnail.jpg`,
      `ws://127.0.0.1:41001/vod/${ID}/thumbnail.jpg`,
    ]) {
      expect(target(link), link).toEqual({ status: 403 });
    }
  });

  it('refuses a malformed request before looking at any link', () => {
    expect(target(THUMB, 'POST')).toEqual({ status: 405 });
    expect(thumbnailTarget('GET', `app://convoy${THUMBNAIL_PROXY_PATH}`, servers)).toEqual({ status: 400 });
    expect(thumbnailTarget('GET', `${proxied(THUMB)}&src=${encodeURIComponent(THUMB)}`, servers)).toEqual({
      status: 400,
    });
    expect(thumbnailTarget('GET', `${proxied(THUMB)}&x=1`, servers)).toEqual({ status: 400 });
    expect(thumbnailTarget('GET', `${THUMBNAIL_PROXY_PREFIX}not%20a%20url`, servers)).toEqual({ status: 400 });
  });
});

describe("the page's thumbnail link", () => {
  it('goes through the proxy for a loopback server when the app names one, straight otherwise', () => {
    expect(thumbnailSource(THUMB, THUMBNAIL_PROXY_PREFIX)).toBe(proxied(THUMB));
    expect(thumbnailTarget('GET', thumbnailSource(PRIVATE, THUMBNAIL_PROXY_PREFIX), servers)).toEqual({
      url: PRIVATE,
    });
    // api.video's own thumbnails too: the window's page reaches no server itself.
    const remote = `https://vod.api.video/vod/${ID}/thumbnail.jpg`;
    expect(thumbnailSource(remote, THUMBNAIL_PROXY_PREFIX)).toBe(proxied(remote));
    expect(thumbnailTarget('GET', thumbnailSource(remote, THUMBNAIL_PROXY_PREFIX), servers)).toEqual({ url: remote });
    // Browser mode: no proxy, the link itself (its policy takes loopback images).
    expect(thumbnailSource(THUMB, undefined)).toBe(THUMB);
    expect(thumbnailSource('not a url', THUMBNAIL_PROXY_PREFIX)).toBe('not a url');
  });
});

describe('the app scheme with the proxy', () => {
  /** Electron's protocol module, injected: keeps the handler the shell registers. */
  function fakeProtocol() {
    const handlers = new Map<string, (request: Request) => Response | Promise<Response>>();
    const protocol = {
      handle: (scheme: string, handler: (request: Request) => Response | Promise<Response>) => {
        handlers.set(scheme, handler);
      },
    } as unknown as Pick<Protocol, 'handle'>;
    return { protocol, answer: (url: string) => Promise.resolve(handlers.get('app')!(new Request(url))) };
  }

  function rendererFolder(): string {
    const root = join(scratch(), 'renderer');
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><html><head></head></html>');
    writeFileSync(join(root, 'thumbnail'), 'a file of that name is never what answers');
    return root;
  }

  it('hands the thumbnail path to the proxy and everything else to the renderer folder', async () => {
    const { protocol, answer } = fakeProtocol();
    const asked: string[] = [];
    serveAppScheme(protocol, rendererFolder(), async (request) => {
      asked.push(request.url);
      return new Response('image', { status: 200, headers: { 'Content-Type': 'image/jpeg' } });
    });
    expect(await (await answer(proxied(THUMB))).text()).toBe('image');
    expect(asked).toEqual([proxied(THUMB)]);
    const page = await answer(PAGE_URL);
    expect([page.status, page.headers.get('content-security-policy')]).toEqual([200, APP_CSP]);
    // Only that exact path of the app's own host.
    expect((await answer(`app://convoy${THUMBNAIL_PROXY_PATH}/x?src=1`)).status).toBe(404);
    expect((await answer(`app://other${THUMBNAIL_PROXY_PATH}?src=1`)).status).toBe(404);
    expect(asked).toHaveLength(1);
  });

  it('without a proxy, answers the path from the folder like any other', async () => {
    const { protocol, answer } = fakeProtocol();
    serveAppScheme(protocol, rendererFolder());
    expect(await (await answer(proxied(THUMB))).text()).toBe('a file of that name is never what answers');
  });

  it('keeps the policy to the app itself: images from app://convoy and data: only, no web origin', () => {
    expect(APP_CSP).toContain('img-src app://convoy data:;');
    expect(APP_CSP).not.toMatch(/https?:/);
  });
});
