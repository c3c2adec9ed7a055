// Stalls, the bandwidth limit and the platform hooks, on the real sandbox.
import { afterEach, describe, expect, it } from 'vitest';
import type { Platform } from '../../../main/platform';
import { expectAllUploaded, harness, jobOf, makeFiles, MiB, waitFor, type Harness } from './helpers';

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
    expect(h.engine.updateSettings({ bandwidthLimit: null, concurrency: 2 })).toMatchObject({ bandwidthLimit: null, concurrency: 2 });
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
});
