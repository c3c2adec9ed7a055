// The JSON calls on the wire over node:http: the headers fetch used to send, one pooled keep-alive connection
// apart from the chunk uploads', gzip/deflate/br replies, and abort / timeout / reset / redirect / TLS failures mapped
// to ApiVideoError. A bare HTTP server stands in for api.video so each edge can be produced on demand.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiVideoError, createClient, CLIENT_ORIGIN } from '../../../main/apivideo';
import type { ErrorContext } from '../../../main/apivideo/errors';
import { jsonSender } from '../../../main/apivideo/transport';

const VIDEO = {
  videoId: 'vi1234567890123456789012',
  title: 'Gzipped',
  tags: [],
  metadata: [],
  public: true,
  panoramic: false,
  mp4Support: true,
};

let server: Server | null = null;
let connections = 0;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(null));
  server = null;
});

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  connections = 0;
  server = createServer(handler);
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

function basicClient(baseUrl: string, timeoutMs?: number) {
  return createClient({
    baseUrl,
    auth: { kind: 'basic', apiKey: 'secret-key-123456' },
    profileName: 'Work',
    ...(timeoutMs ? { timeoutMs } : {}),
  });
}

/** Reads the request body, then answers with `status` and `body` (already encoded) and these headers. */
function answer(
  res: ServerResponse,
  req: IncomingMessage,
  status: number,
  body: string | Buffer,
  headers: Record<string, string> = {},
) {
  req.resume();
  req.on('end', () => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body);
  });
}

/** Sends the status line, headers and half a JSON body, then nothing more. */
function stallMidBody(res: ServerResponse, then?: () => void) {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
  res.write('{"videoId":"vi1234', () => then?.());
}

const context: ErrorContext = { baseUrl: 'set per test', authKind: 'basic', profileName: 'Work' };

/** The sender of a plain GET /videos to `baseUrl` (10 s timeout), cancelled by `signal`. */
function getVideos(baseUrl: string, signal: AbortSignal) {
  return jsonSender(
    { baseUrl, context: { ...context, baseUrl }, timeoutMs: 10_000, headers: {} },
    { method: 'GET', path: '/videos' },
    null,
    undefined,
    signal,
  );
}

describe('JSON requests on the wire', () => {
  it('sends the headers fetch sent, an exact Content-Length and the JSON body; GETs carry no body', async () => {
    const seen: { method: string; headers: IncomingMessage['headers']; body: string }[] = [];
    const baseUrl = await listen((req, res) => {
      let body = '';
      req.on('data', (part: Buffer) => (body += part.toString()));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', headers: req.headers, body });
        res.writeHead(req.method === 'DELETE' ? 204 : 200, { 'content-type': 'application/json' });
        res.end(req.method === 'DELETE' ? undefined : JSON.stringify({ ...VIDEO, title: 'été' }));
      });
    });
    const client = createClient({
      baseUrl,
      auth: { kind: 'basic', apiKey: 'secret-key-123456' },
      originApp: 'convoy-cli:0.1.0',
    });
    expect((await client.videos.create({ title: 'été' })).title).toBe('été');
    await client.videos.get(VIDEO.videoId);
    await client.videos.delete(VIDEO.videoId);

    const [post, get, del] = seen;
    expect(post?.headers).toMatchObject({
      'user-agent': 'node',
      'accept-encoding': 'gzip, deflate',
      accept: 'application/json',
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength('{"title":"été"}')),
      'av-origin-client': CLIENT_ORIGIN,
      'av-origin-app': 'convoy-cli:0.1.0',
      authorization: `Basic ${Buffer.from('secret-key-123456:').toString('base64')}`,
      connection: 'keep-alive',
    });
    expect(post?.body).toBe('{"title":"été"}');
    expect(get?.method).toBe('GET');
    expect(get?.headers['content-length']).toBeUndefined();
    expect(get?.headers['transfer-encoding']).toBeUndefined();
    expect(del?.method).toBe('DELETE');
    expect(del?.body).toBe('');
  });

  it('reuses one keep-alive connection for consecutive JSON calls to the same server', async () => {
    const baseUrl = await listen((req, res) => answer(res, req, 200, JSON.stringify(VIDEO)));
    const client = basicClient(baseUrl);
    await client.videos.get(VIDEO.videoId);
    await client.videos.update(VIDEO.videoId, { title: 'x' });
    await client.videos.delete(VIDEO.videoId);
    expect(connections).toBe(1);
  });

  it('never sends a JSON call on a connection a chunk upload left for the server to reset', async () => {
    // A server that answers an upload before reading its body may reset that connection afterwards (a proxy
    // closing with unread bytes does): the JSON calls keep their own pool, as they did on fetch.
    const doomed = new WeakSet<object>();
    const baseUrl = await listen((req, res) => {
      if (doomed.has(req.socket)) return req.socket.resetAndDestroy();
      if (req.url?.endsWith('/source')) {
        doomed.add(req.socket);
        res.writeHead(400, { 'content-type': 'application/json' });
        return res.end('{"title":"part already sent","status":400}');
      }
      answer(res, req, 200, JSON.stringify(VIDEO));
    });
    const client = basicClient(baseUrl);
    await client.videos.get(VIDEO.videoId);
    const upload = client.uploadChunk({
      videoId: VIDEO.videoId,
      fileName: 'a.mp4',
      size: 5,
      body: () => Readable.from([Buffer.alloc(5)]),
    });
    await expect(upload).rejects.toMatchObject({ kind: 'bad-request', status: 400 });
    expect((await client.videos.get(VIDEO.videoId)).videoId).toBe(VIDEO.videoId);
    expect(connections).toBe(2);
  });

  it("reads a reply that starts with a UTF-8 byte order mark, as fetch's text() did", async () => {
    const baseUrl = await listen((req, res) =>
      answer(res, req, 200, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(VIDEO))])),
    );
    expect((await basicClient(baseUrl).videos.get(VIDEO.videoId)).videoId).toBe(VIDEO.videoId);
  });
});

