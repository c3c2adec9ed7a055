// One test per fault the engine must ride out, against the real sandbox: 5xx and 429 bursts, connections
// cut mid-body, an outage, access-token expiry, upload-token expiry, a file changed mid-upload, a lapsed window.
import { appendFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { NetworkStatus } from '../../../common/contract/queue';
import { allVideos, expectAllUploaded, harness, jobOf, makeFiles, MiB, waitFor, type Harness } from './helpers';

let h: Harness | null = null;
afterEach(async () => {
  await h?.cleanup();
  h = null;
});

async function uploadUnder(faults: Parameters<Harness['sandbox']['setFaults']>[0]): Promise<string[]> {
  h = await harness();
  const files = makeFiles(h.dir, [16 * MiB, 9 * MiB]);
  await h.sandbox.setFaults(faults);
  await h.engine.add({ paths: [h.dir], profileId: 'p1' });
  await h.engine.idle();
  await h.sandbox.clearFaults();
  return files;
}

describe('upload engine under faults', () => {
  it('rides out bursts of 5xx errors', async () => {
    const files = await uploadUnder({ failRate: 0.35, failStatus: 503 });
    await expectAllUploaded(h!, files);
    expect((await h!.sandbox.stats()).requests).toBeGreaterThan(8);
  });

  it('rides out connections reset in the middle of a chunk body', async () => {
    const files = await uploadUnder({ resetRate: 0.35 });
    await expectAllUploaded(h!, files);
  });

  it('rides out bursts of 429 rate-limit answers', async () => {
    const files = await uploadUnder({ failRate: 0.4, failStatus: 429 });
    await expectAllUploaded(h!, files);
  });

  it('goes offline during a 60-second outage, probes, and resumes by itself without spending retries', async () => {
    h = await harness({ retry: { attempts: 1, baseDelayMs: 50, maxDelayMs: 100, maxRetryAfterMs: 100 } });
    const files = makeFiles(h.dir, [20 * MiB]);
    const statuses: NetworkStatus[] = [];
    h.engine.on('network', (s) => statuses.push(s));
    await h.sandbox.setFaults({ connectionBytesPerSec: 8 * MiB });
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    await waitFor(() => (jobOf(h!.engine, files[0]!)?.confirmedBytes ?? 0) > 0, 20_000, 'a first part');
    await h.sandbox.setFaults({ outage: true });
    await waitFor(() => jobOf(h!.engine, files[0]!)?.state === 'offline', 10_000, 'offline state');
    expect(h.engine.snapshot().network.online).toBe(false);
    // A whole minute of outage: many probes fail, none of it counts as a retry (the budget here is 1).
    await new Promise((r) => setTimeout(r, 60_000));
    expect(jobOf(h.engine, files[0]!)?.state).toBe('offline');
    await h.sandbox.clearFaults();
    await h.engine.idle();
    expect(statuses.some((s) => !s.online)).toBe(true);
    expect(statuses.at(-1)?.online).toBe(true);
    await expectAllUploaded(h, files);
  }, 150_000);

  it('probes at once when the machine wakes from sleep instead of waiting out the back-off', async () => {
    // The wall clock as the engine sees it: a sleep is a jump of several minutes between two ticks.
    let slept = 0;
    h = await harness({ now: () => Date.now() + slept, probeIntervalMs: 120_000, probeMaxIntervalMs: 120_000 });
    const files = makeFiles(h.dir, [12 * MiB]);
    await h.sandbox.setFaults({ connectionBytesPerSec: 8 * MiB });
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    await waitFor(() => (jobOf(h!.engine, files[0]!)?.confirmedBytes ?? 0) > 0, 20_000, 'a first part');
    await h.sandbox.setFaults({ outage: true });
    await waitFor(() => jobOf(h!.engine, files[0]!)?.state === 'offline', 10_000, 'offline state');
    await h.sandbox.clearFaults();
    // The server is back, but the next probe is two minutes away: nothing moves on its own.
    await new Promise((r) => setTimeout(r, 2500));
    expect(jobOf(h.engine, files[0]!)?.state).toBe('offline');
    slept = 5 * 60_000;
    await waitFor(() => jobOf(h!.engine, files[0]!)?.state !== 'offline', 5000, 'the probe after waking');
    await h.engine.idle();
    await expectAllUploaded(h, files);
  });

  it('probes at once when the OS says the machine woke', async () => {
    // Electron's powerMonitor 'resume' is the OS boundary; here the test plays the OS.
    const wakeListeners = new Set<() => void>();
    const platform = {
      onWake: (listener: () => void) => (wakeListeners.add(listener), () => wakeListeners.delete(listener)),
    };
    h = await harness({ platform, probeIntervalMs: 120_000, probeMaxIntervalMs: 120_000 });
    const files = makeFiles(h.dir, [6 * MiB]);
    await h.sandbox.setFaults({ outage: true });
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    await waitFor(() => jobOf(h!.engine, files[0]!)?.state === 'offline', 10_000, 'offline state');
    await h.sandbox.clearFaults();
    await new Promise((r) => setTimeout(r, 1500));
    expect(jobOf(h.engine, files[0]!)?.state).toBe('offline');
    expect(wakeListeners.size).toBe(1);
    for (const listener of wakeListeners) listener();
    await waitFor(() => jobOf(h!.engine, files[0]!)?.state !== 'offline', 5000, 'the probe after waking');
    await h.engine.idle();
    await expectAllUploaded(h, files);
    await h.engine.close();
    expect(wakeListeners.size).toBe(0);
  });

  it('keeps going when the access token expires mid-file (the client refreshes it)', async () => {
    h = await harness();
    const files = makeFiles(h.dir, [20 * MiB]);
    await h.sandbox.setFaults({ connectionBytesPerSec: 10 * MiB });
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    await waitFor(() => (jobOf(h!.engine, files[0]!)?.confirmedBytes ?? 0) > 0, 20_000, 'a first part');
    await h.sandbox.advanceClock(2 * 3600);
    await h.engine.idle();
    await h.sandbox.clearFaults();
    await expectAllUploaded(h, files);
  });

  it('finishes a delegated upload whose token expires after the first chunk', async () => {
    h = await harness();
    const { token: tokenClient, created } = await h.switchToUploadToken(120);
    // The app knows the token's expiry (the vault read it with an API key): the job shows its window.
    const expiresAt = Date.parse(created.expiresAt!);
    const engine = await h.open({
      getClient: () => tokenClient,
      tokenExpiresAt: (profileId) => (profileId === 'p1' ? expiresAt : undefined),
    });
    const files = makeFiles(h.dir, [16 * MiB]);
    await h.sandbox.setFaults({ connectionBytesPerSec: 8 * MiB });
    await engine.add({ paths: [h.dir], profileId: 'p1' });
    await waitFor(() => !!jobOf(engine, files[0]!)?.videoId, 20_000, 'the first chunk');
    // Once the first chunk landed, the rest may arrive until 24 h after the token expired.
    await waitFor(
      () => jobOf(engine, files[0]!)?.windowEndsAt === expiresAt + 24 * 3600_000,
      5000,
      'the 24-hour window',
    );
    await h.sandbox.advanceClock(600); // the token is now expired; the rest may still arrive within 24 h
    await engine.idle();
    await h.sandbox.clearFaults();
    await expectAllUploaded(h, files);
  });

  it('fails clearly when the upload token expired before the first chunk', async () => {
    h = await harness();
    const { token: tokenClient } = await h.switchToUploadToken(60);
    const engine = await h.open({ getClient: () => tokenClient });
    await h.sandbox.advanceClock(120);
    const files = makeFiles(h.dir, [6 * MiB]);
    await engine.add({ paths: [h.dir], profileId: 'p1' });
    await engine.idle();
    const job = jobOf(engine, files[0]!)!;
    expect(job.state).toBe('failed');
    expect(job.reason).toMatch(/upload token/i);
    expect(job.reason).toMatch(/expired/i);
    expect(await allVideos(h.client)).toHaveLength(0);
  });

  it('starts over as a new video when the file changes during the upload', async () => {
    h = await harness({ settings: { chunkSize: 5 * MiB, concurrency: 1 } });
    const files = makeFiles(h.dir, [16 * MiB]);
    await h.sandbox.setFaults({ connectionBytesPerSec: 8 * MiB });
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    await waitFor(() => (jobOf(h!.engine, files[0]!)?.confirmedBytes ?? 0) > 0, 20_000, 'a first part');
    const firstVideo = jobOf(h.engine, files[0]!)!.videoId;
    appendFileSync(files[0]!, Buffer.alloc(MiB, 7));
    await h.sandbox.clearFaults();
    await h.engine.idle();
    const job = jobOf(h.engine, files[0]!)!;
    expect(job.videoId).not.toBe(firstVideo);
    expect(job.size).toBe(17 * MiB);
    expect(job.reason).toMatch(/changed/);
    await expectAllUploaded(h, files);
  });

  it('starts over as a new video when the 7-day window lapsed, deleting the abandoned container', async () => {
    h = await harness();
    const files = makeFiles(h.dir, [16 * MiB]);
    await h.sandbox.setFaults({ connectionBytesPerSec: 2 * MiB });
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    await waitFor(() => (jobOf(h!.engine, files[0]!)?.confirmedBytes ?? 0) > 0, 20_000, 'a first part');
    const firstVideo = jobOf(h.engine, files[0]!)!.videoId;
    await h.engine.close();
    await h.sandbox.clearFaults();
    await h.sandbox.advanceClock(8 * 24 * 3600);
    const engine = await h.open({ now: () => Date.now() + 8 * 24 * 3600 * 1000 });
    await engine.idle();
    const job = jobOf(engine, files[0]!)!;
    expect(job.videoId).not.toBe(firstVideo);
    expect(job.reason).toMatch(/window/);
    await expectAllUploaded(h, files);
  });
});
