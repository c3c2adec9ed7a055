// Files that change while their upload is paused, on the real sandbox: before any part was acknowledged the
// parts are planned again (same video); after that, any change of size or mtime starts over as a new video.
import { appendFileSync, closeSync, openSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { allVideos, expectAllUploaded, harness, jobOf, makeFiles, MiB, waitFor, type Harness } from './helpers';

let h: Harness | null = null;
afterEach(async () => {
  await h?.cleanup();
  h = null;
});

/** Pauses everything and waits until no run is left. */
async function pauseAll(harnessed: Harness): Promise<void> {
  harnessed.engine.control('pause');
  await harnessed.engine.idle();
}

describe('upload engine: a file that changes while paused', () => {
  it('plans the parts again when a token upload grew before its first part was acknowledged', async () => {
    h = await harness();
    const { token: tokenClient } = await h.switchToUploadToken();
    const engine = await h.open({ getClient: () => tokenClient });
    const [file] = makeFiles(h.dir, [6 * MiB]);
    await h.sandbox.setFaults({ failRate: 1, failStatus: 503 });
    await engine.add({ paths: [file!], profileId: 'p1' });
    await waitFor(() => jobOf(engine, file!)?.state === 'retrying', 10_000, 'the first part failing');
    await pauseAll(h);
    appendFileSync(file!, randomBytes(6 * MiB)); // now 12 MiB: three parts of 5 MiB, not two
    await h.sandbox.clearFaults();
    engine.control('resume');
    await engine.idle();
    expect(jobOf(engine, file!)!.size).toBe(12 * MiB);
    await expectAllUploaded(h, [file!]);
  });

  it('keeps the container but plans again when the file grew before any part was acknowledged', async () => {
    h = await harness();
    const [file] = makeFiles(h.dir, [6 * MiB]);
    await h.sandbox.setFaults({ connectionBytesPerSec: 2 * MiB });
    await h.engine.add({ paths: [file!], profileId: 'p1' });
    await waitFor(
      () => !!jobOf(h!.engine, file!)?.videoId && h!.engine.snapshot().totals.inflightBytes > 0,
      10_000,
      'the first part in flight',
    );
    await pauseAll(h);
    const videoId = jobOf(h.engine, file!)!.videoId;
    expect(jobOf(h.engine, file!)!.confirmedBytes).toBe(0);
    appendFileSync(file!, randomBytes(6 * MiB));
    await h.sandbox.clearFaults();
    h.engine.control('resume');
    await h.engine.idle();
    expect(jobOf(h.engine, file!)).toMatchObject({ videoId, size: 12 * MiB, state: 'done' });
    await expectAllUploaded(h, [file!]);
  });

  it('starts over as a new video when the file was edited in place (same size) after parts were acknowledged', async () => {
    h = await harness({ settings: { chunkSize: 5 * MiB, concurrency: 1 } });
    const [file] = makeFiles(h.dir, [16 * MiB]);
    await h.sandbox.setFaults({ connectionBytesPerSec: 8 * MiB });
    await h.engine.add({ paths: [file!], profileId: 'p1' });
    await waitFor(() => (jobOf(h!.engine, file!)?.confirmedBytes ?? 0) > 0, 15_000, 'a part acknowledged');
    await pauseAll(h);
    const first = jobOf(h.engine, file!)!.videoId!;
    // An edit away from the fingerprint's samples (start, middle, end): same size, new mtime.
    const fd = openSync(file!, 'r+');
    writeSync(fd, randomBytes(4096), 0, 4096, 2 * MiB);
    closeSync(fd);
    await h.sandbox.clearFaults();
    h.engine.control('resume');
    await h.engine.idle();
    const job = jobOf(h.engine, file!)!;
    expect(job.state).toBe('done');
    expect(job.videoId).not.toBe(first);
    expect(job.reason).toMatch(/The file changed since the upload started \(it was modified\)/);
    expect((await allVideos(h.client)).map((v) => v.videoId)).toEqual([job.videoId]); // the old container was deleted
    await expectAllUploaded(h, [file!]);
  });
});
