// "Done" means the server holds exactly the file's bytes, once, whatever the user's own files and journal do: a file
// swapped for another of the same size and mtime (mid-upload and between runs), look-alike files that share their
// sampled fingerprint, a journal lost mid-run, two runs over one folder at once, a file that vanishes mid-upload.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../../main/apivideo/index';
import { openEngine, type UploadEngine } from '../../main/uploads/index';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import {
  allVideos,
  expectAllUploaded,
  fastTunables,
  harness,
  jobOf,
  makeFiles,
  MiB,
  sha256,
  tempDir,
  videoBytes,
  waitFor,
  type Harness,
} from '../integration/uploads/helpers';

let h: Harness | null = null;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  await h?.cleanup();
  h = null;
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Replaces `path` by a file of other bytes with the same size and modification time (a re-export moved in place). */
function swapSameSizeSameTime(path: string): void {
  const before = statSync(path);
  const other = `${path}.incoming`;
  writeFileSync(other, videoBytes(before.size));
  execFileSync('touch', ['-r', path, other]); // the exact timestamps, as cp -p and rsync -t keep them
  renameSync(other, path);
  expect(statSync(path).mtimeMs).toBe(before.mtimeMs);
  expect(statSync(path).size).toBe(before.size);
}

/** Two files of one size whose first, middle and last 64 KiB agree (the sampled fingerprint) but not the rest. */
function lookAlikes(dir: string, size: number): [string, string] {
  const a = videoBytes(size);
  const b = Buffer.from(a);
  randomBytes(4096).copy(b, Math.floor(size / 4)); // a quarter in: outside every sample
  const pa = join(dir, 'take-1.mp4');
  const pb = join(dir, 'take-2.mp4');
  writeFileSync(pa, a);
  writeFileSync(pb, b);
  return [pa, pb];
}

async function firstPartSent(engine: UploadEngine, path: string): Promise<void> {
  await waitFor(() => (jobOf(engine, path)?.confirmedBytes ?? 0) > 0, 30_000, 'a first part acknowledged');
}

/** Uploads one 16 MiB file over a slow link (5 MiB parts, one at a time) until its first part is acknowledged. */
async function uploadUntilFirstPart(): Promise<{ started: Harness; file: string }> {
  const started = await harness({ settings: { chunkSize: 5 * MiB, concurrency: 1 } });
  h = started; // cleaned up after the test even if the first part never arrives
  const [file] = makeFiles(started.dir, [16 * MiB]);
  await started.sandbox.setFaults({ connectionBytesPerSec: 8 * MiB });
  await started.engine.add({ paths: [file!], profileId: 'p1' });
  await firstPartSent(started.engine, file!);
  return { started, file: file! };
}

