// Browser mode's server over real HTTP and WebSocket: serves the renderer with a strict CSP, refuses
// path tricks and other Host names, signs a tab in once per single-use code, admits to the bridge only a
// signed-in client from its own origin, and carries events.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { EventBus } from '../../../main/bridge/events';
import { createRouter, type HandlerMap } from '../../../main/bridge/router';
import { startWebServer, type RunningWebServer } from '../../../main/web/server';
import { removeTempDir, tempDir } from '../../support/temp-dirs';

/** A fresh temp folder holding the renderer folder (`dir`) and, beside it, a file the server must never serve. */
let base: string;
let dir: string;
let server: RunningWebServer;
const events = new EventBus();

beforeAll(async () => {
  base = tempDir('web');
  dir = join(base, 'renderer');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><meta http-equiv="Content-Security-Policy" content="default-src 'self'; connect-src 'self'"><title>Convoy</title>`,
  );
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
  // One level above the renderer folder, where each `..` trick in the test below points.
  writeFileSync(join(dir, '..', 'convoy-outside.txt'), 'outside');
  const handlers = { 'app.info': () => ({ version: '9.9.9', mode: 'browser' }) } as unknown as HandlerMap;
  server = await startWebServer({ rendererDir: dir, router: createRouter(handlers), events });
});

afterAll(async () => {
  await server.close();
  removeTempDir(base);
});

interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function rawRequest(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
  port = server.port,
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers ?? {} },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const rawGet = (path: string, headers: Record<string, string> = {}) => rawRequest(path, { headers });

/** Signs in with a code, as the launch file's form does; returns the reply and the cookie pair to send back. */
async function postCode(code: string, port = server.port): Promise<{ reply: RawReply; cookie: string }> {
  const reply = await rawRequest(
    '/session',
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'null' },
      body: new URLSearchParams({ code }).toString(),
    },
    port,
  );
  const setCookie = [reply.headers['set-cookie'] ?? []].flat()[0] ?? '';
  return { reply, cookie: setCookie.split(';')[0] ?? '' };
}

/** A session cookie, got through a one-time sign-in link. */
async function signedIn(): Promise<string> {
  const link = new URL(server.signInUrl());
  const reply = await rawGet(`${link.pathname}${link.search}`);
  return String([reply.headers['set-cookie']].flat()[0]).split(';')[0]!;
}

function connect(
  origin: string,
  cookie?: string,
  options: { host?: string; port?: number } = {},
): Promise<WebSocket | { status: number; body: string }> {
  return new Promise((resolve) => {
    const port = options.port ?? server.port;
    const headers: Record<string, string> = { ...(cookie ? { Cookie: cookie } : {}) };
    if (options.host) headers.Host = options.host;
    const ws = new WebSocket(`ws://127.0.0.1:${port}/bridge`, ['convoy'], { origin, headers });
    ws.on('open', () => resolve(ws));
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
  });
}

const statusOf = async (attempt: Promise<WebSocket | { status: number }>) => {
  const result = await attempt;
  if (result instanceof WebSocket) {
    result.close();
    return 101;
  }
  return result.status;
};

