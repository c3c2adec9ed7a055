// Token uploads whose first reply never arrives: the first chunk made a video, but only that reply names it.
// With an API-key profile of the same account the engine finds that video and continues it (one video per
// file), after a dropped reply in the same run and after a crash between the reply and the journal; with a
// token alone it sends the file again and says plainly that an incomplete video may remain.
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type ApiVideoClient } from '../../../main/apivideo/index';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { findFirstChunkVideo } from '../../../main/uploads/lost-first-reply';
import type { JobRecord } from '../../../main/uploads/records';
import { allVideos, expectAllUploaded, harness, jobOf, makeFiles, MiB, sha256, waitFor, type Harness } from './helpers';

let h: Harness | null = null;
afterEach(async () => {
  await h?.cleanup();
  h = null;
});

/** A harness whose engine signs in with a fresh upload token; `withKey` lends it the account's API key. */
async function tokenHarness(
  withKey: boolean,
  extra: Parameters<Harness['open']>[0] = {},
): Promise<{ h: Harness; tokenClient: ApiVideoClient }> {
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
    ({ h, tokenClient } = await tokenHarness(true, {
      retry: { attempts: 10, baseDelayMs: 60_000, maxDelayMs: 60_000 },
      firstPartGraceMs: 200,
    }));
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

  it("finds the video when the server's clock is an hour behind this machine's", async () => {
    // "Created since the chunk left" is judged on the server's clock (its Date header), not on this machine's.
    ({ h } = await tokenHarness(true));
    await h.sandbox.advanceClock(-3600);
    const files = makeFiles(h.dir, [11 * MiB]);
    await h.sandbox.setFaults({ loseUploadReplies: 1 });
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    await h.engine.idle();
    await expectAllUploaded(h, files);
    expect(jobOf(h.engine, files[0]!)?.reason).toBeUndefined();
  });

  it('with a token alone, sends the file again and says an incomplete video may remain', async () => {
    ({ h } = await tokenHarness(false));
    const files = makeFiles(h.dir, [11 * MiB]);
    await h.sandbox.setFaults({ loseUploadReplies: 1 });
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    await h.engine.idle();
    const job = jobOf(h.engine, files[0]!)!;
    expect(job.state).toBe('done');
    expect(job.reason).toMatch(
      /reply to this file's first chunk was lost.*incomplete video named "clip-000.mp4" remains/,
    );
    const videos = await allVideos(h.client);
    expect(videos).toHaveLength(2); // the protocol leaves no way to find the first one with a token
    expect(videos.filter((v) => v.videoId === job.videoId)).toHaveLength(1);
  });

  it("two files of the same name whose first replies were both lost: neither takes the other's video", async () => {
    ({ h } = await tokenHarness(true));
    // Two cards, one file name: GOPR0001.MP4 from each, the same size and so the same cut.
    const files = [...makeFiles(join(h.dir, 'card-a'), [11 * MiB]), ...makeFiles(join(h.dir, 'card-b'), [11 * MiB])];
    await h.sandbox.setFaults({ loseUploadReplies: 2 });
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    await h.engine.idle();
    for (const file of files) {
      const job = jobOf(h.engine, file)!;
      expect(job.state).toBe('done');
      const mp4 = (await h.client.videos.get(job.videoId!)).assets!.mp4!;
      expect(sha256(Buffer.from(await (await fetch(mp4)).arrayBuffer())), file).toBe(sha256(readFileSync(file)));
    }
    expect(jobOf(h.engine, files[0]!)!.videoId).not.toBe(jobOf(h.engine, files[1]!)!.videoId);
    expect(files.map((f) => jobOf(h!.engine, f)!.reason).join(' ')).toMatch(
      /another file of the same name could own it/,
    );
  });

  it('the video of a lost reply is adopted only when no other file of that name could own it', async () => {
    let tokenClient: ApiVideoClient;
    ({ h, tokenClient } = await tokenHarness(true));
    // One card's GOPR0001.MP4 landed its first chunk (part 1 of 3) and lost the reply.
    const sent = await tokenClient.uploadChunk({
      contentRange: 'part 1/3',
      fileName: 'GOPR0001.MP4',
      size: 5 * MiB,
      body: () => Readable.from([Buffer.alloc(5 * MiB, 1)]),
    });
    const job = {
      name: 'GOPR0001.MP4',
      size: 12 * MiB,
      totalParts: 3,
      firstChunkSentAt: Date.now() - 1000,
    } as JobRecord;
    const free = { taken: () => false, rivals: 0 };
    expect(await findFirstChunkVideo(job, h.client, free)).toMatchObject({
      kind: 'found',
      video: { videoId: sent.videoId },
    });
    // Another card's GOPR0001.MP4 lost its first chunk too: that video could be either one's.
    expect(await findFirstChunkVideo(job, h.client, { ...free, rivals: 1 })).toMatchObject({
      kind: 'ambiguous',
      videoIds: [sent.videoId],
    });
    // Owned by a job already, cut differently, or named otherwise: not ours.
    expect(await findFirstChunkVideo(job, h.client, { ...free, taken: (id) => id === sent.videoId })).toEqual({
      kind: 'none',
    });
    expect(await findFirstChunkVideo({ ...job, totalParts: 4 } as JobRecord, h.client, free)).toEqual({ kind: 'none' });
    expect(await findFirstChunkVideo({ ...job, name: 'GOPR0002.MP4' } as JobRecord, h.client, free)).toEqual({
      kind: 'none',
    });
  });

  it('a first chunk that never reached the server (an outage) is not mistaken for a lost reply', async () => {
    ({ h } = await tokenHarness(false));
    const files = makeFiles(h.dir, [6 * MiB]);
    await h.sandbox.setFaults({ outage: true });
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    await waitFor(() => jobOf(h!.engine, files[0]!)?.state === 'offline', 10_000, 'offline');
    await h.sandbox.clearFaults();
    await h.engine.idle();
    expect(jobOf(h.engine, files[0]!)?.reason).toBeUndefined();
    expect(await allVideos(h.client)).toHaveLength(1);
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
