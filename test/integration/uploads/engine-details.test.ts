// A video's details (title, description, tags, privacy) on the real sandbox: an upload token can only send the
// file, so a token upload gets them through an API key of the same account, or says plainly that the server
// lacks them; edits after the upload reach the server, and a refused update is said on the job.
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type ApiVideoClient } from '../../../main/apivideo/index';
import { FINGERPRINT_KEY } from '../../../main/uploads/index';
import { makeClip } from '../../support/media-clips';
import { harness, jobOf, makeFiles, MiB, waitFor, type Harness } from './helpers';

let h: Harness | null = null;
afterEach(async () => {
  await h?.cleanup();
  h = null;
});

/** The engine uploads with a fresh upload token; `withKey` lends it the account's API key. */
async function tokenHarness(withKey: boolean, extra: Parameters<Harness['open']>[0] = {}): Promise<Harness> {
  const made = await harness();
  const { token } = await made.client.uploadTokens.create(0);
  await made.engine.close();
  const tokenClient: ApiVideoClient = createClient({ baseUrl: made.sandbox.url, auth: { kind: 'uploadToken', token } });
  await made.open({ getClient: () => tokenClient, ...(withKey ? { keyClientFor: () => made.client } : {}), ...extra });
  return made;
}

const asked = { public: false, description: 'Day one', tags: ['shoot'] };

/** An API-key harness with one small file uploaded. */
async function oneUploaded() {
  const made = await harness();
  h = made;
  const [file] = makeFiles(made.dir, [1 * MiB]);
  await made.engine.add({ paths: [file!], profileId: 'p1' });
  await made.engine.idle();
  return { u: made, file: file!, job: jobOf(made.engine, file!)! };
}

