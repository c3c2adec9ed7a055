// The app follows encoding by default (Results shows encoding, playable or failed without a tick), keeps the user's
// explicit choice across restarts, and leaves the engine's own default (the CLI's) off: the real core on disk.
import { describe, expect, it } from 'vitest';
import type { QueueSettings, QueueSnapshot } from '../../../common/contract/queue';
import { startCore, type Core } from '../../../main/core';
import { openEngine } from '../../../main/uploads/index';
import { scratchDirs } from '../../support/scratch-dirs';

const scratch = scratchDirs('follow-encoding');

async function withCore<T>(dataDir: string, use: (core: Core) => Promise<T>): Promise<T> {
  const core = await startCore({ dataDir, platform: { mode: 'browser', secretCipher: null }, version: '0.0.0-test' });
  try {
    return await use(core);
  } finally {
    await core.close();
  }
}

/** The settings as the page reads them: the queue snapshot through the bridge. */
async function pageSettings(core: Core): Promise<QueueSettings> {
  const reply = await core.router.dispatch('queue.snapshot', {});
  if (!reply.ok) throw new Error(reply.error.message);
  return (reply.value as QueueSnapshot).settings;
}

async function change(core: Core, patch: Partial<QueueSettings>): Promise<void> {
  const reply = await core.router.dispatch('queue.settings', patch);
  expect(reply.ok).toBe(true);
}

describe('following encoding in the app', () => {
  it('is on at first launch and stays on across a restart when nobody chose', async () => {
    const dataDir = scratch();
    await withCore(dataDir, async (core) => {
      expect((await pageSettings(core)).waitForPlayable).toBe(true);
      // Another setting changed is no choice about following encoding.
      await change(core, { concurrency: 2 });
    });
    await withCore(dataDir, async (core) => {
      expect(await pageSettings(core)).toMatchObject({ waitForPlayable: true, concurrency: 2 });
    });
  });

  it("keeps the user's choice to turn it off, and to turn it on again, across restarts", async () => {
    const dataDir = scratch();
    await withCore(dataDir, async (core) => change(core, { waitForPlayable: false }));
    await withCore(dataDir, async (core) => {
      expect((await pageSettings(core)).waitForPlayable).toBe(false);
      await change(core, { concurrency: 3 });
    });
    await withCore(dataDir, async (core) => {
      expect(await pageSettings(core)).toMatchObject({ waitForPlayable: false, concurrency: 3 });
      await change(core, { waitForPlayable: true });
    });
    await withCore(dataDir, async (core) => expect((await pageSettings(core)).waitForPlayable).toBe(true));
  });

  it("leaves the engine's own default off: the CLI follows encoding only when asked", async () => {
    const engine = await openEngine({
      stateDir: scratch(),
      getClient: () => {
        throw new Error('no uploads here');
      },
    });
    try {
      expect(engine.snapshot().settings.waitForPlayable).toBe(false);
    } finally {
      await engine.close();
    }
  });
});
