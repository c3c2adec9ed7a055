// Token uploads whose first reply never arrives: the first chunk made a video, but only that reply names it.
// With an API-key profile of the same account the engine finds that video and continues it (one video per
// file), after a dropped reply in the same run and after a crash between the reply and the journal; with a
// token alone it sends the file again and says plainly that an incomplete video may remain.
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type ApiVideoClient } from '../../../main/apivideo/index';
import { allVideos, expectAllUploaded, harness, jobOf, makeFiles, MiB, waitFor, type Harness } from './helpers';

let h: Harness | null = null;
afterEach(async () => {
  await h?.cleanup();
  h = null;
});

/** A harness whose engine signs in with a fresh upload token; `withKey` lends it the account's API key. */
async function tokenHarness(withKey: boolean, extra: Parameters<Harness['open']>[0] = {}): Promise<{ h: Harness; tokenClient: ApiVideoClient }> {
  const made = await harness();
  const { token } = await made.client.uploadTokens.create(0);
  await made.engine.close();
  const tokenClient = createClient({ baseUrl: made.sandbox.url, auth: { kind: 'uploadToken', token } });
  await made.open({
    getClient: () => tokenClient,
    settings: { chunkSize: 5 * MiB, concurrency: 2 },
    ...(withKey ? { keyClientFor: () => made.client } : {}),
    ...extra,
  });
  return { h: made, tokenClient };
}

describe('token uploads whose first reply is lost', () => {
  it('finds and continues the video the first chunk made when its reply was dropped', async () => {
    ({ h } = await tokenHarness(true));
    const files = makeFiles(h.dir, [17 * MiB, 3 * MiB]);
    await h.sandbox.setFaults({ loseUploadReplies: 2 }); // the first chunk of each file arrives; its answer does not
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    await h.engine.idle();
    await expectAllUploaded(h, files); // exactly one video per file, byte-identical
    for (const file of files) expect(jobOf(h.engine, file)?.reason).toBeUndefined();
  });

  it('after a crash between the first reply and the journal, the rerun continues the same video', async () => {
    // Slow retries: the engine is "killed" (closed) after the chunk landed and before it could send it again.
    let tokenClient: ApiVideoClient;
    ({ h, tokenClient } = await tokenHarness(true, { retry: { attempts: 10, baseDelayMs: 60_000, maxDelayMs: 60_000 }, firstPartGraceMs: 200 }));
    const files = makeFiles(h.dir, [12 * MiB]);
    await h.sandbox.setFaults({ loseUploadReplies: 1 });
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    await waitFor(async () => (await allVideos(h!.client)).length === 1, 20_000, 'the video made by the first chunk');
    expect(jobOf(h.engine, files[0]!)?.videoId).toBeUndefined();
    await h.engine.close();
    await h.sandbox.clearFaults();

    await h.open({ getClient: () => tokenClient, keyClientFor: () => h!.client, settings: { chunkSize: 5 * MiB } });
    await h.engine.idle();
    await expectAllUploaded(h, files);
  });

  it('with a token alone, sends the file again and says an incomplete video may remain', async () => {
    ({ h } = await tokenHarness(false));
    const files = makeFiles(h.dir, [11 * MiB]);
    await h.sandbox.setFaults({ loseUploadReplies: 1 });
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    await h.engine.idle();
    const job = jobOf(h.engine, files[0]!)!;
    expect(job.state).toBe('done');
    expect(job.reason).toMatch(/reply to this file's first chunk was lost.*incomplete video named "clip-000.mp4" remains/);
    const videos = await allVideos(h.client);
    expect(videos).toHaveLength(2); // the protocol leaves no way to find the first one with a token
    expect(videos.filter((v) => v.videoId === job.videoId)).toHaveLength(1);
  });

  it('a refused first chunk (no video behind it) is not mistaken for a lost reply', async () => {
    ({ h } = await tokenHarness(false));
    const files = makeFiles(h.dir, [6 * MiB]);
    await h.sandbox.setFaults({ failRate: 1, failStatus: 429 });
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    await waitFor(() => jobOf(h!.engine, files[0]!)?.state === 'retrying', 10_000, 'a refused first chunk');
    await h.sandbox.clearFaults();
    await h.engine.idle();
    expect(jobOf(h.engine, files[0]!)?.reason).toBeUndefined();
    expect(await allVideos(h.client)).toHaveLength(1);
  });
});
