// The engine end to end on a healthy sandbox: API-key and upload-token flows, dedupe, controls, manifest.
import { afterEach, describe, expect, it } from 'vitest';
import { expectAllUploaded, harness, makeFiles, MiB, type Harness } from './helpers';

let h: Harness | null = null;
afterEach(async () => {
  await h?.cleanup();
  h = null;
});

describe('upload engine on a healthy sandbox', () => {
  it('uploads files in parallel chunks with an API key, byte-identical, one video each', async () => {
    h = await harness();
    const files = makeFiles(h.dir, [12 * MiB, 7 * MiB, 3 * MiB]);
    const result = await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    expect(result.added).toBe(3);
    await h.engine.idle();
    await expectAllUploaded(h, files);
    const again = await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    expect(again.alreadyQueued).toBe(3);
  });

  it('queues the many parts of one file without piling abort listeners past the warning limit', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', onWarning);
    try {
      h = await harness();
      const files = makeFiles(h.dir, [56 * MiB]); // 12 parts of 5 MiB, 4 at a time
      await h.engine.add({ paths: [h.dir], profileId: 'p1' });
      await h.engine.idle();
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
      expect(warnings.filter((w) => w.includes('MaxListenersExceeded'))).toEqual([]);
      await expectAllUploaded(h, files);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
