// Through the whole engine: a server that is up but misbehaves on every request (probes included) spends the
// retry budget and fails the file with a named reason instead of being called offline and probed for ever; a
// day-long Retry-After is waited at most MAX_SERVER_WAIT_MS and the file says so; once the server behaves, the
// file arrives once, byte-identical. The hostile server stands in front of the real sandbox.
import { afterEach, describe, expect, it } from 'vitest';
import type { NetworkStatus } from '../../common/contract/queue';
import { createClient } from '../../main/apivideo/index';
import { MAX_SERVER_WAIT_MS } from '../../main/uploads/backoff';
import {
  expectAllUploaded,
  harness,
  jobOf,
  makeFiles,
  MiB,
  waitFor,
  type Harness,
} from '../integration/uploads/helpers';
import { startHostileServer, type HostileServer, type Misbehaviour } from './hostile-server';

let h: Harness | null = null;
let hostile: HostileServer | null = null;
afterEach(async () => {
  await h?.cleanup();
  await hostile?.close();
  h = null;
  hostile = null;
});

const SMALL_BUDGET = { attempts: 2, baseDelayMs: 50, maxDelayMs: 100, maxRetryAfterMs: 100 };

/** An engine whose profile talks to the sandbox through the hostile server (short timeouts: 400 ms). */
async function throughHostile(retry: typeof SMALL_BUDGET): Promise<{ h: Harness; hostile: HostileServer }> {
  const proxy = await startHostileServer();
  hostile = proxy;
  h = await harness({ retry }, (sandbox) => {
    proxy.forwardTo(sandbox.url);
    return createClient({ baseUrl: proxy.url, auth: { kind: 'bearer', apiKey: sandbox.apiKey }, timeoutMs: 400 });
  });
  return { h, hostile: proxy };
}

describe('the engine and a misbehaving server', () => {
  it.each<[Misbehaviour, RegExp]>([
    ['huge-headers', /headers larger than 64 KiB/],
    ['late-reply', /sent no reply for 0\.4 s after POST \//],
    ['html-page', /with an HTML page \(HTTP 200\) instead of api\.video's JSON/],
  ])(
    '%s on every request: the file fails after its retries with that reason, never "offline"; then it arrives',
    async (misbehaviour, reason) => {
      const { h, hostile } = await throughHostile(SMALL_BUDGET);
      const statuses: NetworkStatus[] = [];
      h.engine.on('network', (status) => statuses.push(status));
      const [file] = makeFiles(h.dir, [6 * MiB]);
      hostile.behave(misbehaviour);
      await h.engine.add({ paths: [h.dir], profileId: 'p1' });
      await waitFor(() => jobOf(h.engine, file!)?.state === 'failed', 20_000, 'the file to fail');
      const job = jobOf(h.engine, file!)!;
      expect(job.reason).toMatch(/^Gave up after \d+ attempts: /);
      expect(job.reason).toMatch(reason);
      expect(statuses.every((status) => status.online)).toBe(true);
      expect(h.engine.snapshot().network.online).toBe(true);
      // Bounded: the budget (3 tries) was spent, not more.
      expect(hostile.spoiled).toBeLessThanOrEqual(6);

      hostile.behave('well-behaved');
      h.engine.control('retry', [job.id]);
      await h.engine.idle();
      await expectAllUploaded(h, [file!]);
    },
    60_000,
  );

  it('a chunk answered 429 with X-RateLimit-Retry-After: 86400 is retried in 5 min, not a day, and the file says so', async () => {
    // A policy that would honour an hour: only the cap on a single server wait keeps it to five minutes.
    const { h, hostile } = await throughHostile({ ...SMALL_BUDGET, maxRetryAfterMs: 60 * 60_000 });
    const [file] = makeFiles(h.dir, [6 * MiB]);
    hostile.behave('retry-after-day', {
      match: ({ method, url }) => method === 'POST' && url.endsWith('/source'),
      times: 1,
    });
    const before = Date.now();
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    await waitFor(() => jobOf(h.engine, file!)?.state === 'retrying', 20_000, 'the retry after the 429');
    const job = jobOf(h.engine, file!)!;
    expect(job.reason).toContain('too many requests (HTTP 429). The server asked to wait 24 h; retrying in 5 min.');
    expect(job.retryAt! - before).toBeGreaterThanOrEqual(MAX_SERVER_WAIT_MS - 1000);
    expect(job.retryAt! - Date.now()).toBeLessThanOrEqual(MAX_SERVER_WAIT_MS + 250);
    expect(hostile.spoiled).toBe(1);
  }, 60_000);
});
