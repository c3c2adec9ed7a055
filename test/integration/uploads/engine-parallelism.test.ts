// How many parts of one file are in flight at once, counted by a pass-through proxy in front of the real
// sandbox: one per file while other files wait for a slot (a crash loses at most one chunk each), more for a lone file.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../../../main/apivideo/index';
import { expectAllUploaded, harness, jobOf, makeFiles, MiB, type Harness } from './helpers';

/** Forwards every request to the sandbox and counts the chunk POSTs in flight per video. */
interface ChunkCounter {
  url: string;
  target: string;
  /** Most chunks of one video in flight at once, over the moments `counting()` held. */
  maxPerVideo: Map<string, number>;
  /** Most chunks of one video in flight at once before the first of them ended. */
  maxBeforeFirstEnded: Map<string, number>;
  counting: () => boolean;
  close(): Promise<void>;
}

async function chunkCounter(): Promise<ChunkCounter> {
  const inflight = new Map<string, number>();
  const ended = new Set<string>();
  const counter = {
    target: '',
    maxPerVideo: new Map<string, number>(),
    maxBeforeFirstEnded: new Map<string, number>(),
    counting: () => true,
  } as ChunkCounter;
  const server: Server = createServer((req, res) => {
    const video = req.method === 'POST' ? /^\/videos\/([^/?]+)\/source/.exec(req.url ?? '')?.[1] : undefined;
    if (video) {
      const now = (inflight.get(video) ?? 0) + 1;
      inflight.set(video, now);
      if (counter.counting()) counter.maxPerVideo.set(video, Math.max(now, counter.maxPerVideo.get(video) ?? 0));
      if (!ended.has(video))
        counter.maxBeforeFirstEnded.set(video, Math.max(now, counter.maxBeforeFirstEnded.get(video) ?? 0));
      res.once('close', () => {
        inflight.set(video, inflight.get(video)! - 1);
        ended.add(video);
      });
    }
    const upstream = request(
      counter.target + (req.url ?? '/'),
      { method: req.method, headers: { ...req.headers, host: new URL(counter.target).host } },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  counter.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  counter.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return counter;
}

let h: Harness | null = null;
let proxy: ChunkCounter | null = null;
afterEach(async () => {
  await h?.cleanup();
  await proxy?.close();
  h = null;
  proxy = null;
});

async function proxiedHarness(): Promise<Harness> {
  proxy = await chunkCounter();
  const counter = proxy;
  return harness({}, (sandbox) => {
    counter.target = sandbox.url;
    return createClient({ baseUrl: counter.url, auth: { kind: 'bearer', apiKey: sandbox.apiKey } });
  });
}

describe('upload engine: parts in flight per file', () => {
  it('keeps one part per file in flight while other files wait for a slot (concurrency 4, 6 files)', async () => {
    h = await proxiedHarness();
    const files = makeFiles(
      h.dir,
      Array.from({ length: 6 }, () => 11 * MiB),
    ); // 3 parts of 5 MiB each
    const engine = h.engine;
    proxy!.counting = () => engine.snapshot().jobs.some((job) => job.state === 'queued');
    await h.sandbox.setFaults({ connectionBytesPerSec: 16 * MiB });
    await engine.add({ paths: [h.dir], profileId: 'p1' });
    await engine.idle();
    await h.sandbox.clearFaults();
    await expectAllUploaded(h, files);
    // Chunks went out while files were still queued, and several files shared the slots then.
    expect(proxy!.maxPerVideo.size).toBeGreaterThanOrEqual(4);
    expect(Math.max(...proxy!.maxPerVideo.values())).toBe(1);
  });

  it('sends the parts of a lone file in parallel on the spare slots', async () => {
    h = await proxiedHarness();
    const files = makeFiles(h.dir, [38 * MiB]); // 8 parts
    await h.sandbox.setFaults({ connectionBytesPerSec: 16 * MiB });
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    await h.engine.idle();
    await h.sandbox.clearFaults();
    await expectAllUploaded(h, files);
    const [most] = [...proxy!.maxPerVideo.values()];
    expect(most).toBeGreaterThan(1);
  });

  it('widens a file onto the slots other files free as soon as they free, not when its own part ends', async () => {
    h = await proxiedHarness();
    // Three 1 MiB files end long before the big file's first 5 MiB part can (4 MiB/s a connection); once they
    // have, nothing waits, and the big file takes their slots at once.
    const files = makeFiles(h.dir, [1 * MiB, 1 * MiB, 1 * MiB, 38 * MiB]);
    await h.sandbox.setFaults({ connectionBytesPerSec: 4 * MiB });
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    await h.engine.idle();
    await h.sandbox.clearFaults();
    await expectAllUploaded(h, files);
    const big = jobOf(h.engine, files[3]!)!.videoId!;
    expect(proxy!.maxBeforeFirstEnded.get(big)).toBe(4);
  });
});
