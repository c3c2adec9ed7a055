// Issue 12, automatic sizes: each request's size is chosen as it leaves, from the measured link rate and the server's
// upload budget, sent as byte ranges over a grid of 5 MiB units. Sizes follow the link within one file, the
// production rate-limit preset draws no 429, a job journaled before byte ranges resumes by part, and what arrives is
// byte-identical.
import { afterEach, describe, expect, it } from 'vitest';
import { ApiVideoError, type ApiVideoClient } from '../../../main/apivideo/index';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allVideos, expectAllUploaded, harness, jobOf, makeFiles, MiB, sha256, waitFor, type Harness } from './helpers';

let h: Harness | null = null;
afterEach(async () => {
  await h?.sandbox.setRateLimit('off');
  await h?.cleanup();
  h = null;
});

interface Seen {
  /** Content-Range of every chunk request, in the order they left. */
  ranges: string[];
  rateLimited: number;
}

/** The client as it is, noting each chunk request's Content-Range and the 429s it drew. */
function noting(client: ApiVideoClient, seen: Seen): ApiVideoClient {
  return {
    ...client,
    uploadChunk: async (request) => {
      seen.ranges.push(request.contentRange ?? '');
      try {
        return await client.uploadChunk(request);
      } catch (error) {
        if (error instanceof ApiVideoError && error.status === 429) seen.rateLimited += 1;
        throw error;
      }
    },
  };
}

const BYTES = /^bytes (\d+)-(\d+)\/(\d+)$/;

/** The byte ranges one file was sent with, checked against api.video's rules; their lengths in order. */
function checkRanges(ranges: string[], size: number): number[] {
  const parsed = ranges.map((range) => {
    const match = BYTES.exec(range);
    expect(match, range).not.toBeNull();
    expect(Number(match![3])).toBe(size);
    return { from: Number(match![1]), to: Number(match![2]) };
  });
  const distinct = [...new Map(parsed.map((r) => [`${r.from}-${r.to}`, r])).values()].sort((a, b) => a.from - b.from);
  let next = 0;
  for (const range of distinct) {
    expect(range.from).toBe(next); // contiguous, no overlap, every byte once
    const length = range.to - range.from + 1;
    expect(length).toBeLessThanOrEqual(200 * MiB);
    if (range.to !== size - 1) {
      expect(length).toBeGreaterThanOrEqual(5 * MiB);
      expect(length % (5 * MiB)).toBe(0); // whole units
    }
    next = range.to + 1;
  }
  expect(next).toBe(size);
  return parsed.map((r) => r.to - r.from + 1);
}

