// Issue 12: pause keeps what was sent. Against the real sandbox capped at 5 MiB/s per connection, a 30 MiB file sent
// as one request: a pause lets a request that will be done soon finish (its bytes are confirmed and never sent
// again), and stops one that would take long, saying how much will be sent again.
import { afterEach, describe, expect, it } from 'vitest';
import { expectAllUploaded, harness, jobOf, makeFiles, MiB, waitFor, type Harness } from './helpers';

let h: Harness | null = null;
afterEach(async () => {
  await h?.cleanup();
  h = null;
});

/** One 30 MiB file as a single request at 5 MiB/s, paused once `sentMiB` of it left. */
async function pauseSingleRequest(sentMiB: number, extra: Parameters<typeof harness>[0] = {}) {
  h = await harness({ settings: { chunkSize: 200 * MiB, concurrency: 4 }, ...extra });
  const [file] = makeFiles(h.dir, [30 * MiB]);
  await h.sandbox.setFaults({ connectionBytesPerSec: 5 * MiB });
  await h.engine.add({ paths: [h.dir], profileId: 'p1' });
  let inflight = 0;
  h.engine.on('progress', ({ jobs }) => {
    for (const job of jobs) inflight = job.inflightBytes;
  });
  await waitFor(() => inflight >= sentMiB * MiB, 30_000, `${sentMiB} MiB on its way`);
  expect(h.engine.control('pause')).toBe(1);
  return { h, file: file! };
}

describe('pause and the request on its way', () => {
  it('lets a single-request file that will be done within 20 s finish: its bytes are kept, never sent again', async () => {
    const { h, file } = await pauseSingleRequest(10);
    expect(jobOf(h.engine, file)!.state).toBe('paused');
    await waitFor(() => jobOf(h.engine, file)!.confirmedBytes === 30 * MiB, 30_000, 'the request to finish');
    const afterPause = await h.sandbox.stats();
    expect(afterPause.chunksAccepted).toBe(1);
    await h.sandbox.clearFaults();
    expect(h.engine.control('resume')).toBe(1);
    await h.engine.idle();
    await expectAllUploaded(h, [file]);
    const stats = await h.sandbox.stats();
    expect(stats.chunksAccepted).toBe(1); // nothing sent twice
    expect(stats.bytesReceived).toBeLessThan(31 * MiB);
  }, 90_000);

  it('stops a request that would take longer, and the row says how much will be sent again', async () => {
    const { h, file } = await pauseSingleRequest(3, { pauseFinishMs: 1000 });
    await waitFor(() => (jobOf(h.engine, file)!.reason ?? '') !== '', 5_000, 'a reason');
    expect(jobOf(h.engine, file)!.reason).toMatch(
      /^Paused\. \d+\.\d MiB of a part on its way was stopped and will be sent again on resume\.$/,
    );
    expect(jobOf(h.engine, file)!.confirmedBytes).toBe(0);
    expect((await h.sandbox.stats()).chunksAccepted).toBe(0);
    await h.sandbox.clearFaults();
    expect(h.engine.control('resume')).toBe(1);
    await h.engine.idle();
    await expectAllUploaded(h, [file]);
    expect(jobOf(h.engine, file)!.reason).toBeUndefined();
  }, 90_000);
});