describe('browser-mode server', () => {
  it('serves the renderer with a strict Content-Security-Policy', async () => {
    const res = await rawGet('/');
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>Convoy</title>');
    // The page's meta policy is opened exactly for the bridge back to this server, nothing else.
    expect(res.body).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}"`);
    expect(String(res.headers['content-security-policy'])).toContain("script-src 'self'");
    // Images alone may come from elsewhere: api.video's thumbnails and the local sandbox's (loopback) ones.
    expect(String(res.headers['content-security-policy'])).toContain(
      "img-src 'self' data: https://*.api.video http://127.0.0.1:* http://localhost:*;",
    );
    expect(String(res.headers['content-security-policy'])).toContain(
      `connect-src 'self' ws://127.0.0.1:${server.port}`,
    );
    expect((await rawGet('/assets/app.js')).headers['content-type']).toMatch(/javascript/);
  });

  it('answers a malformed path with 400 and keeps serving', async () => {
    expect((await rawGet('/%')).status).toBe(400);
    expect((await rawGet('/%E0%A4%A')).status).toBe(400);
    expect((await rawGet('/')).status).toBe(200);
  });

  it('never serves a file outside the renderer folder', async () => {
    for (const path of ['/../convoy-outside.txt', '/%2e%2e/convoy-outside.txt', '/assets/../../convoy-outside.txt']) {
      const res = await rawGet(path);
      expect(res.body).not.toContain('outside');
    }
  });

  it('answers only its own Host names, so a rebound DNS name reaches nothing', async () => {
    expect((await rawGet('/', { Host: `localhost:${server.port}` })).status).toBe(200);
    for (const host of ['evil.example', `evil.example:${server.port}`, `127.0.0.1:${server.port + 1}`]) {
      expect((await rawGet('/', { Host: host })).status).toBe(403);
      expect((await rawGet('/session', { Host: host })).status).toBe(403);
    }
    const cookie = await signedIn();
    const origin = `http://127.0.0.1:${server.port}`;
    expect(await statusOf(connect(origin, cookie, { host: `evil.example:${server.port}` }))).toBe(403);
  });

  it('signs a tab in once per code, with an HttpOnly, SameSite=Strict session cookie', async () => {
    const link = new URL(server.signInUrl());
    expect(link.origin).toBe(server.url);
    const first = await rawGet(`${link.pathname}${link.search}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const setCookie = String([first.headers['set-cookie']].flat()[0]);
    expect(setCookie).toMatch(new RegExp(`^convoy-session-${server.port}=[^;]+; Path=/; HttpOnly; SameSite=Strict$`));
    // The same link again (from history, or from the opener's argv): spent.
    const again = await rawGet(`${link.pathname}${link.search}`);
    expect(again.status).toBe(401);
    expect(again.headers['set-cookie']).toBeUndefined();
    expect((await rawGet('/open?code=made-up')).status).toBe(401);
    expect((await rawGet('/open')).status).toBe(401);
  });

  it('hands the launch file to the owner alone, and deletes it as its code is spent', async () => {
    const parent = tempDir('web-launch');
    try {
      const file = server.writeLaunchFile(parent);
      expect(statSync(file.path).mode & 0o777).toBe(0o600);
      expect(statSync(join(file.path, '..')).mode & 0o777).toBe(0o700);
      expect(file.url).toBe(`file://${file.path}`);
      const code = /name="code" value="([^"]+)"/.exec(readFileSync(file.path, 'utf8'))![1]!;
      expect(readFileSync(file.path, 'utf8')).toContain(`action="${server.url}/session"`);
      const { reply, cookie } = await postCode(code);
      expect(reply.status).toBe(303);
      expect(cookie).toMatch(/^convoy-session-\d+=/);
      expect(existsSync(file.path)).toBe(false);
      expect((await postCode(code)).reply.status).toBe(401);
    } finally {
      removeTempDir(parent);
    }
  });

  it('refuses a sign-in form too big to be one', async () => {
    const reply = await rawRequest('/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `code=${'x'.repeat(10_000)}`,
    }).catch(() => ({ status: -1 }));
    expect([401, -1]).toContain(reply.status);
  });

  it('admits to the bridge only a signed-in client from its own origin', async () => {
    const origin = `http://127.0.0.1:${server.port}`;
    const cookie = await signedIn();
    expect(await statusOf(connect(origin))).toBe(401);
    expect(await statusOf(connect(origin, `convoy-session-${server.port}=made.up.value`))).toBe(401);
    expect(await statusOf(connect('http://localhost.evil.test', cookie))).toBe(403);
    expect(await statusOf(connect(origin, cookie))).toBe(101);
  });

  it('tells an old tab "restarted" apart from "never signed in", on GET /session and on the bridge', async () => {
    const cookie = await signedIn();
    const status = await rawGet('/session', { Cookie: cookie });
    expect(status.status).toBe(200);
    expect(JSON.parse(status.body)).toEqual({ ok: true });
    const none = await rawGet('/session');
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body)).toMatchObject({ ok: false, reason: 'no-session' });

    // Another server on the same port after a restart: the old cookie is recognised as an earlier run's.
    const port = server.port;
    const restarted = await startWebServer({
      rendererDir: dir,
      router: createRouter({} as HandlerMap),
      events,
      port: 0,
    });
    try {
      const oldCookie = cookie.replace(`convoy-session-${port}=`, `convoy-session-${restarted.port}=`);
      const reply = await rawRequest('/session', { headers: { Cookie: oldCookie } }, restarted.port);
      expect(reply.status).toBe(401);
      expect(reply.headers['cache-control']).toBe('no-store');
      const body = JSON.parse(reply.body) as { ok: boolean; reason: string; message: string };
      expect(body).toMatchObject({ ok: false, reason: 'restarted' });
      expect(body.message).toMatch(/Convoy restarted/);
      const refused = await connect(`http://127.0.0.1:${restarted.port}`, oldCookie, { port: restarted.port });
      expect(refused).toMatchObject({ status: 401 });
      expect(JSON.parse((refused as { body: string }).body)).toMatchObject({ reason: 'restarted' });
    } finally {
      await restarted.close();
    }
  });

  it('answers requests and pushes events to an admitted client', async () => {
    const ws = (await connect(`http://127.0.0.1:${server.port}`, await signedIn())) as WebSocket;
    const messages: unknown[] = [];
    const got = (n: number) =>
      new Promise<void>((r) => {
        const check = () => (messages.length >= n ? r() : setTimeout(check, 10));
        check();
      });
    ws.on('message', (m) => messages.push(JSON.parse(String(m))));
    ws.send(JSON.stringify({ id: 7, channel: 'app.info', payload: {} }));
    await got(1);
    expect(messages[0]).toEqual({ id: 7, envelope: { ok: true, value: { version: '9.9.9', mode: 'browser' } } });
    events.emit('app.notice', { level: 'info', message: 'hello' });
    await got(2);
    expect(messages[1]).toEqual({ event: 'app.notice', payload: { level: 'info', message: 'hello' } });
    ws.send('not json');
    await got(3);
    expect(messages[2]).toMatchObject({ envelope: { ok: false, error: { code: 'invalid-payload' } } });
    ws.close();
  });
});