describe('video details', () => {
  it('a token upload with a key of its account gets its details, fingerprint and private links', async () => {
    h = await tokenHarness(true);
    const [file] = makeFiles(h.dir, [6 * MiB]);
    await h.engine.add({ paths: [file!], profileId: 'p1', defaults: asked });
    await h.engine.idle();
    const job = jobOf(h.engine, file!)!;
    expect(job.state).toBe('done');
    expect(job.detailsProblem).toBeUndefined();
    const video = await h.client.videos.get(job.videoId!);
    expect(video).toMatchObject({ title: 'clip-000', description: 'Day one', tags: ['shoot'], public: false });
    expect(video.metadata?.some((m) => m.key === FINGERPRINT_KEY)).toBe(true);
    expect(job.playerUrl).toMatch(/\?token=/); // the private link, with its token

    h.engine.updateMetadata([job.id], { title: 'Day one, take 2', public: true });
    await waitFor(
      async () => (await h!.client.videos.get(job.videoId!)).title === 'Day one, take 2',
      5000,
      'the edit on the server',
    );
    expect((await h.client.videos.get(job.videoId!)).public).toBe(true);
  });

  it('a token upload alone says the server lacks the details asked for, and stays done', async () => {
    h = await tokenHarness(false);
    const [plain, asking] = makeFiles(h.dir, [1 * MiB, 1 * MiB]);
    await h.engine.add({ paths: [plain!], profileId: 'p1' });
    await h.engine.add({ paths: [asking!], profileId: 'p1', defaults: asked });
    await h.engine.idle();
    expect(jobOf(h.engine, plain!)).toMatchObject({ state: 'done' });
    expect(jobOf(h.engine, plain!)!.detailsProblem).toBeUndefined(); // nothing asked that a token lacks
    const job = jobOf(h.engine, asking!)!;
    expect(job.state).toBe('done');
    expect(job.detailsProblem).toMatch(/upload token can only send the file.*"clip-001.mp4" and is public/);
    expect((await h.client.videos.get(job.videoId!)).public).toBe(true); // what the warning says

    h.engine.updateMetadata([jobOf(h.engine, plain!)!.id], { title: 'Renamed' });
    await waitFor(() => jobOf(h!.engine, plain!)!.detailsProblem !== undefined, 5000, 'the edit to be flagged');
  });

  it('an edit the server refuses is said on the job, and a later one that lands clears it', async () => {
    const { u, file, job } = await oneUploaded();
    await u.sandbox.setFaults({ failRate: 1, failStatus: 400 });
    u.engine.updateMetadata([job.id], { title: 'Refused' });
    await waitFor(() => jobOf(u.engine, file!)!.detailsProblem !== undefined, 5000, 'the refusal on the job');
    await u.sandbox.clearFaults();
    expect(jobOf(u.engine, file!)!.detailsProblem).toMatch(/server did not take this video's details/);
    u.engine.updateMetadata([job.id], { title: 'Accepted' });
    await waitFor(() => jobOf(u.engine, file!)!.detailsProblem === undefined, 5000, 'the problem cleared');
    expect((await u.client.videos.get(job.videoId!)).title).toBe('Accepted');
  });

  it('a save that meets a blip (503) is tried again and lands, with no problem said', async () => {
    const { u, file, job } = await oneUploaded();
    await u.sandbox.setFaults({ failRate: 1, failStatus: 503 });
    u.engine.updateMetadata([job.id], { title: 'After the blip' });
    await new Promise((r) => setTimeout(r, 120)); // the first try meets the 503; the next ones (50, 100, 200 ms later) do not
    await u.sandbox.clearFaults();
    await waitFor(
      async () => (await u.client.videos.get(job.videoId!)).title === 'After the blip',
      5000,
      'the edit on the server',
    );
    expect(jobOf(u.engine, file!)!.detailsProblem).toBeUndefined();
  });

  it('follows a token upload until playable through the key of its account', async () => {
    h = await tokenHarness(true, { settings: { chunkSize: 5 * MiB, waitForPlayable: true } });
    // A real clip: the sandbox only makes real video playable.
    const file = await makeClip(h.dir, { container: 'mp4', seconds: 1, width: 320, height: 180, exactBytes: MiB });
    await h.engine.add({ paths: [file!], profileId: 'p1' });
    await waitFor(() => jobOf(h!.engine, file!)?.state === 'finalizing', 10_000, 'following the encoding');
    const job = jobOf(h.engine, file!)!;
    expect(h.engine.control('pause', [job.id])).toBe(0); // all on the server: nothing left to pause
    // An edit while it finishes reaches the server too, after the details finalize set.
    h.engine.updateMetadata([job.id], { title: 'Edited while encoding', public: false });
    await waitFor(
      async () => (await h!.client.videos.get(job.videoId!)).title === 'Edited while encoding',
      5000,
      'the edit on the server',
    );
    await h.sandbox.advanceClock(60);
    await h.engine.idle();
    expect(jobOf(h.engine, file!)).toMatchObject({ state: 'done', encoding: 'playable' });
    expect(await h.client.videos.get(job.videoId!)).toMatchObject({ title: 'Edited while encoding', public: false });
    expect(jobOf(h.engine, file!)!.playerUrl).toMatch(/\?token=/);
  });

  it('edits saved in quick succession reach the server in order: the last one wins', async () => {
    h = await harness();
    const [file] = makeFiles(h.dir, [1 * MiB]);
    await h.engine.add({ paths: [file!], profileId: 'p1' });
    await h.engine.idle();
    const job = jobOf(h.engine, file!)!;
    for (let i = 1; i <= 5; i += 1) h.engine.updateMetadata([job.id], { title: `Take ${i}`, tags: [`t${i}`] });
    await waitFor(
      async () => (await h!.client.videos.get(job.videoId!)).title === 'Take 5',
      5000,
      'the last edit on the server',
    );
    await new Promise((r) => setTimeout(r, 200)); // nothing older lands after it
    expect(await h.client.videos.get(job.videoId!)).toMatchObject({ title: 'Take 5', tags: ['t5'] });
    expect(jobOf(h.engine, file!)!.detailsProblem).toBeUndefined();
  });
});
