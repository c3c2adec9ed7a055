// Browser mode: serves the built renderer on 127.0.0.1 and carries the bridge contract over a WebSocket,
// guarded by a per-launch secret (sent as a WebSocket subprotocol) and an Origin check.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import type { Router } from '../bridge/router';
import type { EventBus } from '../bridge/events';

export interface WebServerOptions {
  rendererDir: string;
  router: Router;
  events: EventBus;
  port?: number;
  secret?: string;
  log?: (line: string) => void;
}

export interface RunningWebServer {
  url: string;
  /** The URL to open: carries the secret in the fragment, which never reaches a server log. */
  launchUrl: string;
  secret: string;
  port: number;
  close(): Promise<void>;
}

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

/** Same policy as the Electron window's, plus the WebSocket back to this very server. */
function csp(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
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

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function secretFrom(request: IncomingMessage): string {
  const protocols = String(request.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim());
  return protocols.find((p) => p.startsWith('k.'))?.slice(2) ?? '';
}

export async function startWebServer(options: WebServerOptions): Promise<RunningWebServer> {
  const secret = options.secret ?? randomBytes(24).toString('base64url');
  const root = resolve(options.rendererDir);
  if (!existsSync(join(root, 'index.html'))) {
    throw new Error(`The renderer is not built (${join(root, 'index.html')} is missing). Run "npm run build" first.`);
  }
  let port = 0;
  const allowedOrigins = () => [`http://127.0.0.1:${port}`, `http://localhost:${port}`];

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
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
    const refuse = (status: number, why: string) => {
      options.log?.(`refused a bridge connection: ${why}`);
      socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Forbidden'}\r\nConnection: close\r\n\r\n`);
    };
    if (url.pathname !== '/bridge') return refuse(403, 'wrong path');
    if (!allowedOrigins().includes(origin)) return refuse(403, `origin "${origin.slice(0, 80)}" is not this app`);
    if (!sameSecret(secretFrom(req), secret)) return refuse(401, 'missing or wrong launch secret');
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
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    launchUrl: `${url}/#k=${secret}`,
    secret,
    port,
    async close() {
      unsubscribe();
      for (const ws of clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