describe('automatic request sizes', () => {
  it('grow on a fast link and shrink on a slow one within one file, as byte ranges of whole 5 MiB units', async () => {
    h = await harness();
    await h.engine.close();
    const seen: Seen = { ranges: [], rateLimited: 0 };
    const client = noting(h.client, seen);
    // About a second of sending per request, so the link's changes show within seconds.
    const engine = await h.open({
      getClient: () => client,
      requestSeconds: 1,
      settings: { chunkSize: 'adaptive', concurrency: 1, bandwidthLimit: 4 * MiB },
    });
    const [file] = makeFiles(h.dir, [160 * MiB]);
    await engine.add({ paths: [file!], profileId: 'p1' });
    const lengths = () => seen.ranges.map((range) => BYTES.exec(range)).map((m) => Number(m![2]) - Number(m![1]) + 1);

    await waitFor(() => seen.ranges.length >= 3, 30_000, 'three requests on the slow link');
    const slow = lengths().slice(1, 3); // the first is sized before anything was measured
    engine.updateSettings({ bandwidthLimit: 16 * MiB });
    await waitFor(() => lengths().some((n) => n >= 15 * MiB), 30_000, 'a request of three units or more');
    const grown = seen.ranges.length;
    engine.updateSettings({ bandwidthLimit: 4 * MiB });
    await waitFor(
      () =>
        lengths()
          .slice(grown)
          .some((n) => n <= 5 * MiB),
      40_000,
      'a one-unit request after the link slowed',
    );
    engine.updateSettings({ bandwidthLimit: null });
    await engine.idle();

    const all = checkRanges(seen.ranges, 160 * MiB);
    expect(Math.max(...slow)).toBeLessThanOrEqual(5 * MiB); // ~4 MiB/s for a second: one unit
    expect(Math.max(...all.slice(3, grown))).toBeGreaterThanOrEqual(15 * MiB); // grown on the fast link
    const job = jobOf(engine, file!)!;
    expect(job.state).toBe('done');
    await expectAllUploaded(h, [file!]);
  }, 120_000);

  it('keep a batch under the production rate limit: no 429, far fewer requests than fixed 5 MiB chunks', async () => {
    h = await harness();
    await h.engine.close();
    const seen: Seen = { ranges: [], rateLimited: 0 };
    const client = noting(h.client, seen);
    await h.sandbox.setRateLimit('production'); // 100 upload requests a minute
    const sizes = [140 * MiB, 140 * MiB, 140 * MiB, 140 * MiB]; // 112 requests in fixed 5 MiB chunks
    const files = makeFiles(h.dir, sizes);
    const engine = await h.open({ getClient: () => client, settings: { chunkSize: 'adaptive', concurrency: 4 } });
    await engine.add({ paths: files, profileId: 'p1' });
    await engine.idle();
    expect(seen.rateLimited).toBe(0);
    expect(seen.ranges.length).toBeLessThan(56);
    for (const [i, file] of files.entries()) {
      const job = jobOf(engine, file)!;
      const mine = (await h.client.videos.status(job.videoId!)).ingest?.receivedBytes ?? [];
      checkRanges(
        mine.map((r) => `bytes ${r.from}-${r.to}/${r.total}`),
        sizes[i]!,
      );
    }
    // Byte-identical, once: the source each video stores (560 MiB of mp4 downloads right after the batch would
    // test the test's own connection pool more than the upload).
    expect(await allVideos(h.client)).toHaveLength(files.length);
    for (const file of files) {
      const stored = join(h.sandbox.dataDir, 'videos', jobOf(engine, file)!.videoId!, 'source.mp4');
      expect(sha256(readFileSync(stored)), file).toBe(sha256(readFileSync(file)));
    }
  }, 180_000);

  it('with an upload token: the first request is one unit alone, and a span re-sent after a lost reply is acknowledged exactly', async () => {
    h = await harness();
    const { token } = await h.switchToUploadToken();
    const seen: Seen = { ranges: [], rateLimited: 0 };
    const client = noting(token, seen);
    const engine = await h.open({ getClient: () => client, settings: { chunkSize: 'adaptive', concurrency: 2 } });
    const size = 47 * MiB + 123;
    const [file] = makeFiles(h.dir, [size]);
    await h.sandbox.setFaults({ connectionBytesPerSec: 16 * MiB });
    await engine.add({ paths: [file!], profileId: 'p1' });
    await waitFor(() => seen.ranges.length >= 2, 30_000, 'the request after the first');
    // The server keeps the second request but its reply is lost: the same bytes go again, and the "already
    // received" answer stands for exactly them.
    await h.sandbox.setFaults({ connectionBytesPerSec: 16 * MiB, loseUploadReplies: 1 });
    await engine.idle();
    await h.sandbox.clearFaults();
    expect(seen.ranges[0]).toBe(`bytes 0-${5 * MiB - 1}/${size}`);
    const repeated = seen.ranges.filter((range, i) => seen.ranges.indexOf(range) !== i);
    expect(repeated).toHaveLength(1);
    checkRanges(seen.ranges, size);
    const stats = await h.sandbox.stats();
    expect(stats.chunksRejected).toBe(1); // the overlap, once
    expect(stats.chunksAccepted).toBe(seen.ranges.length - 1);
    await expectAllUploaded(h, [file!]);
  }, 120_000);

  it('a job journaled with parts before automatic sizes existed resumes by part, never mixing modes', async () => {
    h = await harness();
    await h.engine.close();
    const seen: Seen = { ranges: [], rateLimited: 0 };
    const client = noting(h.client, seen);
    const size = 23 * MiB;
    const [file] = makeFiles(h.dir, [size]);
    await h.sandbox.setFaults({ connectionBytesPerSec: 8 * MiB });
    let engine = await h.open({ getClient: () => client, settings: { chunkSize: 5 * MiB, concurrency: 1 } });
    await engine.add({ paths: [file!], profileId: 'p1' });
    await waitFor(() => (jobOf(engine, file!)?.confirmedBytes ?? 0) > 0, 30_000, 'a first part acknowledged');
    await engine.close();
    await h.sandbox.clearFaults();
    engine = await h.open({ getClient: () => client, settings: { chunkSize: 'adaptive', concurrency: 1 } });
    await engine.idle();
    expect(seen.ranges.length).toBeGreaterThanOrEqual(5);
    for (const range of seen.ranges) expect(range).toMatch(/^part \d\/5$/);
    await expectAllUploaded(h, [file!]);
  }, 120_000);
});
