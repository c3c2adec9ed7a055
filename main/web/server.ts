// Browser mode: serves the built renderer on 127.0.0.1 and carries the bridge contract over a WebSocket. Only this
// server's own Host names are answered; a tab signs in once with a single-use code (POST /session from the launch
// file, or GET /open?code=) and gets a session cookie; the bridge upgrade needs that session and this origin.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import type { Router } from '../bridge/router';
import type { EventBus } from '../bridge/events';
import { isAllowedHost } from '../lib/host-allow';
import { writeLaunchFile, type LaunchFile } from './launch-file';
import { createSessionGate, refusalMessages, type SessionCheck, type SessionRefusalBody } from './session';

export interface WebServerOptions {
  rendererDir: string;
  router: Router;
  events: EventBus;
  port?: number;
  /** Signs sessions; default a random key per process (a restart ends every session). Tests only. */
  sessionKey?: string;
  log?: (line: string) => void;
}

export interface RunningWebServer {
  /** http://127.0.0.1:PORT, which holds no secret. */
  url: string;
  port: number;
  /** A sign-in link, spent on first use and dead after `ttlMs` (default one minute): for a test or a person. */
  signInUrl(ttlMs?: number): string;
  /** A private launch file (see launch-file.ts) whose code is good once, until the server closes; then deleted. */
  writeLaunchFile(parent?: string): LaunchFile;
  close(): Promise<void>;
}

/** How long a sign-in link may wait for its one use. */
export const SIGN_IN_TTL_MS = 60_000;
/** The most a sign-in form may send: a code is 43 characters. */
const MAX_SIGN_IN_BODY = 4096;

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** The Electron window's policy, plus the WebSocket back to this very server and the local sandbox's images. */
function csp(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: https://*.api.video http://127.0.0.1:* http://localhost:*",
    "font-src 'self'",
    `connect-src 'self' ws://127.0.0.1:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The page's own meta CSP allows no connections beyond 'self' (right for Electron); browser mode opens it
 * exactly enough for the WebSocket back to this server.
 */
function withBridgeSource(html: string, port: number): string {
  return html.replace("connect-src 'self'", `connect-src 'self' ws://127.0.0.1:${port}`);
}

const requestMessage = z.object({
  id: z.number().int().nonnegative(),
  channel: z.string().max(100),
  payload: z.unknown(),
});

const noStore = { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', 'X-Content-Type-Options': 'nosniff' };

function refusalBody(check: SessionCheck & { ok: false }): string {
  const body: SessionRefusalBody = { ok: false, reason: check.reason, message: refusalMessages[check.reason] };
  return JSON.stringify(body);
}

/** A plain page for a sign-in that failed: nothing to retry here, the way in is the launch link. */
function signInFailedPage(): string {
  return `<!doctype html><meta charset="utf-8"><title>Convoy</title><p>This sign-in link was already used or has expired. Links work once, for a short time: open the link or file Convoy printed when it started, or start Convoy again for a new one.</p>\n`;
}

/** The `code` field of a urlencoded form body, read up to MAX_SIGN_IN_BODY bytes; null when too big or absent. */
function readCode(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolveCode) => {
    let body = '';
    let tooBig = false;
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_SIGN_IN_BODY) {
        tooBig = true;
        req.destroy();
        resolveCode(null);
      }
    });
    req.on('end', () => resolveCode(tooBig ? null : new URLSearchParams(body).get('code')));
    req.on('error', () => resolveCode(null));
  });
}

