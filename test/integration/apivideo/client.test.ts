// The api.video client against the real local sandbox over HTTP: bearer expiry and refresh (one refresh for
// many waiting requests), a refused refresh token, wrong keys, rate limits, tokens, videos and chunk uploads.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiVideoError, createClient } from '../../../main/apivideo';
import type { ApiVideoClient } from '../../../main/apivideo';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { startRecorder, type Recorder } from '../../support/recorder';

let sandbox: TestSandbox;
let recorder: Recorder;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  recorder = await startRecorder(sandbox.url);
});
afterAll(async () => {
  await recorder?.close();
  await sandbox?.close();
});
beforeEach(async () => {
  await sandbox.reset();
  recorder.exchanges.length = 0;
});

function bearer(overrides: Partial<Parameters<typeof createClient>[0]> = {}): ApiVideoClient {
  return createClient({
    baseUrl: recorder.url,
    auth: { kind: 'bearer', apiKey: sandbox.apiKey },
    profileName: 'Test',
    environmentLabel: 'Local sandbox',
    ...overrides,
  });
}

const bytes = (n: number) => {
  const data = randomBytes(n);
  return { size: n, body: () => Readable.from([data]) };
};

describe('bearer authentication', () => {
  it('exchanges the key once, then reuses the access token', async () => {
    const client = bearer();
    expect((await client.check()).ok).toBe(true);
    await client.uploadTokens.list();
    expect(recorder.count('POST', '/auth/api-key')).toBe(1);
    expect(recorder.count('GET', '/upload-tokens')).toBe(2);
  });

  it('after the access token expires, many concurrent requests share exactly one refresh', async () => {
    const client = bearer();
    await client.uploadTokens.create(0);
    await sandbox.advanceClock(3700);
    recorder.exchanges.length = 0;
    const pages = await Promise.all(Array.from({ length: 8 }, () => client.uploadTokens.list({ pageSize: 1 })));
    expect(pages.every((page) => page.pagination.itemsTotal === 1)).toBe(true);
    expect(recorder.count('POST', '/auth/refresh')).toBe(1);
    expect(recorder.count('POST', '/auth/api-key')).toBe(0);
    expect(recorder.lines().filter((line) => line.endsWith(' 401')).length).toBeGreaterThanOrEqual(1);
  });

  it('falls back to /auth/api-key when the refresh token is refused', async () => {
    const client = bearer();
    await client.uploadTokens.list();
    await sandbox.reset(); // forgets every access and refresh token, keeps the key
    recorder.exchanges.length = 0;
    await client.uploadTokens.list();
    expect(recorder.lines()).toEqual([
      'GET /upload-tokens 401',
      'POST /auth/refresh 400',
      'POST /auth/api-key 200',
      'GET /upload-tokens 200',
    ]);
  });

  it('refreshes a chunk upload after a 401 and sends the chunk again from a fresh stream', async () => {
    const client = bearer();
    const video = await client.videos.create({ title: 'refresh during upload' });
    await sandbox.advanceClock(3700);
    let streams = 0;
    const data = randomBytes(1000);
    const uploaded = await client.uploadChunk({
      videoId: video.videoId,
      fileName: 'a.mp4',
      size: data.length,
      body: () => (streams++, Readable.from([data])),
    });
    expect(uploaded.videoId).toBe(video.videoId);
    expect(streams).toBe(2);
    expect(recorder.count('POST', '/auth/refresh')).toBe(1);
  });

  it('explains a wrong key, and a key of another environment, naming profile and environment', async () => {
    const wrong = bearer({ auth: { kind: 'bearer', apiKey: 'not-the-right-key-000000' } });
    const check = await wrong.check();
    expect(check.ok).toBe(false);
    expect(check.message).toMatch(
      /^Profile "Test" on Local sandbox \(http:\/\/127\.0\.0\.1:\d+\): the API key was refused/,
    );
    expect(check.summary).toMatch(/^The API key was refused \(HTTP 400\)/);
    expect((await bearer().check()).summary).toBe('Key works · 0 active upload tokens');
    await expect(wrong.videos.list()).rejects.toMatchObject({
      kind: 'auth',
      status: 400,
      slug: 'authentication-invalid-user-credentials',
    });

    const other = await startTestSandbox();
    try {
      const crossed = createClient({
        baseUrl: sandbox.url,
        auth: { kind: 'basic', apiKey: other.apiKey },
        profileName: 'Other',
        environmentLabel: 'Sandbox',
        environmentKind: 'sandbox',
      });
      const error = await crossed.uploadTokens.list().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiVideoError);
      expect(error).toMatchObject({ kind: 'auth', status: 401, slug: 'authentication-invalid-api-key' });
      expect((error as Error).message).toMatch(/sandbox and production keys differ/);
      expect((error as Error).message).not.toContain(other.apiKey);
    } finally {
      await other.close();
    }
  });

  it('works with Basic auth too, without any token exchange', async () => {
    const client = bearer({ auth: { kind: 'basic', apiKey: sandbox.apiKey } });
    await client.uploadTokens.list();
    expect(recorder.lines()).toEqual(['GET /upload-tokens 200']);
  });
});

