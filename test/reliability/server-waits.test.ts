// A server asking for a day's wait (X-RateLimit-Retry-After / Retry-After: 86400) gets at most MAX_SERVER_WAIT_MS per
// wait, and the job is told both numbers; a wait under the cap is kept as asked. Real client, hostile server, real classifier.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../main/apivideo';
import { MAX_SERVER_WAIT_MS, defaultRetryPolicy, retryDelay } from '../../main/uploads/backoff';
import { classifyFailure } from '../../main/uploads/failure';
import { HOSTILE_VIDEO, startHostileServer, type HostileServer } from './hostile-server';

let hostile: HostileServer;
beforeAll(async () => {
  hostile = await startHostileServer();
});
afterAll(() => hostile.close());

const upload = () =>
  createClient({
    baseUrl: hostile.url,
    auth: { kind: 'uploadToken', token: 'toABCDEFGHIJKLMNOPQRSTUV' },
    profileName: 'Work',
  })
    .uploadChunk({ fileName: 'clip.mp4', size: 5, body: () => Readable.from([Buffer.from('12345')]) })
    .catch((error: unknown) => error);
const read = () =>
  createClient({ baseUrl: hostile.url, auth: { kind: 'basic', apiKey: 'secret-key-123456' }, profileName: 'Work' })
    .videos.get(HOSTILE_VIDEO.videoId)
    .catch((error: unknown) => error);

describe('a server-requested wait is capped and said', () => {
  it('is five minutes at most', () => {
    expect(MAX_SERVER_WAIT_MS).toBe(5 * 60_000);
    expect(defaultRetryPolicy.maxRetryAfterMs).toBe(MAX_SERVER_WAIT_MS);
  });

  it.each([
    ['a chunk upload', upload],
    ['a JSON call', read],
  ])(
    '429 with X-RateLimit-Retry-After: 86400 on %s: retried in 5 min, saying the server asked for 24 h',
    async (_what, request) => {
      hostile.behave('retry-after-day');
      const started = Date.now();
      const error = await request();
      expect(Date.now() - started).toBeLessThan(2000); // nothing waited silently inside the client
      expect(error).toMatchObject({ kind: 'rate-limit', status: 429, retryAfterSeconds: 86_400 });
      const verdict = classifyFailure(error);
      expect(verdict).toMatchObject({
        kind: 'retry',
        rateLimited: true,
        retryAfterSeconds: 300,
        requestedWaitSeconds: 86_400,
      });
      const message = (verdict as { message: string }).message;
      expect(message).toContain('too many requests (HTTP 429). The server asked to wait 24 h; retrying in 5 min.');
      expect(message).not.toContain('86400');
      // The wait the retry loop takes from that verdict (with the default policy) is the cap, not a day.
      const delay = retryDelay(defaultRetryPolicy, 1, (verdict as { retryAfterSeconds?: number }).retryAfterSeconds);
      expect(delay).toBeGreaterThanOrEqual(MAX_SERVER_WAIT_MS);
      expect(delay).toBeLessThanOrEqual(MAX_SERVER_WAIT_MS + 250);
    },
  );

  it('503 with Retry-After: 86400 is honoured up to the cap too, and says so', async () => {
    hostile.behave('unavailable-for-a-day');
    const error = await upload();
    expect(error).toMatchObject({ kind: 'server', status: 503, retryAfterSeconds: 86_400 });
    const verdict = classifyFailure(error);
    expect(verdict).toMatchObject({
      kind: 'retry',
      rateLimited: false,
      retryAfterSeconds: 300,
      requestedWaitSeconds: 86_400,
    });
    expect((verdict as { message: string }).message).toContain(
      '(HTTP 503). The server said: "Down for maintenance." The server asked to wait 24 h; retrying in 5 min.',
    );
  });
});
