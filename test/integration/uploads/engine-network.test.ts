// Stalls, the bandwidth limit and the platform hooks, on the real sandbox.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createClient } from '../../../main/apivideo/index';
import type { Platform } from '../../../main/platform';
import { startTestSandbox } from '../../support/sandbox';
import { allVideos, expectAllUploaded, harness, jobOf, makeFiles, MiB, waitFor, type Harness } from './helpers';

let h: Harness | null = null;
afterEach(async () => {
  await h?.cleanup();
  h = null;
});

describe('upload engine: stalls, bandwidth, platform', () => {
  it('aborts a stalled request and retries it', async () => {
    h = await harness({ stallTimeoutMs: 600 });
    const files = makeFiles(h.dir, [6 * MiB]);
    await h.sandbox.setFaults({ connectionBytesPerSec: 2048 });
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    await waitFor(() => /No progress/.test(jobOf(h!.engine, files[0]!)?.reason ?? ''), 15_000, 'a stall');
    await h.sandbox.clearFaults();
    await h.engine.idle();
    await expectAllUploaded(h, files);
  });

  it('keeps all uploads together under the bandwidth limit, adjustable live', async () => {
    h = await harness({ settings: { chunkSize: 5 * MiB, concurrency: 4, bandwidthLimit: 4 * MiB } });
    const files = makeFiles(h.dir, [6 * MiB, 6 * MiB]);
    const started = Date.now();
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    await h.engine.idle();
    const seconds = (Date.now() - started) / 1000;
    expect(seconds).toBeGreaterThan(2); // 12 MiB at 4 MiB/s, minus one second of burst
    expect(h.engine.updateSettings({ bandwidthLimit: null, concurrency: 2 })).toMatchObject({
      bandwidthLimit: null,
      concurrency: 2,
    });
    await expectAllUploaded(h, files);
  });

  it('keeps the machine awake while uploading, shows progress and notifies when the batch finishes', async () => {
    const calls: string[] = [];
    const platform: Partial<Platform> = {
      keepAwake: (on) => calls.push(`awake:${on}`),
      setProgress: (fraction) => calls.push(fraction === null ? 'progress:null' : 'progress'),
      notify: (title, body) => calls.push(`notify:${body}`),
    };
    h = await harness({ platform });
    const batches: string[] = [];
    h.engine.on('batch', (b) => batches.push(`${b.kind}:${b.message}`));
    makeFiles(h.dir, [6 * MiB, 1 * MiB]);
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    await h.engine.idle();
    expect(calls[0]).toBe('awake:true');
    expect(calls).toContain('awake:false');
    expect(calls).toContain('progress:null');
    expect(calls.some((c) => c.startsWith('notify:Uploads finished: 2 uploaded'))).toBe(true);
    expect(batches).toEqual(['finished:Uploads finished: 2 uploaded.']);
  });

  it('keeps uploading to one server while another is unreachable, and resumes the other when it is back', async () => {
    const { other, otherClient, client, engine, dir } = await twoServers();
    try {
      const [away] = makeFiles(join(dir, 'away'), [6 * MiB]);
      const [home] = makeFiles(join(dir, 'home'), [6 * MiB]);
      await other.setFaults({ outage: true });
      await engine.add({ paths: [away!], profileId: 'p2' });
      await waitFor(() => jobOf(engine, away!)?.state === 'offline', 10_000, 'the unreachable server noticed');
      expect(engine.snapshot().network).toMatchObject({ online: false });
      expect(engine.snapshot().network.message).toContain(other.url);
      expect(engine.snapshot().network.reason).toBe(`The server cannot be reached (${other.url}).`);
      await engine.add({ paths: [home!], profileId: 'p1' });
      await waitFor(() => jobOf(engine, home!)?.state === 'done', 10_000, 'the reachable server to get its file');
      expect(jobOf(engine, away!)!.state).toBe('offline');
      await other.clearFaults();
      await engine.idle();
      expect(engine.snapshot().network.online).toBe(true);
      expect(jobOf(engine, away!)!.state).toBe('done');
      expect((await allVideos(otherClient)).map((v) => v.videoId)).toEqual([jobOf(engine, away!)!.videoId]);
      expect((await allVideos(client)).map((v) => v.videoId)).toEqual([jobOf(engine, home!)!.videoId]);
    } finally {
      await other.close();
    }
  });

  it("more files for a server that is down than there are slots do not hold up another server's", async () => {
    const { other, engine, dir } = await twoServers();
    try {
      const away = makeFiles(
        join(dir, 'away'),
        Array.from({ length: 12 }, () => 16 * 1024),
      ); // 3 × the 4 slots
      const [home] = makeFiles(join(dir, 'home'), [6 * MiB]);
      await other.setFaults({ outage: true });
      await engine.add({ paths: [join(dir, 'away')], profileId: 'p2' });
      await waitFor(
        () => away.some((path) => jobOf(engine, path)?.state === 'offline'),
        10_000,
        'the unreachable server noticed',
      );
      await engine.add({ paths: [home!], profileId: 'p1' });
      await waitFor(() => jobOf(engine, home!)?.state === 'done', 10_000, 'the reachable server to get its file');
      await other.clearFaults();
      await engine.idle();
      expect(away.map((path) => jobOf(engine, path)?.state)).toEqual(away.map(() => 'done'));
    } finally {
      await other.close();
    }
  });
});

/** A harness (profile p1 on its sandbox) whose engine also serves profile p2 on a second sandbox. */
async function twoServers() {
  const other = await startTestSandbox();
  const made = await harness();
  h = made;
  const otherClient = createClient({ baseUrl: other.url, auth: { kind: 'bearer', apiKey: other.apiKey } });
  const client = made.client;
  const engine = await reopen(made, (profileId) => (profileId === 'p2' ? otherClient : client));
  return { other, otherClient, client, engine, dir: made.dir };
}

/** Reopens the harness's engine with profiles p1 and p2 served by `getClient`. */
async function reopen(harnessed: Harness, getClient: (profileId: string) => ReturnType<typeof createClient>) {
  await harnessed.engine.close();
  return harnessed.open({ getClient });
}
