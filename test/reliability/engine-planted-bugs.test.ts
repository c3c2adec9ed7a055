// Through the real engine, over HTTP to the sandbox, with real files: the exactly-once rules that planted bugs broke
// while the suite stayed green. A counting proxy in front of the sandbox sees every request (which video, which
// part) and can answer one itself or drop the reply of one the sandbox took; checks go to the server and the counts.
import { createReadStream, readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../../main/apivideo/index';
import { CONTENT_KEY, contentHashOfFile } from '../../main/uploads/content-hash';
import { FINGERPRINT_KEY, fingerprintFile, type EngineOptions } from '../../main/uploads/index';
import {
  allVideos,
  expectAllUploaded,
  harness,
  jobOf,
  makeFiles,
  MiB,
  sha256,
  waitFor,
  type Harness,
} from '../integration/uploads/helpers';
import { startLocalServer } from '../support/local-server';

// ---- a counting proxy ---------------------------------------------------------------------------

/** One request the proxy saw: an upload names its video and part (from Content-Range). */
interface Exchange {
  method: string;
  path: string;
  videoId: string | null;
  part: number | null;
  startedAt: number;
  /** The status the engine was answered with (or the sandbox's, when the reply was dropped); unset while in flight. */
  status?: number;
  /** The problem's slug of an error reply. */
  slug?: string;
  repliedAt?: number;
  /** The sandbox took it, and the proxy dropped its reply. */
  dropped?: boolean;
  /** The sandbox took it, and the proxy holds its reply back for as long as the engine waits. */
  held?: boolean;
}

/**
 * What to do with a request: pass it on; pass it on and drop the sandbox's reply, or hold it back (never sent); or
 * answer it here (the body is read first).
 */
type Action =
  | 'forward'
  | 'drop-reply'
  | 'hold-reply'
  | { status: number; problem: Record<string, unknown>; headers?: Record<string, string> };

interface CountingProxy {
  readonly url: string;
  readonly exchanges: Exchange[];
  /** Decides each request; default forward. Called when its headers arrive. */
  rule: (exchange: Exchange) => Action;
  /** Upload requests (POST .../source) for a part, optionally of one video. */
  chunks(part: number, videoId?: string): Exchange[];
  close(): Promise<void>;
}

async function startCountingProxy(): Promise<CountingProxy & { forwardTo(url: string): void }> {
  let upstream = '';
  const proxy = {
    url: '',
    exchanges: [] as Exchange[],
    rule: ((): Action => 'forward') as (exchange: Exchange) => Action,
    forwardTo(url: string) {
      upstream = url;
    },
    chunks(part: number, videoId?: string) {
      return this.exchanges.filter((e) => e.part === part && (videoId === undefined || e.videoId === videoId));
    },
    close: () => local.close(),
  };
  const local = await startLocalServer((req, res) => {
    const path = req.url ?? '/';
    const range = /^part (\d+)\/(\d+|\*)$/.exec(String(req.headers['content-range'] ?? ''));
    const source = /^\/videos\/([^/?]+)\/source/.exec(path);
    const exchange: Exchange = {
      method: req.method ?? 'GET',
      path,
      videoId: source ? source[1]! : null,
      part: source && range ? Number(range[1]) : null,
      startedAt: Date.now(),
    };
    proxy.exchanges.push(exchange);
    const action = proxy.rule(exchange);
    if (typeof action === 'object') {
      req.resume();
      req.on('end', () => {
        exchange.status = action.status;
        exchange.slug = slugOf(action.problem);
        exchange.repliedAt = Date.now();
        res.writeHead(action.status, { 'content-type': 'application/problem+json', ...action.headers });
        res.end(JSON.stringify(action.problem));
      });
      return;
    }
    forward(upstream, req, res, exchange, action);
  });
  proxy.url = local.url;
  return proxy;
}

/** Passes the request on; the reply comes back whole (read first, to note its status), is dropped or held back. */
function forward(
  upstream: string,
  req: IncomingMessage,
  res: ServerResponse,
  exchange: Exchange,
  action: 'forward' | 'drop-reply' | 'hold-reply',
): void {
  const target = new URL(req.url ?? '/', upstream);
  const out = httpRequest(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (reply) => {
    const pieces: Buffer[] = [];
    reply.on('data', (piece: Buffer) => pieces.push(piece));
    reply.on('end', () => {
      const body = Buffer.concat(pieces);
      exchange.status = reply.statusCode ?? 502;
      exchange.repliedAt = Date.now();
      if (exchange.status >= 400) exchange.slug = slugOf(parseJson(body));
      if (action === 'drop-reply') {
        exchange.dropped = true;
        req.socket.destroy(); // the sandbox kept it; the engine never hears
        return;
      }
      if (action === 'hold-reply') {
        exchange.held = true; // the sandbox kept it; the engine waits until it gives up or closes
        return;
      }
      res.writeHead(exchange.status, reply.headers);
      res.end(body);
    });
  });
  out.on('error', () => res.destroy());
  // An engine that gives up mid-body (close, abort) leaves no half request waiting at the sandbox.
  req.on('close', () => {
    if (!req.complete) out.destroy();
  });
  req.pipe(out);
}

function parseJson(body: Buffer): Record<string, unknown> | undefined {
  try {
    return JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function slugOf(problem: Record<string, unknown> | undefined): string | undefined {
  const type = problem?.type;
  return typeof type === 'string' ? type.split('/').pop() : undefined;
}

function problem(status: number, slug: string, title: string, name?: string): Record<string, unknown> {
  return { type: `https://docs.api.video/reference/${slug}`, title, status, ...(name ? { name } : {}) };
}

// ---- set-up -------------------------------------------------------------------------------------

let h: Harness | null = null;
let proxy: CountingProxy | null = null;
afterEach(async () => {
  await h?.cleanup();
  await proxy?.close();
  h = null;
  proxy = null;
});

/** A small retry budget: a planted retry shows in the counts quickly. */
const SMALL_RETRY = { attempts: 3, baseDelayMs: 50, maxDelayMs: 100, maxRetryAfterMs: 100 };

/** An engine whose profile (API key) talks to the sandbox through the counting proxy. */
async function throughProxy(extra: Partial<EngineOptions> = {}): Promise<{ h: Harness; proxy: CountingProxy }> {
  const counting = await startCountingProxy();
  proxy = counting;
  h = await harness({ retry: SMALL_RETRY, ...extra }, (sandbox) => {
    counting.forwardTo(sandbox.url);
    return createClient({ baseUrl: counting.url, auth: { kind: 'bearer', apiKey: sandbox.apiKey } });
  });
  return { h, proxy: counting };
}

/** The mp4 of a video, once the sandbox has assembled it. */
async function storedBytes(h: Harness, videoId: string): Promise<Buffer> {
  const detail = await h.client.videos.get(videoId);
  for (let i = 0; i < 100; i += 1) {
    const response = await fetch(detail.assets!.mp4!);
    if (response.ok) return Buffer.from(await response.arrayBuffer());
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the mp4 of ${videoId} never became available`);
}

// ---- the tests ----------------------------------------------------------------------------------

describe('a refusal is not retried like a server failure', () => {
  it.each<[string, number, Record<string, unknown>]>([
    ['400 bad request', 400, problem(400, 'invalid-attribute', 'The chunk was not accepted.', 'file')],
    ['403 forbidden', 403, problem(403, 'authentication-forbidden', 'This account may not upload.')],
  ])(
    "a part answered %s fails the file after that one request, with the server's reason",
    async (_name, status, reply) => {
      const { h, proxy } = await throughProxy();
      const [file] = makeFiles(h.dir, [12 * MiB]); // three parts
      proxy.rule = (e) => (e.part === 2 ? { status, problem: reply } : 'forward');
      await h.engine.add({ paths: [h.dir], profileId: 'p1' });
      await h.engine.idle();
      expect(proxy.chunks(2)).toHaveLength(1);
      const job = jobOf(h.engine, file!)!;
      expect(job.state, job.reason).toBe('failed');
      expect(job.reason).toContain(String(reply.title));
      expect(job.reason).toContain(`HTTP ${status}`);
      expect(job.reason).not.toMatch(/Gave up after/);
      // Nothing was sent again either: no part went out twice.
      for (const part of [1, 3]) expect(proxy.chunks(part).length).toBeLessThanOrEqual(1);
    },
    15_000,
  );

  it('a part answered 404 (the video is gone) is not sent again to that video: the file starts over and arrives', async () => {
    const { h, proxy } = await throughProxy();
    const [file] = makeFiles(h.dir, [12 * MiB]);
    let gone: string | null = null;
    proxy.rule = (e) => {
      if (e.part === 2 && (gone === null || e.videoId === gone)) {
        gone = e.videoId;
        return {
          status: 404,
          problem: problem(404, 'resource-not-found', 'The requested resource was not found.', 'videoId'),
        };
      }
      return 'forward';
    };
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    await h.engine.idle();
    expect(gone).not.toBeNull();
    expect(proxy.chunks(2, gone!)).toHaveLength(1);
    const job = jobOf(h.engine, file!)!;
    expect(job.videoId).not.toBe(gone);
    expect(job.reason).toMatch(/no longer on the server|not found|starts over|new video/i);
    await expectAllUploaded(h, [file!]);
  }, 15_000);
});

describe('a resume sends only what the server lacks', () => {
  const slow = { settings: { chunkSize: 5 * MiB, concurrency: 2, bandwidthLimit: 8 * MiB } };
  const fast = { settings: { chunkSize: 5 * MiB, concurrency: 2, bandwidthLimit: null } };
  const SIX_PARTS = 28 * MiB;

  /** At the close: the parts the sandbox took (answered or not), and those whose request was still under way. */
  function partsAtClose(proxy: CountingProxy): { taken: Set<number>; unfinished: Set<number> } {
    const uploads = proxy.exchanges.filter((e) => e.part !== null);
    return {
      taken: new Set(uploads.filter((e) => e.status !== undefined && e.status < 300).map((e) => e.part!)),
      unfinished: new Set(uploads.filter((e) => e.status === undefined).map((e) => e.part!)),
    };
  }

  /** Each part went out once; one under way at the close at most twice; nothing the server held was offered again. */
  function expectSentOnce(
    proxy: CountingProxy,
    parts: number,
    { taken, unfinished }: ReturnType<typeof partsAtClose>,
  ): void {
    for (let part = 1; part <= parts; part += 1) {
      // An attempt that never reached the server (cut by a busy machine, no reply at all) may be sent again; the
      // bug is offering a part again that the server already took.
      const sent = proxy.chunks(part).filter((e, i, all) => e.status !== undefined || i === all.length - 1);
      const allowed = !taken.has(part) && unfinished.has(part) ? 2 : 1;
      expect(
        sent.length,
        `part ${part} (taken before the close: ${taken.has(part)}, under way: ${unfinished.has(part)})`,
      ).toBeLessThanOrEqual(allowed);
      expect(sent.length, `part ${part}`).toBeGreaterThanOrEqual(1);
    }
    // The sandbox never had to say "already have it".
    expect(proxy.exchanges.filter((e) => e.part !== null && e.status !== undefined && e.status >= 400)).toEqual([]);
  }

  it('closed mid-file and reopened: every part is sent once, but for those in flight at the close', async () => {
    const { h, proxy } = await throughProxy(slow);
    const [file] = makeFiles(h.dir, [SIX_PARTS]);
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    await waitFor(
      () => {
        const { taken, unfinished } = partsAtClose(proxy);
        return taken.size >= 2 && unfinished.size >= 1;
      },
      12_000,
      'two parts taken and one in flight',
    );
    const firstVideo = jobOf(h.engine, file!)!.videoId;
    await h.engine.close();
    const atClose = partsAtClose(proxy);
    expect(atClose.taken.size).toBeLessThan(6); // really mid-file

    await h.open(fast);
    await h.engine.idle();
    await expectAllUploaded(h, [file!]);
    expect(jobOf(h.engine, file!)!.videoId).toBe(firstVideo);
    expectSentOnce(proxy, 6, atClose);
  }, 15_000);

  it('a part the server took but whose reply never came before the close is not sent again: the server is asked', async () => {
    const { h, proxy } = await throughProxy(slow);
    const [file] = makeFiles(h.dir, [SIX_PARTS]);
    // Part 2's reply is held back: the journal cannot know the server has it, as after a kill.
    proxy.rule = (e) => (e.part === 2 && proxy.chunks(2).length === 1 ? 'hold-reply' : 'forward');
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    await waitFor(() => proxy.chunks(2)[0]?.held === true, 12_000, 'the sandbox to take part 2');
    await h.engine.close();
    const atClose = partsAtClose(proxy);
    expect(atClose.taken.has(2)).toBe(true);
    expect(atClose.taken.size).toBeLessThan(6);

    await h.open(fast);
    await h.engine.idle();
    await expectAllUploaded(h, [file!]);
    expect(proxy.chunks(2)).toHaveLength(1);
    expectSentOnce(proxy, 6, atClose);
  }, 15_000);
});

describe('an incomplete video with the same fingerprint is no duplicate', () => {
  it("a container with this file's fingerprint (and even its content hash) holding only part 1: the file uploads", async () => {
    const { h } = await throughProxy();
    const [file] = makeFiles(h.dir, [12 * MiB]);
    const size = 12 * MiB;
    const fingerprint = await fingerprintFile(file!, size);
    const content = await contentHashOfFile(file!, size, 5 * MiB);
    // One claims the fingerprint only; the other also claims the whole content (another machine's, say). Each holds
    // only the first of three parts.
    const planted: string[] = [];
    for (const metadata of [
      [{ key: FINGERPRINT_KEY, value: fingerprint }],
      [
        { key: FINGERPRINT_KEY, value: fingerprint },
        { key: CONTENT_KEY, value: content },
      ],
    ]) {
      const video = await h.client.videos.create({ title: 'clip-000', metadata });
      await h.client.uploadChunk({
        videoId: video.videoId,
        contentRange: 'part 1/3',
        fileName: 'clip-000.mp4',
        size: 5 * MiB,
        body: () => createReadStream(file!, { start: 0, end: 5 * MiB - 1 }),
      });
      planted.push(video.videoId);
    }
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    await h.engine.idle();
    const job = jobOf(h.engine, file!)!;
    expect(job.state, job.reason).toBe('done');
    expect(planted).not.toContain(job.videoId);
    expect(sha256(await storedBytes(h, job.videoId!))).toBe(sha256(readFileSync(file!)));
    // The others are left as they were: still there, still incomplete.
    const videos = await allVideos(h.client);
    expect(videos.map((v) => v.videoId).sort()).toEqual([...planted, job.videoId!].sort());
    for (const videoId of planted) expect((await h.client.videos.status(videoId)).ingest?.status).not.toBe('uploaded');
  }, 15_000);
});

describe('the "already sent" replies, end to end', () => {
  it('a middle part whose reply was lost is sent again, and "part already sent" counts it as acknowledged', async () => {
    const { h, proxy } = await throughProxy();
    const [file] = makeFiles(h.dir, [12 * MiB]);
    let confirmedBeforeLast: number | null = null;
    proxy.rule = (e) => {
      if (e.part === 3 && confirmedBeforeLast === null) confirmedBeforeLast = jobOf(h.engine, file!)!.confirmedBytes;
      return e.part === 2 && proxy.chunks(2).length === 1 ? 'drop-reply' : 'forward';
    };
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    await h.engine.idle();
    await expectAllUploaded(h, [file!]);
    const second = proxy.chunks(2);
    expect(second.map((e) => [e.status, e.dropped ?? false])).toEqual([
      [201, true],
      [400, false],
    ]);
    expect(second[1]!.slug).toBe('video-content-range-by-part-part-already-sent');
    expect(proxy.chunks(1)).toHaveLength(1);
    expect(proxy.chunks(3)).toHaveLength(1);
    // Before the last part left, parts 1 and 2 were both counted as on the server.
    expect(confirmedBeforeLast).toBe(10 * MiB);
  }, 15_000);

  it('the last part whose reply was lost: "source already uploaded" finishes the job', async () => {
    const { h, proxy } = await throughProxy();
    const [file] = makeFiles(h.dir, [12 * MiB]);
    proxy.rule = (e) => (e.part === 3 && proxy.chunks(3).length === 1 ? 'drop-reply' : 'forward');
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    await h.engine.idle();
    await expectAllUploaded(h, [file!]);
    const last = proxy.chunks(3);
    expect(last.map((e) => [e.status, e.dropped ?? false])).toEqual([
      [201, true],
      [400, false],
    ]);
    expect(last[1]!.slug).toBe('video-source-already-uploaded');
    expect(proxy.chunks(1)).toHaveLength(1);
    expect(proxy.chunks(2)).toHaveLength(1);
    expect(jobOf(h.engine, file!)!.confirmedBytes).toBe(12 * MiB);
  }, 15_000);
});

describe('Retry-After, end to end', () => {
  const tooMany = (retryAfter: string): Action => ({
    status: 429,
    problem: problem(429, 'too-many-requests', 'Too many requests.'),
    headers: { 'retry-after': retryAfter },
  });

  it('a 429 with Retry-After: 2 is waited (retrying, about 2 s ahead), then the part goes and the file arrives', async () => {
    const { h, proxy } = await throughProxy({ retry: { ...SMALL_RETRY, maxRetryAfterMs: 10_000 } });
    const [file] = makeFiles(h.dir, [3 * MiB]); // one part: nothing else moves the job out of "retrying"
    proxy.rule = (e) => (e.part === 1 && proxy.chunks(1).length === 1 ? tooMany('2') : 'forward');
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    await waitFor(() => jobOf(h.engine, file!)?.state === 'retrying', 10_000, 'the retry after the 429');
    const seenAt = Date.now();
    const job = jobOf(h.engine, file!)!;
    expect(job.reason).toMatch(/HTTP 429/);
    const refusedAt = proxy.chunks(1)[0]!.repliedAt!;
    expect(job.retryAt! - refusedAt).toBeGreaterThanOrEqual(1900);
    expect(job.retryAt! - refusedAt).toBeLessThanOrEqual(3000); // 2 s and the jitter, with room for a busy machine
    expect(job.retryAt! - seenAt).toBeGreaterThan(1000);
    await h.engine.idle();
    await expectAllUploaded(h, [file!]);
    const [refused, sent] = proxy.chunks(1);
    expect(refused!.status).toBe(429);
    expect(sent!.status).toBe(201);
    expect(sent!.startedAt - refused!.repliedAt!).toBeGreaterThanOrEqual(1900);
    expect(proxy.chunks(1)).toHaveLength(2);
  }, 15_000);

  it("a 429 with Retry-After: 86400 is cut to the retry policy's cap (0.5 s here), then the file arrives", async () => {
    const { h, proxy } = await throughProxy({ retry: { ...SMALL_RETRY, maxRetryAfterMs: 500 } });
    const [file] = makeFiles(h.dir, [3 * MiB]);
    proxy.rule = (e) => (e.part === 1 && proxy.chunks(1).length === 1 ? tooMany('86400') : 'forward');
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    await waitFor(
      () => jobOf(h.engine, file!)?.state === 'retrying' || proxy.chunks(1).length > 1,
      10_000,
      'the retry after the 429',
    );
    const retryAt = jobOf(h.engine, file!)?.retryAt;
    const refusedAt = proxy.chunks(1)[0]!.repliedAt!;
    if (retryAt !== undefined) expect(retryAt - refusedAt).toBeLessThanOrEqual(1500); // 0.5 s and the jitter, not a day nor 5 min
    await waitFor(
      () => jobOf(h.engine, file!)?.state === 'done',
      8_000,
      'the file to arrive soon after the capped wait',
    );
    await expectAllUploaded(h, [file!]);
    const [refused, sent] = proxy.chunks(1);
    expect(refused!.status).toBe(429);
    expect(sent!.startedAt - refused!.repliedAt!).toBeGreaterThanOrEqual(400);
    expect(sent!.startedAt - refused!.repliedAt!).toBeLessThan(3000);
  }, 15_000);
});
