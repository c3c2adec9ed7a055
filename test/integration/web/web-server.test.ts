// Browser mode's server over real HTTP and WebSocket: serves the renderer with a strict CSP, refuses
// path tricks, admits only clients with the launch secret from its own origin, and carries events.
import { mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { EventBus } from '../../../main/bridge/events';
import { createRouter, type HandlerMap } from '../../../main/bridge/router';
import { startWebServer, type RunningWebServer } from '../../../main/web/server';

let dir: string;
let server: RunningWebServer;
const events = new EventBus();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'convoy-web-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><meta http-equiv="Content-Security-Policy" content="default-src 'self'; connect-src 'self'"><title>Convoy</title>`,
  );
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(tmpdir(), 'convoy-outside.txt'), 'outside');
  const handlers = { 'app.info': () => ({ version: '9.9.9', mode: 'browser' }) } as unknown as HandlerMap;
  server = await startWebServer({ rendererDir: dir, router: createRouter(handlers), events });
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function rawGet(path: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function connect(protocols: string[], origin: string): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/bridge`, protocols, { origin });
    ws.on('open', () => resolve(ws));
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
  });
}

describe('browser-mode server', () => {
  it('serves the renderer with a strict Content-Security-Policy', async () => {
    const res = await rawGet('/');
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>Convoy</title>');
    // The page's meta policy is opened exactly for the bridge back to this server, nothing else.
    expect(res.body).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}"`);
    expect(String(res.headers['content-security-policy'])).toContain("script-src 'self'");
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

  it('refuses a client without the secret or from another origin', async () => {
    const origin = `http://127.0.0.1:${server.port}`;
    expect(await connect(['convoy'], origin)).toBe(401);
    expect(await connect(['convoy', 'k.nope'], origin)).toBe(401);
    expect(await connect(['convoy', `k.${server.secret}`], 'http://localhost.evil.test')).toBe(403);
  });

  it('answers requests and pushes events to an admitted client', async () => {
    const ws = (await connect(['convoy', `k.${server.secret}`], `http://127.0.0.1:${server.port}`)) as WebSocket;
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