describe('upload tokens', () => {
  it('creates, lists (sorted, paginated), gets and deletes tokens', async () => {
    const client = bearer();
    const created = [
      await client.uploadTokens.create(3600),
      await client.uploadTokens.create(0),
      await client.uploadTokens.create(60),
    ];
    expect(created[0]).toMatchObject({ ttl: 3600, expiresAt: expect.any(String) });
    expect(created[1]?.expiresAt ?? undefined).toBeUndefined();
    const byTtl = await client.uploadTokens.list({ sortBy: 'ttl', sortOrder: 'asc' });
    expect(byTtl.data.map((t) => t.ttl)).toEqual([0, 60, 3600]);
    const page2 = await client.uploadTokens.list({ sortBy: 'ttl', sortOrder: 'desc', pageSize: 2, currentPage: 2 });
    expect(page2.pagination).toMatchObject({ itemsTotal: 3, pagesTotal: 2, currentPage: 2, currentPageItems: 1 });
    expect(page2.data.map((t) => t.ttl)).toEqual([0]);
    const token = created[2]!.token;
    expect((await client.uploadTokens.get(token)).ttl).toBe(60);
    await client.uploadTokens.delete(token);
    await expect(client.uploadTokens.get(token)).rejects.toMatchObject({ kind: 'not-found', status: 404 });
    await expect(client.uploadTokens.create(-1)).rejects.toMatchObject({ kind: 'bad-request', status: 400 });
  });

  it('an upload-token client checks its token, uploads chunks with videoId, and refuses API-key calls', async () => {
    const owner = bearer();
    const { token } = await owner.uploadTokens.create(0);
    const client = createClient({ baseUrl: sandbox.url, auth: { kind: 'uploadToken', token }, profileName: 'Phone' });
    expect(await client.check()).toMatchObject({
      ok: true,
      message: expect.stringMatching(/"Phone" .*: the upload token works/),
      summary: 'Upload token works',
    });
    const first = await client.uploadChunk({
      contentRange: 'part 1/2',
      fileName: 'clip.mp4',
      ...bytes(5 * 1024 * 1024),
    });
    const last = await client.uploadChunk({
      videoId: first.videoId,
      contentRange: 'part 2/2',
      fileName: 'clip.mp4',
      ...bytes(1000),
    });
    expect(last.videoId).toBe(first.videoId);
    expect((await owner.videos.status(first.videoId)).ingest?.status).toBe('uploaded');
    await expect(client.videos.list()).rejects.toThrow(/holds an upload token, which can only upload/);

    await owner.uploadTokens.delete(token);
    const check = await client.check();
    expect(check.ok).toBe(false);
    expect(check.message).toMatch(/upload token was refused \(HTTP 401\)/);
    expect(check.message).not.toContain(token);
  });
});