describe('compressed replies', () => {
  const json = JSON.stringify(VIDEO);
  const encodings: [string, (text: string) => Buffer][] = [
    ['gzip', (text) => zlib.gzipSync(text)],
    ['x-gzip', (text) => zlib.gzipSync(text)],
    ['deflate', (text) => zlib.deflateSync(text)],
    ['deflate', (text) => zlib.deflateRawSync(text)],
    ['br', (text) => zlib.brotliCompressSync(text)],
    ['deflate, gzip', (text) => zlib.gzipSync(zlib.deflateSync(text))],
  ];
  it.each(encodings)('decodes a %s reply (%#)', async (encoding, encode) => {
    const baseUrl = await listen((req, res) => answer(res, req, 200, encode(json), { 'content-encoding': encoding }));
    expect(await basicClient(baseUrl).videos.get(VIDEO.videoId)).toMatchObject({
      videoId: VIDEO.videoId,
      title: 'Gzipped',
    });
  });

  it('decodes a gzipped problem JSON into the typed error', async () => {
    const problem = {
      type: 'https://docs.api.video/reference/resource-not-found',
      title: 'The requested resource was not found.',
      name: 'videoId',
      status: 404,
    };
    const baseUrl = await listen((req, res) =>
      answer(res, req, 404, zlib.gzipSync(JSON.stringify(problem)), {
        'content-type': 'application/problem+json',
        'content-encoding': 'gzip',
      }),
    );
    const error = await basicClient(baseUrl)
      .videos.get('viMissing')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'not-found', status: 404, slug: 'resource-not-found' });
    expect((error as Error).message).toContain('The server said: "The requested resource was not found." (videoId).');
  });

  it('leaves a body with an unknown coding as sent, and a corrupt gzip body is a network error', async () => {
    let corrupt = false;
    const baseUrl = await listen((req, res) =>
      corrupt
        ? answer(res, req, 200, Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' })
        : answer(res, req, 200, JSON.stringify(VIDEO), { 'content-encoding': 'identity' }),
    );
    const client = basicClient(baseUrl);
    expect((await client.videos.get(VIDEO.videoId)).videoId).toBe(VIDEO.videoId);
    corrupt = true;
    await expect(client.videos.get(VIDEO.videoId)).rejects.toMatchObject({ kind: 'network', retryable: true });
  });
});

