// The queue's bridge handlers through the real router and event bus, on an engine talking to the sandbox.
import { afterEach, describe, expect, it } from 'vitest';
import { forwardEngineEvents, queueHandlers } from '../../../main/bridge/handlers/queue';
import { EventBus } from '../../../main/bridge/events';
import { createRouter, type HandlerMap } from '../../../main/bridge/router';
import { harness, makeFiles, MiB, type Harness } from './helpers';

let h: Harness | null = null;
afterEach(async () => {
  await h?.cleanup();
  h = null;
});

describe('queue bridge handlers', () => {
  it('validates, adds to the active profile, controls, and forwards engine events', async () => {
    h = await harness();
    makeFiles(h.dir, [2 * MiB]);
    let active: string | null = null;
    const router = createRouter(queueHandlers(h.engine, () => active) as HandlerMap);
    const bus = new EventBus();
    const seen = new Set<string>();
    bus.subscribe((event) => seen.add(event));
    const stop = forwardEngineEvents(h.engine, bus);

    const noProfile = await router.dispatch('queue.add', { paths: [h.dir] });
    expect(noProfile).toMatchObject({ ok: false, error: { message: expect.stringMatching(/No profile is active/) } });
    const invalid = await router.dispatch('queue.settings', { concurrency: 99 });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid-payload', field: 'concurrency' } });

    active = 'p1';
    const added = await router.dispatch('queue.add', { paths: [h.dir] });
    expect(added).toMatchObject({ ok: true, value: { added: 1, alreadyQueued: 0 } });
    await h.engine.idle();
    const snapshot = await router.dispatch('queue.snapshot', {});
    expect(snapshot).toMatchObject({ ok: true, value: { totals: { files: 1, byState: { done: 1 } } } });
    expect(await router.dispatch('queue.settings', { concurrency: 2 })).toMatchObject({
      ok: true,
      value: { concurrency: 2 },
    });
    expect(await router.dispatch('queue.control', { action: 'pause' })).toMatchObject({
      ok: true,
      value: { affected: 0 },
    });
    const manifest = await router.dispatch('queue.exportManifest', { format: 'csv' });
    expect(manifest).toMatchObject({ ok: true, value: { suggestedName: expect.stringMatching(/\.csv$/) } });
    await new Promise((r) => setTimeout(r, 150));
    expect([...seen]).toEqual(
      expect.arrayContaining(['queue.jobs', 'queue.progress', 'queue.settings', 'queue.batch']),
    );
    stop();
  });
});
