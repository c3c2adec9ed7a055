// Controls and feedback on the real sandbox: dedupe, pause/resume/cancel/remove, settings, metadata and CSV,
// manifest, coalesced progress, and a folder of 10,000 tiny files scanned and queued.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobProgress, QueueTotals } from '../../../common/contract/queue';
import { FINGERPRINT_KEY, fingerprintFile, JOB_KEY } from '../../../main/uploads/index';
import { makeClip } from '../../support/media-clips';
import { allVideos, expectAllUploaded, harness, jobOf, makeFiles, MiB, waitFor, type Harness } from './helpers';

let h: Harness | null = null;
afterEach(async () => {
  await h?.cleanup();
  h = null;
});

describe('upload engine controls', () => {
  it('skips content this profile already uploaded, unless forced', async () => {
    h = await harness();
    const [first] = makeFiles(h.dir, [6 * MiB]);
    await h.engine.add({ paths: [first!], profileId: 'p1' });
    await h.engine.idle();
    const copyDir = join(h.dir, 'copy');
    mkdirSync(copyDir);
    const copy = join(copyDir, 'same.mp4');
    writeFileSync(copy, readFileSync(first!));
    await h.engine.add({ paths: [copy], profileId: 'p1' });
    await h.engine.idle();
    const skipped = jobOf(h.engine, copy)!;
    expect(skipped.state).toBe('skipped');
    expect(skipped.reason).toMatch(/Already uploaded/);
    // The overall progress leaves out a file that is already there: the batch reads 100%, not half.
    const totals = h.engine.snapshot().totals;
    expect(totals).toMatchObject({ files: 2, bytes: statSync(first!).size, confirmedBytes: statSync(first!).size });
    expect(skipped.videoId).toBe(jobOf(h.engine, first!)!.videoId);
    expect(await allVideos(h.client)).toHaveLength(1);
    expect(h.engine.control('retry')).toBe(0); // "retry all" leaves duplicates alone
    expect(jobOf(h.engine, copy)!.state).toBe('skipped');
    expect(h.engine.control('retry', [skipped.id])).toBe(1); // retrying a skipped file forces it
    await h.engine.idle();
    expect(jobOf(h.engine, copy)!.state).toBe('done');
    expect(await allVideos(h.client)).toHaveLength(2);
  });

  it('skips a duplicate for an upload-token profile from its own journal', async () => {
    h = await harness();
    const { token: tokenClient } = await h.switchToUploadToken();
    const engine = await h.open({ getClient: () => tokenClient });
    const [first] = makeFiles(h.dir, [6 * MiB]);
    await engine.add({ paths: [first!], profileId: 'p1' });
    await engine.idle();
    const copy = join(h.dir, 'copy.mp4');
    writeFileSync(copy, readFileSync(first!));
    await engine.add({ paths: [copy], profileId: 'p1' });
    await engine.idle();
    expect(jobOf(engine, copy)).toMatchObject({ state: 'skipped', videoId: jobOf(engine, first!)!.videoId });
    expect(await allVideos(h.client)).toHaveLength(1);
  });

  it('adopts its own container left by a crash between creating it and journaling its id', async () => {
    h = await harness();
    const [file] = makeFiles(h.dir, [7 * MiB]);
    h.engine.control('pause');
    await h.engine.add({ paths: [file!], profileId: 'p1' });
    h.engine.control('pause');
    const job = jobOf(h.engine, file!)!;
    const fingerprint = await fingerprintFile(file!, job.size);
    const orphan = await h.client.videos.create({
      title: job.title,
      metadata: [
        { key: FINGERPRINT_KEY, value: fingerprint },
        { key: JOB_KEY, value: `${job.id}:0` },
      ],
    });
    h.engine.control('resume');
    await h.engine.idle();
    expect(jobOf(h.engine, file!)!.videoId).toBe(orphan.videoId);
    await expectAllUploaded(h, [file!]);
  });

  it('pauses and resumes, cancels (deleting the container) and removes', async () => {
    h = await harness();
    const files = makeFiles(h.dir, [16 * MiB, 16 * MiB]);
    await h.sandbox.setFaults({ connectionBytesPerSec: 6 * MiB });
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    await waitFor(() => (jobOf(h!.engine, files[0]!)?.confirmedBytes ?? 0) > 0, 20_000, 'progress');
    expect(h.engine.control('pause')).toBe(2);
    expect(h.engine.snapshot().jobs.every((j) => j.state === 'paused')).toBe(true);
    const cancelled = jobOf(h.engine, files[1]!)!;
    expect(h.engine.control('cancel', [cancelled.id])).toBe(1);
    await h.sandbox.clearFaults();
    expect(h.engine.control('resume')).toBe(1);
    await h.engine.idle();
    expect(jobOf(h.engine, files[1]!)!.state).toBe('cancelled');
    await expectAllUploaded(h, [files[0]!]);
    // A cancelled file is not meant to arrive: the overall progress reads 100%.
    expect(h.engine.snapshot().totals).toMatchObject({ files: 2, bytes: 16 * MiB, confirmedBytes: 16 * MiB });
    expect(h.engine.control('remove', [cancelled.id])).toBe(1);
    expect(h.engine.snapshot().jobs).toHaveLength(1);
  });

  it('says nothing when everything is paused, and announces the batch once files finish', async () => {
    h = await harness();
    makeFiles(h.dir, [6 * MiB]);
    const batches: string[] = [];
    h.engine.on('batch', (b) => batches.push(`${b.kind}:${b.message}`));
    h.engine.control('pause');
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    h.engine.control('pause');
    await h.engine.idle();
    expect(batches).toEqual([]);
    h.engine.control('resume');
    await h.engine.idle();
    expect(batches).toEqual(['finished:Uploads finished: 1 uploaded.']);
  });

  it('applies metadata edits and CSV imports, and exports a manifest', async () => {
    h = await harness();
    const files = makeFiles(h.dir, [6 * MiB, 2 * MiB]);
    h.engine.control('pause');
    await h.engine.add({ paths: [h.dir], profileId: 'p1', defaults: { tags: ['batch'], public: false } });
    h.engine.control('pause');
    const imported = await h.engine.importCsv(
      'filename,title,description,tags\nclip-000,Opening shot,Sunrise,beach|morning\nnope.mp4,x,,\n',
      true,
    );
    expect(imported.matches).toHaveLength(1);
    expect(imported.unmatched).toEqual([
      { row: 3, filename: 'nope.mp4', why: 'no queued file is named nope.mp4, with or without its extension' },
    ]);
    const second = jobOf(h.engine, files[1]!)!;
    expect(h.engine.updateMetadata([second.id], { title: 'Second' })).toBe(1);
    h.engine.control('resume');
    await h.engine.idle();
    const video = await h.client.videos.get(jobOf(h.engine, files[0]!)!.videoId!);
    expect(video).toMatchObject({
      title: 'Opening shot',
      description: 'Sunrise',
      tags: ['beach', 'morning'],
      public: false,
    });
    expect((await h.client.videos.get(jobOf(h.engine, files[1]!)!.videoId!)).title).toBe('Second');
    const manifest = h.engine.exportManifest('json');
    const entries = JSON.parse(manifest.content) as {
      path: string;
      videoId: string;
      status: string;
      playerUrl: string;
    }[];
    expect(entries.map((e) => e.status)).toEqual(['done', 'done']);
    expect(entries[0]!.playerUrl).toContain(entries[0]!.videoId);
    expect(h.engine.exportManifest('csv').content.split('\r\n')[0]).toBe(
      'path,size,videoId,title,playerUrl,embedCode,mp4Url,status,error,container,durationSec,width,height,fps,videoCodec,audioCodec,sidecars',
    );
  });

  it('coalesces progress to at most 10 events a second for the whole queue and reports totals', async () => {
    h = await harness({ progressIntervalMs: 100 });
    makeFiles(h.dir, Array.from({ length: 30 }, () => 1 * MiB).concat([16 * MiB]));
    const events: { at: number; jobs: JobProgress[]; totals: QueueTotals }[] = [];
    h.engine.on('progress', (p) => events.push({ at: Date.now(), ...p }));
    await h.sandbox.setFaults({ connectionBytesPerSec: 10 * MiB });
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    await h.engine.idle();
    const span = (events.at(-1)!.at - events[0]!.at) / 1000;
    expect(events.length).toBeLessThanOrEqual(Math.ceil(span * 10) + 3);
    const last = events.at(-1)!.totals;
    expect(last.files).toBe(31);
    expect(last.confirmedBytes).toBe(last.bytes);
    expect(last.byState.done).toBe(31);
    expect(events.some((e) => e.totals.speed > 0)).toBe(true);
  });

  it('waits until videos are playable when asked, and keeps their links', async () => {
    h = await harness({ settings: { chunkSize: 5 * MiB, concurrency: 4, waitForPlayable: true } });
    // A real clip: the sandbox only makes real video playable.
    const files = [
      await makeClip(h.dir, { container: 'mp4', seconds: 1, width: 320, height: 180, exactBytes: 3 * MiB }),
    ];
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    await h.engine.idle();
    const job = jobOf(h.engine, files[0]!)!;
    expect(job.state).toBe('done');
    expect(job.encoding).toBe('playable');
    expect(job.embedCode).toContain('iframe');
    expect(job.mp4Url).toBeTruthy();
  });

  it('stops waiting once every quality failed to encode, and says so on the done row', async () => {
    h = await harness({ settings: { chunkSize: 5 * MiB, concurrency: 4, waitForPlayable: true } });
    // Random bytes: no container the sandbox can encode, nor one the preflight knows (so on the user's word).
    const file = join(h.dir, 'clip-000.mp4');
    writeFileSync(file, randomBytes(1 * MiB));
    const started = Date.now();
    await h.engine.add({ paths: [h.dir], profileId: 'p1', uploadUnrecognised: true });
    await h.engine.idle();
    expect(Date.now() - started).toBeLessThan(60_000); // not the 30-minute wait for playable
    const job = jobOf(h.engine, file!)!;
    expect(job.state).toBe('done');
    expect(job.encoding).toBe('failed');
    expect(job.reason).toMatch(/^Uploaded whole, but api\.video could not encode it: clip-000\.mp4 may not be a video/);
  });

  it('scans and queues a folder of 10,000 tiny files, journaled before answering', async () => {
    h = await harness();
    const dir = join(h.dir, 'many');
    mkdirSync(dir);
    for (let i = 0; i < 10_000; i += 1) writeFileSync(join(dir, `f${i}.mp4`), 'x');
    h.engine.control('pause');
    const started = Date.now();
    const paused = await h.engine.add({ paths: [dir], profileId: 'p1' });
    const elapsed = Date.now() - started;
    expect(paused.added).toBe(10_000);
    expect(elapsed).toBeLessThan(5000);
    h.engine.control('pause');
    await h.engine.close();
    const reopened = await h.open();
    expect(reopened.snapshot().jobs).toHaveLength(10_000);
    expect(reopened.snapshot().totals.files).toBe(10_000);
  });
});