describe('failures', () => {
  it('cancels on the signal while waiting for the reply, and closes the connection', async () => {
    const controller = new AbortController();
    let closed!: Promise<void>;
    const baseUrl = await listen((req) => {
      closed = new Promise((resolve) => req.socket.on('close', () => resolve()));
      controller.abort();
    });
    const send = getVideos(baseUrl, controller.signal);
    const error = await send(null).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiVideoError);
    expect(error).toMatchObject({ kind: 'aborted', retryable: false });
    expect((error as Error).message).toMatch(/Profile "Work".*GET \/videos was cancelled/);
    await closed;
  });

  it('cancels on the signal while the reply body is arriving', async () => {
    const controller = new AbortController();
    const baseUrl = await listen((_req, res) => stallMidBody(res, () => setTimeout(() => controller.abort(), 30)));
    const send = getVideos(baseUrl, controller.signal);
    await expect(send(null)).rejects.toMatchObject({ kind: 'aborted' });
  });

  it('sends nothing when the signal is already aborted', async () => {
    let requests = 0;
    const baseUrl = await listen(() => (requests += 1));
    const send = getVideos(baseUrl, AbortSignal.abort());
    await expect(send(null)).rejects.toMatchObject({ kind: 'aborted' });
    expect(requests).toBe(0);
  });

  it('times out with no reply, and with a reply whose body stops half-way (the deadline covers the whole exchange)', async () => {
    let midBody = false;
    const baseUrl = await listen((_req, res) => {
      if (midBody) stallMidBody(res);
    });
    const client = basicClient(baseUrl, 200);
    const started = Date.now();
    await expect(client.videos.get(VIDEO.videoId)).rejects.toMatchObject({ kind: 'timeout', retryable: true });
    midBody = true;
    const error = await client.videos.get(VIDEO.videoId).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'timeout' });
    expect((error as Error).message).toMatch(/did not answer GET \/videos\/vi1234567890123456789012 within/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('maps a connection reset, before the reply or half-way through its body, to a retryable network error', async () => {
    let midBody = false;
    const baseUrl = await listen((req, res) => {
      if (midBody) stallMidBody(res, () => req.socket.resetAndDestroy());
      else req.socket.resetAndDestroy();
    });
    const client = basicClient(baseUrl);
    const error = await client.videos.get(VIDEO.videoId).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'network', retryable: true });
    expect((error as Error).message).toMatch(
      /Profile "Work" on http:\/\/127\.0\.0\.1:\d+ could not be reached \(ECONNRESET\)/,
    );
    midBody = true;
    await expect(client.videos.get(VIDEO.videoId)).rejects.toMatchObject({ kind: 'network', retryable: true });
  });

  it('refuses redirects without following them, naming the server to use instead, and does not retry', async () => {
    const paths: string[] = [];
    const locations: Record<string, string> = {
      '/videos': '/elsewhere',
      '/videos/vi1': 'https://api.example.test/v2/videos/vi1?token=to1secret',
      '/videos/vi2': 'http://a:99999/x', // not a URL: kept out of the message, never thrown
    };
    const baseUrl = await listen((req, res) => {
      paths.push(req.url ?? '');
      res.writeHead(req.url === '/videos' ? 302 : 308, { location: locations[req.url ?? ''] ?? '' });
      res.end();
    });
    const client = basicClient(baseUrl);
    const listed = await client.videos.list().catch((e: unknown) => e);
    expect(listed).toMatchObject({ kind: 'redirect', retryable: false, status: 302 });
    expect((listed as Error).message).toMatch(
      /answered GET \/videos with a redirect \(HTTP 302\)\. Convoy does not follow redirects with your key: use http:\/\/127\.0\.0\.1:\d+ as the profile's server\./,
    );
    const moved = await client.videos.get('vi1').catch((e: unknown) => e);
    expect(moved).toMatchObject({ kind: 'redirect', status: 308 });
    expect((moved as Error).message).toContain("use https://api.example.test/v2 as the profile's server");
    expect((moved as Error).message).not.toContain('to1secret');
    const garbled = await client.videos.get('vi2').catch((e: unknown) => e);
    expect(garbled).toMatchObject({ kind: 'redirect', status: 308 });
    expect((garbled as Error).message).toContain("check the profile's server address");
    expect(paths).toEqual(['/videos', '/videos/vi1', '/videos/vi2']);
  });

  it('speaks TLS to an https URL (a plain-HTTP server fails the handshake as a network error)', async () => {
    let requests = 0;
    const baseUrl = await listen(() => (requests += 1));
    const client = basicClient(baseUrl.replace('http:', 'https:'));
    const error = await client.videos.get(VIDEO.videoId).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'network' });
    expect((error as Error).cause).toMatchObject({ code: expect.stringMatching(/^(ERR_SSL_|EPROTO|ECONNRESET)/) });
    expect(requests).toBe(0);
  });
});
