// Delegated (upload-token) uploads on the real sandbox: the first chunk names the video, so pausing or
// closing while it is in flight must never lead to a second video for the same file.
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiVideoClient } from '../../../main/apivideo/index';
import { allVideos, expectAllUploaded, harness, jobOf, makeFiles, MiB, waitFor, type Harness } from './helpers';

let h: Harness | null = null;
afterEach(async () => {
  await h?.cleanup();
  h = null;
});

/** A harness whose engine uploads with an upload token (profile p1). */
async function tokenHarness(): Promise<{ made: Harness; tokenClient: ApiVideoClient }> {
  const made = await harness();
  const { token: tokenClient } = await made.switchToUploadToken();
  await made.open({ getClient: () => tokenClient });
  return { made, tokenClient };
}

describe('upload engine: delegated uploads', () => {
  it('lets the first chunk finish when paused during it, and resumes the same video', async () => {
    h = (await tokenHarness()).made;
    const [file] = makeFiles(h.dir, [12 * MiB]);
    await h.sandbox.setFaults({ connectionBytesPerSec: 6 * MiB });
    await h.engine.add({ paths: [file!], profileId: 'p1' });
    await waitFor(() => h!.engine.snapshot().totals.inflightBytes > 0, 10_000, 'the first chunk in flight');
    expect(h.engine.control('pause')).toBe(1);
    expect(jobOf(h.engine, file!)!.state).toBe('paused');
    await h.engine.idle(); // the run ends once its first chunk settled
    await h.sandbox.clearFaults();
    const paused = jobOf(h.engine, file!)!;
    expect(paused.state).toBe('paused');
    expect(paused.videoId).toBeTruthy();
    expect(await allVideos(h.client)).toHaveLength(1);
    h.engine.control('resume');
    await h.engine.idle();
    expect(jobOf(h.engine, file!)!.videoId).toBe(paused.videoId);
    await expectAllUploaded(h, [file!]);
  });

  it('journals the video of a first chunk that finishes while the app closes, and resumes it after a restart', async () => {
    const made = await tokenHarness();
    h = made.made;
    const [file] = makeFiles(h.dir, [12 * MiB]);
    await h.sandbox.setFaults({ connectionBytesPerSec: 6 * MiB });
    await h.engine.add({ paths: [file!], profileId: 'p1' });
    await waitFor(() => h!.engine.snapshot().totals.inflightBytes > 0, 10_000, 'the first chunk in flight');
    await h.engine.close();
    await h.sandbox.clearFaults();
    const videoId = (await allVideos(h.client))[0]?.videoId;
    expect(videoId).toBeTruthy();
    const engine = await h.open({ getClient: () => made.tokenClient });
    expect(jobOf(engine, file!)!.videoId).toBe(videoId);
    await engine.idle();
    await expectAllUploaded(h, [file!]);
  });
});
