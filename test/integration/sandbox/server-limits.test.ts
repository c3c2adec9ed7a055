// The sandbox under abuse (#14): slow-loris headers, a trickled body and idle connections are closed within their
// timeouts, connections past the cap are refused, a foreign Host is refused (DNS rebinding), an oversized JSON body
// gets a 413 problem rather than a reset.
import { connect, type Socket } from 'node:net';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';

const LIMITS = { headersTimeoutMs: 600, requestTimeoutMs: 1500, idleTimeoutMs: 800, maxConnections: 6 };
let sb: TestSandbox;

beforeAll(async () => {
  sb = await startTestSandbox({ limits: LIMITS });
});
afterAll(async () => {
  await sb.close();
});

const port = () => Number(new URL(sb.url).port);

function open(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port(), '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Milliseconds until the server closes `socket`, and what it wrote before. */
function closedAfter(socket: Socket, started: number): Promise<{ ms: number; text: string }> {
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  socket.on('error', () => {});
  return new Promise((resolve) => socket.once('close', () => resolve({ ms: Date.now() - started, text })));
}

/** A GET with the raw Host header given (undefined: none at all), answered with its status and body. */
function getWithHost(host: string | undefined): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: port(), path: '/videos', headers: { Authorization: sb.basicAuth } },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    if (host === undefined) req.removeHeader('Host');
    else req.setHeader('Host', host);
    req.on('error', reject);
    req.end();
  });
}

describe('slow and idle connections', () => {
  it('closes a slow-loris connection whose headers never finish, within the headers timeout', async () => {
    const socket = await open();
    const started = Date.now();
    const closed = closedAfter(socket, started);
    socket.write('GET /videos HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const drip = setInterval(() => socket.writable && socket.write('X-Slow: a\r\n'), 200);
    const { ms, text } = await closed;
    clearInterval(drip);
    expect(ms).toBeGreaterThanOrEqual(LIMITS.headersTimeoutMs - 50);
    expect(ms).toBeLessThan(LIMITS.headersTimeoutMs + 1500);
    expect(text).toMatch(/^HTTP\/1\.1 408/);
    expect(text).toContain('request-timeout');
  });

  it('closes a connection whose body trickles in, within the request timeout', async () => {
    const socket = await open();
    const started = Date.now();
    const closed = closedAfter(socket, started);
    socket.write(
      `POST /videos HTTP/1.1\r\nHost: 127.0.0.1:${port()}\r\nAuthorization: ${sb.basicAuth}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{',
    );
    const drip = setInterval(() => socket.writable && socket.write(' '), 100);
    const { ms } = await closed;
    clearInterval(drip);
    expect(ms).toBeGreaterThanOrEqual(LIMITS.requestTimeoutMs - 50);
    expect(ms).toBeLessThan(LIMITS.requestTimeoutMs + 1500);
  });

  it('closes a connection whose body stops, within the idle timeout (before the request timeout)', async () => {
    const socket = await open();
    const started = Date.now();
    const closed = closedAfter(socket, started);
    socket.write(
      `POST /videos HTTP/1.1\r\nHost: 127.0.0.1:${port()}\r\nAuthorization: ${sb.basicAuth}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"ti',
    );
    const { ms } = await closed;
    expect(ms).toBeGreaterThanOrEqual(LIMITS.idleTimeoutMs - 50);
    expect(ms).toBeLessThan(LIMITS.requestTimeoutMs);
  });

  it('closes a connection that never sends a request, within the headers timeout', async () => {
    const socket = await open();
    const { ms } = await closedAfter(socket, Date.now());
    expect(ms).toBeLessThan(LIMITS.headersTimeoutMs + 1500);
  });

  it('refuses connections past the cap and serves again once they close', async () => {
    const held = await Promise.all(Array.from({ length: LIMITS.maxConnections }, open));
    const extra = await open();
    const { text } = await closedAfter(extra, Date.now());
    expect(text).toBe('');
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await fetch(`${sb.url}/videos`, { headers: { Authorization: sb.basicAuth } })).status).toBe(200);
  });
});

describe('Host allow-list', () => {
  it('serves the loopback names of its own port and refuses any other Host with a problem', async () => {
    for (const host of [`127.0.0.1:${port()}`, `localhost:${port()}`, `[::1]:${port()}`, `LOCALHOST:${port()}`])
      expect((await getWithHost(host)).status, host).toBe(200);
    for (const host of [
      `evil.example:${port()}`,
      `127.0.0.1:${port() + 1}`,
      '127.0.0.1',
      `rebind.127.0.0.1.nip.io:${port()}`,
    ]) {
      const reply = await getWithHost(host);
      expect(reply.status, host).toBe(403);
      expect(JSON.parse(reply.body)).toMatchObject({
        type: 'https://docs.api.video/reference/host-not-allowed',
        status: 403,
        detail: expect.stringContaining(`http://127.0.0.1:${port()}`),
      });
    }
  });
});

describe('oversized JSON bodies', () => {
  const big = JSON.stringify({ title: 'x'.repeat(2 * 1024 * 1024) });

  it('answers 413 with a problem for a declared length past 1 MiB', async () => {
    const reply = await fetch(`${sb.url}/videos`, {
      method: 'POST',
      headers: { Authorization: sb.basicAuth, 'Content-Type': 'application/json' },
      body: big,
    });
    expect(reply.status).toBe(413);
    expect(await reply.json()).toMatchObject({
      type: 'https://docs.api.video/reference/payload-too-large',
      status: 413,
    });
  });

  it('answers 413 for a chunked body that grows past 1 MiB, instead of resetting the connection', async () => {
    const reply = await fetch(`${sb.url}/videos`, {
      method: 'POST',
      headers: { Authorization: sb.basicAuth, 'Content-Type': 'application/json' },
      body: new Blob([big]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(reply.status).toBe(413);
    expect(((await reply.json()) as { status: number }).status).toBe(413);
  });
});