describe('videos', () => {
  it('creates, gets, patches, lists by metadata, uploads by parts, reads status and deletes', async () => {
    const client = bearer();
    const video = await client.videos.create({
      title: 'Holiday',
      tags: ['a'],
      metadata: [{ key: 'convoy-hash', value: 'abc' }],
    });
    expect((await client.videos.get(video.videoId)).title).toBe('Holiday');
    expect((await client.videos.update(video.videoId, { title: 'Holiday 2', tags: ['b'] })).tags).toEqual(['b']);
    await client.videos.create({ title: 'Other' });
    const found = await client.videos.list({ metadata: { 'convoy-hash': 'abc' } });
    expect(found.data.map((v) => v.videoId)).toEqual([video.videoId]);

    await client.uploadChunk({ videoId: video.videoId, contentRange: 'part 2/2', fileName: 'h.mp4', ...bytes(2000) });
    const half = await client.videos.status(video.videoId);
    expect(half.ingest?.receivedParts?.parts).toEqual([2]);
    await client.uploadChunk({
      videoId: video.videoId,
      contentRange: 'part 1/2',
      fileName: 'h.mp4',
      ...bytes(5 * 1024 * 1024),
    });
    expect((await client.videos.status(video.videoId)).ingest?.status).toBe('uploaded');
    const again = await client
      .uploadChunk({ videoId: video.videoId, contentRange: 'part 1/2', fileName: 'h.mp4', ...bytes(5 * 1024 * 1024) })
      .catch((e: unknown) => e);
    expect(again).toMatchObject({ kind: 'bad-request', status: 400 });
    expect((again as ApiVideoError).slug).toBeTruthy();

    await client.videos.delete(video.videoId);
    await expect(client.videos.get(video.videoId)).rejects.toMatchObject({ kind: 'not-found' });
  });
});

describe("the server's clock", () => {
  it("is read off every reply's Date header, JSON calls and chunks alike", async () => {
    const client = createClient({ baseUrl: sandbox.url, auth: { kind: 'bearer', apiKey: sandbox.apiKey } });
    expect(client.serverClockOffsetMs()).toBeUndefined();
    await sandbox.advanceClock(-3600); // the server an hour behind this machine
    const video = await client.videos.create({ title: 'Clock' });
    expect(client.serverClockOffsetMs()).toBeGreaterThan(-3602_000);
    expect(client.serverClockOffsetMs()).toBeLessThan(-3598_000);
    await sandbox.advanceClock(7200);
    await client.uploadChunk({ videoId: video.videoId, contentRange: 'part 1/1', fileName: 'c.mp4', ...bytes(1000) });
    expect(Math.round(client.serverClockOffsetMs()! / 1000)).toBeGreaterThanOrEqual(3598);
    expect(Math.round(client.serverClockOffsetMs()! / 1000)).toBeLessThanOrEqual(3601);
  });
});

