// Test helper: a recording reverse proxy in front of a sandbox, so tests can count what crossed the wire
// (e.g. exactly one POST /auth/refresh) and see the raw bodies (for the redaction test).
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Exchange {
  method: string;
  path: string;
  status: number;
  requestBody: string;
  responseBody: string;
}

export interface Recorder {
  url: string;
  exchanges: Exchange[];
  /** "POST /auth/refresh 200" lines, query strings removed. */
  lines(): string[];
  count(method: string, path: string): number;
  close(): Promise<void>;
}

export async function startRecorder(target: string): Promise<Recorder> {
  const exchanges: Exchange[] = [];
  const server: Server = createServer((req, res) => {
    const requestParts: Buffer[] = [];
    // The upstream sees its own name in Host, as a reverse proxy sends it (the sandbox refuses other names).
    const headers = { ...req.headers, host: new URL(target).host };
    const upstream = request(`${target}${req.url ?? '/'}`, { method: req.method, headers }, (reply) => {
      const responseParts: Buffer[] = [];
      res.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.on('data', (part: Buffer) => {
        responseParts.push(part);
        res.write(part);
      });
      reply.on('end', () => {
        exchanges.push({
          method: req.method ?? '',
          path: (req.url ?? '').split('?')[0] ?? '',
          status: reply.statusCode ?? 0,
          requestBody: Buffer.concat(requestParts).toString('utf8'),
          responseBody: Buffer.concat(responseParts).toString('utf8'),
        });
        res.end();
      });
    });
    upstream.on('error', () => res.destroy());
    req.on('data', (part: Buffer) => requestParts.push(part));
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    exchanges,
    lines: () => exchanges.map((e) => `${e.method} ${e.path} ${e.status}`),
    count: (method, path) => exchanges.filter((e) => e.method === method && e.path === path).length,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
