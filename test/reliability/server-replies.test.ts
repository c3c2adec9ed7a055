// A server that is up but misbehaves (broken JSON, web pages, empty or endless or late replies, huge headers,
// redirects) is named, bounded in time and size, and retried against the budget; only a server out of reach is
// "offline". The real ApiVideoClient talks to a hostile server on 127.0.0.1; the real classifier judges the error.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiVideoError, createClient, type ApiVideoClient, type ReplyFault } from '../../main/apivideo';
import { classifyFailure } from '../../main/uploads/failure';
import { HOSTILE_VIDEO, startHostileServer, type HostileServer, type Misbehaviour } from './hostile-server';

const TIMEOUT_MS = 500;
const MAX_BODY_BYTES = 1024 * 1024;

let hostile: HostileServer;
beforeAll(async () => {
  hostile = await startHostileServer();
});
afterAll(() => hostile.close());

type Path = 'json call' | 'chunk upload';

function clientFor(
  path: Path,
  baseUrl = hostile.url,
  extra: Parameters<typeof createClient>[0]['replyLimits'] = {},
): ApiVideoClient {
  return createClient({
    baseUrl,
    auth:
      path === 'json call'
        ? { kind: 'basic', apiKey: 'secret-key-123456' }
        : { kind: 'uploadToken', token: 'toABCDEFGHIJKLMNOPQRSTUV' },
    profileName: 'Work',
    timeoutMs: TIMEOUT_MS,
    replyLimits: { maxBodyBytes: MAX_BODY_BYTES, ...extra },
  });
}

/** One request the way each path sends it; resolves with what the client returned or threw. */
function send(client: ApiVideoClient, path: Path): Promise<unknown> {
  const request =
    path === 'json call'
      ? client.videos.get(HOSTILE_VIDEO.videoId)
      : client.uploadChunk({ fileName: 'clip.mp4', size: 5, body: () => Readable.from([Buffer.from('12345')]) });
  return request.then(
    (value) => value,
    (error: unknown) => error,
  );
}

const LINE: Record<Path, string> = {
  'json call': `GET /videos/${HOSTILE_VIDEO.videoId}`,
  'chunk upload': 'POST /upload',
};

const cases: [Misbehaviour, ReplyFault, (line: string) => RegExp][] = [
  ['malformed-json', 'not-json', (line) => new RegExp(`answered ${line} with malformed JSON \\(HTTP 200: `)],
  [
    'html-page',
    'html',
    (line) => new RegExp(`answered ${line} with an HTML page \\(HTTP 200\\) instead of api\\.video's JSON`),
  ],
  [
    'html-404',
    'html',
    (line) => new RegExp(`answered ${line} with an HTML page \\(HTTP 404\\) instead of api\\.video's JSON`),
  ],
  [
    'empty-200',
    'empty',
    (line) => new RegExp(`answered ${line} with an empty reply \\(HTTP 200\\) where api\\.video sends JSON`),
  ],
  [
    'endless-body',
    'body-too-large',
    (line) => new RegExp(`answered ${line} with a reply larger than 1 MiB; Convoy stopped reading it`),
  ],
  [
    'trickling-body',
    'slow-body',
    (line) => new RegExp(`did not answer ${line} within 0\\.5 s: its reply began but did not end`),
  ],
  [
    'late-reply',
    'no-reply',
    (line) => new RegExp(`sent no reply for 0\\.5 s after ${line}: it took the request but does not answer`),
  ],
  ['huge-headers', 'headers-too-large', (line) => new RegExp(`answered ${line} with headers larger than 64 KiB`)],
  ['redirect', 'redirect', (line) => new RegExp(`answered ${line} with a redirect \\(HTTP 302\\)`)],
  ['reset-mid-body', 'cut-reply', (line) => new RegExp(`began answering ${line}, then the reply broke off`)],
];

describe.each<Path>(['json call', 'chunk upload'])('a misbehaving server, through a %s', (path) => {
  it('answers as api.video would when it behaves (the baseline the cases below depart from)', async () => {
    hostile.behave('well-behaved');
    expect(await send(clientFor(path), path)).toMatchObject({ videoId: HOSTILE_VIDEO.videoId });
  });

  it.each(cases)(
    '%s: a named error with a plain message, within its bounds, retried against the budget',
    async (misbehaviour, fault, message) => {
      hostile.behave(misbehaviour);
      const started = Date.now();
      const error = await send(clientFor(path), path);
      const took = Date.now() - started;
      expect(error).toBeInstanceOf(ApiVideoError);
      expect(error).toMatchObject({ replyFault: fault });
      expect((error as Error).message).toMatch(/^Profile "Work" on http:\/\/127\.0\.0\.1:\d+ /);
      expect((error as Error).message).toMatch(message(LINE[path]));
      // Connected, so never "offline" (which is probed forever): a retry that spends the budget.
      expect(classifyFailure(error)).toMatchObject({
        kind: 'retry',
        rateLimited: false,
        message: (error as Error).message,
      });
      // Bounded: never more than the timeout (plus scheduling), however long or slow the reply would run.
      expect(took).toBeLessThan(TIMEOUT_MS + 1500);
    },
    10_000,
  );
});

describe('reply limits', () => {
  it('passes the header limit to Node (12 KiB of headers: fine by default, refused under an 8 KiB limit)', async () => {
    hostile.behave('large-headers');
    for (const path of ['json call', 'chunk upload'] as const) {
      expect(await send(clientFor(path), path)).toMatchObject({ videoId: HOSTILE_VIDEO.videoId });
      const error = await send(clientFor(path, hostile.url, { maxHeaderBytes: 8 * 1024 }), path);
      expect(error).toMatchObject({ kind: 'invalid-response', replyFault: 'headers-too-large' });
      expect((error as Error).message).toContain(`answered ${LINE[path]} with headers larger than 8 KiB`);
    }
  });

  it('cuts a reply body at its limit, and lets one under it through', async () => {
    hostile.behave('endless-body');
    const error = await send(clientFor('json call', hostile.url, { maxBodyBytes: 64 * 1024 }), 'json call');
    expect(error).toMatchObject({ replyFault: 'body-too-large' });
    expect((error as Error).message).toContain('a reply larger than 64 KiB');
  });
});

describe('a server out of reach stays "offline" (probed, no retries spent)', () => {
  it.each<Path>(['json call', 'chunk upload'])('connection refused, through a %s', async (path) => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await send(clientFor(path, url), path);
    expect(error).toMatchObject({ kind: 'network' });
    expect((error as ApiVideoError).replyFault).toBeUndefined();
    expect((error as Error).message).toMatch(/could not be reached \(ECONNREFUSED\)/);
    expect(classifyFailure(error)).toMatchObject({ kind: 'network' });
  });

  it.each<Path>(['json call', 'chunk upload'])('reset before any byte of reply, through a %s', async (path) => {
    hostile.behave('reset-before-reply');
    const error = await send(clientFor(path), path);
    expect(error).toMatchObject({ kind: 'network' });
    expect((error as ApiVideoError).replyFault).toBeUndefined();
    expect(classifyFailure(error)).toMatchObject({ kind: 'network' });
  });
});
