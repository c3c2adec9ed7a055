// The chunk POST on the wire: multipart with videoId before the file, exact Content-Length, Content-Range,
// origin headers, streamed progress, and abort / idle timeout / short-body failures. A bare HTTP server with
// busboy stands in for api.video so the bytes themselves can be inspected.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import busboy from 'busboy';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiVideoError, createClient } from '../../../main/apivideo';

interface Seen {
  url: string;
  headers: IncomingMessage['headers'];
  order: string[];
  fields: Record<string, string>;
  fileName?: string;
  fileBytes: number;
  fileHash: string;
  bodyBytes: number;
}

let server: Server | null = null;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(null));
  server = null;
});

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

function recordingServer(seen: Seen[]) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const entry: Seen = {
      url: req.url ?? '',
      headers: req.headers,
      order: [],
      fields: {},
      fileBytes: 0,
      fileHash: '',
      bodyBytes: 0,
    };
    const hash = createHash('sha256');
    req.on('data', (part: Buffer) => (entry.bodyBytes += part.length));
    const parser = busboy({ headers: req.headers, defParamCharset: 'utf8' });
    parser.on('field', (name, value) => {
      entry.order.push(name);
      entry.fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      entry.order.push(name);
      entry.fileName = info.filename;
      stream.on('data', (part: Buffer) => {
        entry.fileBytes += part.length;
        hash.update(part);
      });
    });
    parser.on('close', () => {
      entry.fileHash = hash.digest('hex');
      seen.push(entry);
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ videoId: entry.fields.videoId ?? 'viNEW0000000000000000000', title: entry.fileName }));
    });
    req.pipe(parser);
  };
}

describe('uploadChunk', () => {
  it('posts videoId before the file, with exact length, range, token and origin headers', async () => {
    const seen: Seen[] = [];
    const baseUrl = await listen(recordingServer(seen));
    const client = createClient({
      baseUrl,
      auth: { kind: 'uploadToken', token: 'toABCDEFGHIJKLMNOPQRSTUV' },
      originApp: 'convoy-test:1.0.0',
    });
    const data = randomBytes(300_000);
    const progress: number[] = [];
    const video = await client.uploadChunk({
      videoId: 'vi1234567890123456789012',
      contentRange: 'part 2/3',
      fileName: 'clip "été".mp4',
      size: data.length,
      body: () => Readable.from([data.subarray(0, 100_000), data.subarray(100_000)]),
      onBytesSent: (n) => progress.push(n),
    });
    expect(video.videoId).toBe('vi1234567890123456789012');
    const [entry] = seen;
    expect(entry?.url).toBe('/upload?token=toABCDEFGHIJKLMNOPQRSTUV');
    expect(entry?.order).toEqual(['videoId', 'file']);
    expect(entry?.fileName).toBe('clip %22été%22.mp4');
    expect(entry?.fileBytes).toBe(data.length);
    expect(entry?.fileHash).toBe(createHash('sha256').update(data).digest('hex'));
    expect(Number(entry?.headers['content-length'])).toBe(entry?.bodyBytes);
    expect(entry?.headers['content-range']).toBe('part 2/3');
    expect(entry?.headers['av-origin-client']).toMatch(/^convoy:\d+\.\d+\.\d+$/);
    expect(entry?.headers['av-origin-app']).toBe('convoy-test:1.0.0');
    expect(entry?.headers.authorization).toBeUndefined();
    expect(progress.at(-1)).toBe(data.length);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('posts to /videos/{id}/source with Basic auth and no videoId field', async () => {
    const seen: Seen[] = [];
    const baseUrl = await listen(recordingServer(seen));
    const client = createClient({ baseUrl, auth: { kind: 'basic', apiKey: 'secret-key-123456' } });
    await client.uploadChunk({
      videoId: 'vi1234567890123456789012',
      fileName: 'a.mp4',
      size: 10,
      body: () => Readable.from([Buffer.alloc(10)]),
    });
    expect(seen[0]?.url).toBe('/videos/vi1234567890123456789012/source');
    expect(seen[0]?.order).toEqual(['file']);
    expect(seen[0]?.headers.authorization).toBe(`Basic ${Buffer.from('secret-key-123456:').toString('base64')}`);
    expect(seen[0]?.headers['content-range']).toBeUndefined();
    await expect(
      client.uploadChunk({ fileName: 'a.mp4', size: 1, body: () => Readable.from([Buffer.alloc(1)]) }),
    ).rejects.toThrow(/needs the videoId/);
  });

  it('fails clearly when the stream gives fewer bytes than announced', async () => {
    const baseUrl = await listen(recordingServer([]));
    const client = createClient({ baseUrl, auth: { kind: 'uploadToken', token: 'toABCDEFGHIJKLMNOPQRSTUV' } });
    const error = await client
      .uploadChunk({ fileName: 'short.mp4', size: 100, body: () => Readable.from([Buffer.alloc(60)]) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiVideoError);
    expect((error as ApiVideoError).message).toMatch(/short\.mp4.*100 bytes.*changed while uploading/);
  });

  it('aborts on the signal and times out when the server stalls', async () => {
    const baseUrl = await listen(() => {
      /* never answers */
    });
    const client = createClient({
      baseUrl,
      auth: { kind: 'uploadToken', token: 'toABCDEFGHIJKLMNOPQRSTUV' },
      timeoutMs: 300,
    });
    const controller = new AbortController();
    const aborted = client.uploadChunk({
      fileName: 'a.mp4',
      size: 5,
      body: () => Readable.from([Buffer.alloc(5)]),
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 50);
    await expect(aborted).rejects.toMatchObject({ kind: 'aborted' });
    const started = Date.now();
    await expect(
      client.uploadChunk({ fileName: 'a.mp4', size: 5, body: () => Readable.from([Buffer.alloc(5)]) }),
    ).rejects.toMatchObject({ kind: 'timeout', retryable: true });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reports a server that is not there as a network error', async () => {
    const baseUrl = await listen(() => {});
    const address = baseUrl;
    server?.close();
    server = null;
    const client = createClient({
      baseUrl: address,
      auth: { kind: 'uploadToken', token: 'toABCDEFGHIJKLMNOPQRSTUV' },
      profileName: 'Phone',
    });
    const error = await client
      .uploadChunk({ fileName: 'a.mp4', size: 5, body: () => Readable.from([Buffer.alloc(5)]) })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'network' });
    expect((error as Error).message).toMatch(/Profile "Phone".*could not be reached \(ECONNREFUSED\)/);
  });
});
