// Shared set-up for the upload engine's integration tests: files on disk (random bytes, or real clips), a real sandbox,
// an engine wired to it, and checks that every file arrived byte-identical exactly once.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { expect } from 'vitest';
import { createClient, type ApiVideoClient, type Video } from '../../../main/apivideo/index';
import { FINGERPRINT_KEY, openEngine, type EngineOptions, type UploadEngine } from '../../../main/uploads/index';
import { makeClip } from '../../support/media-clips';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { removeTempDir, tempDir } from '../../support/temp-dirs';

export const MiB = 1024 * 1024;

/** A fresh `convoy-<prefix>-…` temp folder, removed when the test process ends (test/support/temp-dirs). */
export { tempDir };

let head: Buffer | null = null;

/** A real 0.4 s 32x32 H.264 MP4, index first (ffmpeg, made once per process): the start of every videoBytes. */
function clipHead(): Buffer {
  if (head) return head;
  const dir = tempDir('head');
  const file = join(dir, 'head.mp4');
  execFileSync('ffmpeg', [
    ...['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=32x32:rate=5:duration=0.4'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', file],
  ]);
  head = readFileSync(file);
  removeTempDir(dir);
  return head;
}

/**
 * `size` bytes that are a real MP4 (a short clip every player and the media preflight take) followed by a `free`
 * box of random bytes, which players skip: every file its own content, byte checks as strong as random data.
 */
export function videoBytes(size: number): Buffer {
  const clip = clipHead();
  if (size < clip.length + 8) throw new Error(`videoBytes: ${size} bytes is less than the clip (${clip.length + 8})`);
  const box = Buffer.alloc(8);
  box.writeUInt32BE(size - clip.length, 0);
  box.write('free', 4, 'latin1');
  return Buffer.concat([clip, box, randomBytes(size - clip.length - 8)]);
}

/** Writes files of `videoBytes` (real video, then random bytes); returns their paths. */
export function makeFiles(dir: string, sizes: number[], ext = 'mp4'): string[] {
  mkdirSync(dir, { recursive: true });
  return sizes.map((size, i) => {
    const path = join(dir, `clip-${String(i).padStart(3, '0')}.${ext}`);
    writeFileSync(path, videoBytes(size));
    return path;
  });
}

/**
 * Writes real video (a short ffmpeg clip padded to exactly each size, each with bytes of its own, named like
 * makeFiles' files); returns their paths. For tests that check what the server plays back, not only what it stored.
 */
export async function makeVideos(dir: string, sizes: number[]): Promise<string[]> {
  const run = randomBytes(4).toString('hex');
  const paths: string[] = [];
  for (const [i, size] of sizes.entries()) {
    const name = `clip-${String(i).padStart(3, '0')}.mp4`;
    const clip = { container: 'mp4', seconds: 1, width: 160, height: 120 } as const;
    paths.push(await makeClip(dir, { ...clip, name, tag: `${run}-${i}`, exactBytes: size }));
  }
  return paths;
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export interface Harness {
  sandbox: TestSandbox;
  client: ApiVideoClient;
  stateDir: string;
  dir: string;
  engine: UploadEngine;
  open(extra?: Partial<EngineOptions>): Promise<UploadEngine>;
  /**
   * Makes an upload token (`ttlSeconds`, 0: it never expires) with the API key and closes the engine; `token` is a
   * client that holds only that token, for the engine the test opens next.
   */
  switchToUploadToken(ttlSeconds?: number): Promise<{ token: ApiVideoClient; created: UploadTokenMade }>;
  cleanup(): Promise<void>;
}

type UploadTokenMade = Awaited<ReturnType<ApiVideoClient['uploadTokens']['create']>>;

export const fastTunables: Partial<EngineOptions> = {
  // The sandbox's Retry-After is the time left in its rate-limit minute: honoured, but capped to keep tests short.
  retry: { attempts: 10, baseDelayMs: 50, maxDelayMs: 1000, maxRetryAfterMs: 1000 },
  probeIntervalMs: 200,
  probeMaxIntervalMs: 1000,
  stallTimeoutMs: 10_000,
  playablePollMs: 200,
  progressIntervalMs: 50,
};

export async function harness(
  extra: Partial<EngineOptions> = {},
  client?: (sandbox: TestSandbox) => ApiVideoClient,
): Promise<Harness> {
  const sandbox = await startTestSandbox();
  const api = createClient({ baseUrl: sandbox.url, auth: { kind: 'bearer', apiKey: sandbox.apiKey } });
  const uploader = client ? client(sandbox) : api;
  const stateDir = tempDir('state');
  const dir = tempDir('files');
  const h: Harness = {
    sandbox,
    client: api,
    stateDir,
    dir,
    engine: null as unknown as UploadEngine,
    async open(more = {}) {
      h.engine = await openEngine({
        stateDir,
        getClient: (profileId) => {
          if (profileId !== 'p1') throw new Error(`Unknown profile ${profileId}`);
          return uploader;
        },
        settings: { chunkSize: 5 * MiB, concurrency: 4 },
        ...fastTunables,
        ...extra,
        ...more,
      });
      return h.engine;
    },
    async switchToUploadToken(ttlSeconds = 0) {
      const created = await api.uploadTokens.create(ttlSeconds);
      await h.engine.close();
      const token = createClient({ baseUrl: sandbox.url, auth: { kind: 'uploadToken', token: created.token } });
      return { token, created };
    },
    async cleanup() {
      await h.engine?.close().catch(() => {});
      await sandbox.close();
      removeTempDir(stateDir);
      removeTempDir(dir);
    },
  };
  await h.open();
  return h;
}

export async function allVideos(client: ApiVideoClient): Promise<Video[]> {
  const videos: Video[] = [];
  for (let page = 1; ; page += 1) {
    const result = await client.videos.list({ currentPage: page, pageSize: 100 });
    videos.push(...result.data);
    if (page >= result.pagination.pagesTotal || result.data.length === 0) return videos;
  }
}

/**
 * What the server holds as the video's source: its mp4 asset, or, once encoding failed (random bytes are no video, and
 * api.video then serves no asset), the source file the sandbox stored from the upload.
 */
async function storedSource(sandbox: TestSandbox, url: string, videoId: string): Promise<Buffer> {
  for (let i = 0; i < 100; i += 1) {
    const response = await fetch(url);
    if (response.ok) return Buffer.from(await response.arrayBuffer());
    if (response.status === 404) {
      const status = await fetch(`${sandbox.url}/videos/${videoId}/status`, {
        headers: { authorization: `Basic ${Buffer.from(`${sandbox.apiKey}:`).toString('base64')}` },
      }).then((r) => r.json() as Promise<{ encoding?: { qualities?: { status?: string }[] } }>);
      const qualities = status.encoding?.qualities ?? [];
      if (qualities.length > 0 && qualities.every((q) => q.status === 'failed'))
        return readFileSync(join(sandbox.dataDir, 'videos', videoId, 'source.mp4'));
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`mp4 never became available: ${url}`);
}

/** Every file is on the server exactly once (by fingerprint) and its mp4 is byte-identical. */
export async function expectAllUploaded(h: Harness, paths: string[]): Promise<void> {
  const snapshot = h.engine.snapshot();
  const videos = await allVideos(h.client);
  for (const path of paths) {
    const job = snapshot.jobs.find((j) => j.path === path);
    expect(job?.state, `${basename(path)}: ${job?.reason ?? ''}`).toBe('done');
    const matching = videos.filter((v) => v.videoId === job!.videoId);
    expect(matching).toHaveLength(1);
    // Videos made with an API key carry the fingerprint (token uploads cannot set metadata).
    const fingerprint = matching[0]!.metadata?.find((m) => m.key === FINGERPRINT_KEY)?.value;
    if (fingerprint) {
      expect(
        videos.filter((v) => v.metadata?.some((m) => m.key === FINGERPRINT_KEY && m.value === fingerprint)),
      ).toHaveLength(1);
    }
    const detail = await h.client.videos.get(job!.videoId!);
    const bytes = await storedSource(h.sandbox, detail.assets!.mp4!, job!.videoId!);
    expect(sha256(bytes), basename(path)).toBe(sha256(readFileSync(path)));
  }
  expect(videos).toHaveLength(paths.length);
}

/** Polls until `check` returns true (or throws after `timeoutMs`). */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function jobOf(engine: UploadEngine, path: string) {
  return engine.snapshot().jobs.find((j) => j.path === path);
}