export async function startWebServer(options: WebServerOptions): Promise<RunningWebServer> {
  const root = resolve(options.rendererDir);
  if (!existsSync(join(root, 'index.html'))) {
    throw new Error(`The renderer is not built (${join(root, 'index.html')} is missing). Run "npm run build" first.`);
  }
  let port = 0;
  const allowedOrigins = () => [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
  let sessions = createSessionGate({ port: 0 });
  const launchFiles = new Set<LaunchFile>();

  /** Spends a sign-in code: the session cookie and off to the app, or a page saying the link is spent. */
  const signIn = (res: ServerResponse, code: string | null) => {
    const cookie = code ? sessions.redeem(code) : null;
    if (!cookie) {
      options.log?.('refused a sign-in: the code was unknown, already used or expired');
      res.writeHead(401, { ...noStore, 'Content-Type': 'text/html; charset=utf-8' }).end(signInFailedPage());
      return;
    }
    res.writeHead(303, { ...noStore, 'Set-Cookie': cookie, Location: '/' }).end();
  };

  const server: Server = createServer((req, res) => {
    // DNS rebinding: a page on another name that resolves here is not this app.
    if (!isAllowedHost(req.headers.host, port)) {
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' }).end('This host name is not Convoy.\n');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/session' && req.method === 'POST') {
      void readCode(req).then((code) => signIn(res, code));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if (url.pathname === '/open') {
      signIn(res, url.searchParams.get('code'));
      return;
    }
    if (url.pathname === '/session') {
      const check = sessions.check(req.headers.cookie);
      res
        .writeHead(check.ok ? 200 : 401, { ...noStore, 'Content-Type': 'application/json' })
        .end(check.ok ? '{"ok":true}' : refusalBody(check));
      return;
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const relative = normalize(decoded).replace(/^([/\\])+/, '');
    let file = resolve(root, relative || 'index.html');
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html');
    res.writeHead(200, {
      'Content-Type': contentTypes[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': csp(port),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    });
    if (req.method === 'HEAD') res.end();
    else if (file.endsWith('index.html')) res.end(withBridgeSource(readFileSync(file, 'utf8'), port));
    else
      createReadStream(file)
        .on('error', () => res.destroy())
        .pipe(res);
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 64 * 1024 * 1024,
    handleProtocols: (protocols) => (protocols.has('convoy') ? 'convoy' : false),
  });
  const clients = new Set<WebSocket>();

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = String(req.headers.origin ?? '');
    const refuse = (status: number, why: string, body = '') => {
      options.log?.(`refused a bridge connection: ${why}`);
      const head = `HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Forbidden'}\r\nConnection: close\r\n`;
      const type = body ? `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` : '';
      socket.end(`${head}${type}\r\n${body}`);
    };
    if (!isAllowedHost(req.headers.host, port)) return refuse(403, 'host is not this app');
    if (url.pathname !== '/bridge') return refuse(403, 'wrong path');
    if (!allowedOrigins().includes(origin)) return refuse(403, `origin "${origin.slice(0, 80)}" is not this app`);
    const check = sessions.check(req.headers.cookie);
    if (!check.ok) return refuse(401, `no session (${check.reason})`, refusalBody(check));
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      ws.on('message', async (raw) => {
        let parsed: z.infer<typeof requestMessage>;
        try {
          parsed = requestMessage.parse(JSON.parse(String(raw)));
        } catch {
          ws.send(
            JSON.stringify({
              id: -1,
              envelope: { ok: false, error: { code: 'invalid-payload', message: 'Malformed bridge message.' } },
            }),
          );
          return;
        }
        const envelope = await options.router.dispatch(parsed.channel, parsed.payload);
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: parsed.id, envelope }));
      });
    });
  });

  const unsubscribe = options.events.subscribe((event, payload) => {
    const message = JSON.stringify({ event, payload });
    for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(message);
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;
  sessions = createSessionGate({ port, ...(options.sessionKey ? { key: options.sessionKey } : {}) });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    signInUrl: (ttlMs = SIGN_IN_TTL_MS) => `${url}/open?code=${sessions.issueCode(ttlMs)}`,
    writeLaunchFile(parent) {
      let file: LaunchFile | null = null;
      const code = sessions.issueCode(null, () => {
        file?.remove();
        if (file) launchFiles.delete(file);
      });
      file = writeLaunchFile(url, code, parent);
      launchFiles.add(file);
      return file;
    },
    async close() {
      sessions.close();
      for (const file of launchFiles) file.remove();
      unsubscribe();
      for (const ws of clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