describe('exactly once, byte-identical', () => {
  it('a file swapped mid-upload for another of the same size and mtime restarts as a new video with the new bytes', async () => {
    const { started, file } = await uploadUntilFirstPart();
    h = started;
    swapSameSizeSameTime(file);
    await h.engine.idle();
    await h.sandbox.clearFaults();
    const job = jobOf(h.engine, file)!;
    expect(job.reason).toMatch(
      /The file changed during the upload \(it was modified\); it was uploaded again as a new video\. Part 1 of 4/,
    );
    await expectAllUploaded(h, [file]); // the new bytes, one video: the old container was deleted
  });

  it('a file swapped between runs (same size and mtime) is noticed on resume and uploaded again whole', async () => {
    const { started, file } = await uploadUntilFirstPart();
    h = started;
    await h.engine.close();
    await h.sandbox.clearFaults();
    swapSameSizeSameTime(file);
    const engine = await h.open();
    await engine.idle();
    expect(jobOf(engine, file)!.reason).toMatch(/The file changed since the upload started \(it was modified\)/);
    await expectAllUploaded(h, [file]);
  });

  it('the same bytes under a new identity (copied over itself) go on without starting over', async () => {
    const { started, file } = await uploadUntilFirstPart();
    h = started;
    await h.engine.close();
    await h.sandbox.clearFaults();
    const copy = `${file}.copy`;
    writeFileSync(copy, readFileSync(file)); // another inode, another ctime, the same content
    renameSync(copy, file);
    const engine = await h.open();
    await engine.idle();
    const job = jobOf(engine, file)!;
    expect(job.reason).toBeUndefined();
    await expectAllUploaded(h, [file]);
  });

  it('look-alike files (same size and sampled bytes, other content) both upload: an API key', async () => {
    h = await harness();
    const files = lookAlikes(h.dir, 8 * MiB);
    await h.engine.add({ paths: [files[0]], profileId: 'p1' });
    await h.engine.idle();
    await h.engine.add({ paths: [files[1]], profileId: 'p1' });
    await h.engine.idle();
    expect(jobOf(h.engine, files[1])!.state).toBe('done');
    const videos = await allVideos(h.client);
    expect(videos).toHaveLength(2);
    for (const path of files) {
      const video = await h.client.videos.get(jobOf(h.engine, path)!.videoId!);
      const bytes = Buffer.from(await (await fetch(video.assets!.mp4!)).arrayBuffer());
      expect(sha256(bytes)).toBe(sha256(readFileSync(path)));
    }
  });

  it('look-alike files both upload with an upload token too (its journal alone used to call the second a duplicate)', async () => {
    h = await harness();
    const { token } = await h.switchToUploadToken();
    const engine = await h.open({ getClient: () => token });
    const files = lookAlikes(h.dir, 8 * MiB);
    await engine.add({ paths: [files[0]], profileId: 'p1' });
    await engine.idle();
    await engine.add({ paths: [files[1]], profileId: 'p1' });
    await engine.idle();
    expect(files.map((f) => jobOf(engine, f)!.state)).toEqual(['done', 'done']);
    expect(await allVideos(h.client)).toHaveLength(2);
    // The same content again is still skipped: proved by its hash.
    const again = join(h.dir, 'again');
    mkdirSync(again);
    writeFileSync(join(again, 'take-1.mp4'), readFileSync(files[0]));
    await engine.add({ paths: [again], profileId: 'p1' });
    await engine.idle();
    expect(jobOf(engine, join(again, 'take-1.mp4'))!.state).toBe('skipped');
  });

  it('a journal lost mid-run: the next run continues the incomplete containers and skips what arrived', async () => {
    h = await harness({ settings: { chunkSize: 5 * MiB, concurrency: 2 } });
    const files = makeFiles(h.dir, [2 * MiB, 16 * MiB, 16 * MiB]);
    await h.sandbox.setFaults({ connectionBytesPerSec: 8 * MiB });
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    await waitFor(() => jobOf(h!.engine, files[0]!)?.state === 'done', 30_000, 'the small file');
    await firstPartSent(h.engine, files[1]!);
    await h.engine.close();
    await h.sandbox.clearFaults();
    rmSync(h.stateDir, { recursive: true, force: true }); // the whole journal is gone
    const before = (await h.sandbox.stats()).bytesReceived;
    const engine = await h.open();
    await engine.add({ paths: [h.dir], profileId: 'p1' });
    await engine.idle();
    expect(jobOf(engine, files[0]!)!.state).toBe('skipped'); // already there, proved by its content hash
    expect(jobOf(engine, files[1]!)!.state).toBe('done');
    // The one video per file, byte-identical, and no incomplete container left behind.
    const videos = await allVideos(h.client);
    expect(videos).toHaveLength(3);
    for (const path of files.slice(1)) {
      const video = await h.client.videos.get(jobOf(engine, path)!.videoId!);
      expect(sha256(Buffer.from(await (await fetch(video.assets!.mp4!)).arrayBuffer()))).toBe(
        sha256(readFileSync(path)),
      );
    }
    // The parts the killed run delivered were not sent again: less than both big files whole.
    expect((await h.sandbox.stats()).bytesReceived - before).toBeLessThanOrEqual(32 * MiB - 5 * MiB);
  });

  it('two runs over the same folder with different state directories end with one video per file', async () => {
    const sandbox: TestSandbox = await startTestSandbox();
    cleanups.push(() => sandbox.close());
    const dir = tempDir('twin-files');
    const files = makeFiles(dir, [12 * MiB, 12 * MiB, 3 * MiB]);
    const client = createClient({ baseUrl: sandbox.url, auth: { kind: 'bearer', apiKey: sandbox.apiKey } });
    const engines = await Promise.all(
      [tempDir('state-a'), tempDir('state-b')].map((stateDir) =>
        openEngine({
          stateDir,
          getClient: () => client,
          settings: { chunkSize: 5 * MiB, concurrency: 2 },
          ...fastTunables,
        }),
      ),
    );
    cleanups.push(async () => {
      for (const engine of engines) await engine.close();
      rmSync(dir, { recursive: true, force: true });
    });
    await Promise.all(engines.map((engine) => engine.add({ paths: [dir], profileId: 'p1' })));
    await Promise.all(engines.map((engine) => engine.idle()));
    const videos = await allVideos(client);
    expect(videos).toHaveLength(files.length);
    for (const path of files) {
      const ids = engines.map((engine) => jobOf(engine, path)!);
      for (const job of ids) expect(['done', 'skipped'], `${job.name}: ${job.reason ?? ''}`).toContain(job.state);
      expect(new Set(ids.map((job) => job.videoId)).size).toBe(1);
      const video = await client.videos.get(ids[0]!.videoId!);
      expect(sha256(Buffer.from(await (await fetch(video.assets!.mp4!)).arrayBuffer()))).toBe(
        sha256(readFileSync(path)),
      );
    }
  });

  it('a file that vanishes mid-upload fails alone, in plain words; the others arrive; a retry works once it is back', async () => {
    h = await harness({ settings: { chunkSize: 5 * MiB, concurrency: 2 } });
    const files = makeFiles(h.dir, [16 * MiB, 4 * MiB, 4 * MiB]);
    const saved = readFileSync(files[0]!);
    await h.sandbox.setFaults({ connectionBytesPerSec: 8 * MiB });
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    await firstPartSent(h.engine, files[0]!);
    rmSync(files[0]!);
    await h.engine.idle();
    await h.sandbox.clearFaults();
    const gone = jobOf(h.engine, files[0]!)!;
    expect(gone.state).toBe('failed');
    expect(gone.reason).toMatch(/is no longer there \(moved, renamed or deleted\)/);
    expect(files.slice(1).map((f) => jobOf(h!.engine, f)!.state)).toEqual(['done', 'done']);
    writeFileSync(files[0]!, saved);
    utimesSync(files[0]!, new Date(gone.createdAt), new Date(gone.createdAt)); // back, though not the same inode
    h.engine.control('retry', [gone.id]);
    await h.engine.idle();
    await expectAllUploaded(h, files);
  });
});

describe("upload windows, judged by the server's clock", () => {
  it('a token upload the server still accepts goes on when this machine runs a day ahead of it', async () => {
    h = await harness({ settings: { chunkSize: 5 * MiB, concurrency: 1 } });
    await h.sandbox.advanceClock(-26 * 3600); // the server is 26 h behind this machine (this machine's clock is wrong)
    const { token, created } = await h.switchToUploadToken(3600);
    const expiresAt = Date.parse(created.expiresAt!); // by the server's clock
    const engine = await h.open({ getClient: () => token, tokenExpiresAt: () => expiresAt });
    const [file] = makeFiles(h.dir, [16 * MiB]);
    await engine.add({ paths: [file!], profileId: 'p1' });
    await engine.idle();
    // By this machine's clock the 24 h after the token's expiry are over; by the server's, they have hardly begun.
    expect(jobOf(engine, file!)!.reason).toBeUndefined();
    await expectAllUploaded(h, [file!]);
  });
});