describe('rate limits', () => {
  async function exhaustReads(client: ApiVideoClient): Promise<ApiVideoError> {
    for (let i = 0; i < 200; i += 1) {
      const error = await client.uploadTokens.list({ pageSize: 1 }).then(
        () => null,
        (e: unknown) => e,
      );
      if (error) return error as ApiVideoError;
    }
    throw new Error('the read limit was never reached');
  }

  it('surfaces 429 with retryAfterSeconds, and waits X-RateLimit-Retry-After then retries once for reads', async () => {
    const impatient = bearer({ maxRateLimitWaitSeconds: 0 });
    await sandbox.setRateLimit('sandbox');
    let limited = await exhaustReads(impatient);
    expect(limited).toMatchObject({ kind: 'rate-limit', status: 429, retryable: true });
    expect(limited.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    // Move the sandbox clock to 3-4 s before the window ends: the next 429 asks for a short wait. The sandbox clock
    // is real time plus an offset, so a starved machine can let the window end before the request arrives (CI saw
    // it with 1-2 s and with 3-4 s left): then the request is answered 200 at once, the new window is exhausted and
    // the move made again, at most three times. What the client must do is asserted unchanged below.
    let lines: string[] = [];
    let waitedMs = 0;
    let page: Awaited<ReturnType<ApiVideoClient['uploadTokens']['list']>> | undefined;
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      if (attempt > 1) limited = await exhaustReads(impatient);
      if (limited.retryAfterSeconds! <= 4) {
        await sandbox.advanceClock(limited.retryAfterSeconds!); // into a fresh window, then exhaust it again
        limited = await exhaustReads(impatient);
      }
      await sandbox.advanceClock(limited.retryAfterSeconds! - 4);
      recorder.exchanges.length = 0;
      const started = Date.now();
      page = await bearer().uploadTokens.list({ pageSize: 1 });
      waitedMs = Date.now() - started;
      lines = recorder.lines().filter((line) => line.startsWith('GET'));
      if (lines[0] !== 'GET /upload-tokens 200') break; // the request landed in the window
    }
    expect(page?.data).toEqual([]);
    expect(lines).toEqual(['GET /upload-tokens 429', 'GET /upload-tokens 200']);
    expect(waitedMs).toBeGreaterThanOrEqual(900);
    await sandbox.setRateLimit('off');
  });

  it('never waits on an upload: the 429 goes to the caller with retryAfterSeconds', async () => {
    const owner = bearer();
    const { token } = await owner.uploadTokens.create(0);
    await sandbox.setRateLimit('sandbox');
    const client = createClient({ baseUrl: sandbox.url, auth: { kind: 'uploadToken', token } });
    let error: unknown = null;
    for (let i = 0; i < 60 && !error; i += 1) {
      error = await client.uploadChunk({ fileName: `f${i}.mp4`, ...bytes(100) }).then(
        () => null,
        (e: unknown) => e,
      );
    }
    expect(error).toMatchObject({ kind: 'rate-limit', status: 429 });
    expect((error as ApiVideoError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    await sandbox.setRateLimit('off');
  });
});

describe('failures', () => {
  it('a 5xx is a retryable server error; an unreachable server a network error', async () => {
    await sandbox.setFaults({ failRate: 1, failStatus: 503 });
    await expect(bearer({ auth: { kind: 'basic', apiKey: sandbox.apiKey } }).videos.list()).rejects.toMatchObject({
      kind: 'server',
      status: 503,
      retryable: true,
    });
    await sandbox.clearFaults();
    const nowhere = createClient({ baseUrl: 'http://127.0.0.1:1', auth: { kind: 'basic', apiKey: 'k0000000' } });
    await expect(nowhere.videos.list()).rejects.toMatchObject({ kind: 'network' });
  });

  it('times out a request that gets no answer', async () => {
    await sandbox.setFaults({ latencyMs: 3000 });
    const client = bearer({ auth: { kind: 'basic', apiKey: sandbox.apiKey }, timeoutMs: 300 });
    await expect(client.videos.list()).rejects.toMatchObject({ kind: 'timeout', retryable: true });
    await sandbox.clearFaults();
  });

  it('rejects a reply that is not api.video-shaped as invalid-response', async () => {
    const impostor = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"hello":"world"}'),
    );
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(impostor.address() as AddressInfo).port}`;
      const client = createClient({ baseUrl: url, auth: { kind: 'basic', apiKey: sandbox.apiKey } });
      const error = await client.videos.get('vi1').catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'invalid-response' });
      expect((error as Error).message).toMatch(/videoId.*Is this address an api\.video server\?/);
    } finally {
      impostor.closeAllConnections();
      await new Promise((resolve) => impostor.close(resolve));
    }
  });
});
