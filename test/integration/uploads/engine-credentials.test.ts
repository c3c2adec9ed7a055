// A profile whose key is missing this session (session-only secrets after a restart): its jobs wait, with one
// notification, and start again by themselves once the key is back (credentialsChanged), even across restarts.
import { afterEach, describe, expect, it } from 'vitest';
import type { Platform } from '../../../main/platform';
import { expectAllUploaded, harness, makeFiles, MiB, type Harness } from './helpers';

let h: Harness | null = null;
afterEach(async () => {
  await h?.cleanup();
  h = null;
});

describe('upload engine: a profile without credentials', () => {
  it('keeps its jobs waiting (not failed, one notification) and resumes them when the key is back', async () => {
    h = await harness();
    const files = makeFiles(
      h.dir,
      Array.from({ length: 12 }, () => MiB / 4),
    );
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    await h.engine.close(); // the app quits with everything still queued

    let keyed = false;
    const notes: string[] = [];
    const platform: Partial<Platform> = { notify: (_title, body) => notes.push(body) };
    const client = h.client;
    const getClient = (profileId: string) => {
      if (!keyed)
        throw new Error(`Profile "Studio" (${profileId}) has no key this session. Enter its key again in Profiles.`);
      return client;
    };
    let engine = await h.open({ getClient, platform });
    await engine.idle();
    const waiting = engine.snapshot().jobs;
    expect(waiting.map((j) => j.state)).toEqual(files.map(() => 'paused'));
    expect(waiting[0]!.reason).toMatch(/^Waiting for the key of this profile: Profile "Studio"/);
    expect(notes).toHaveLength(1);
    expect(engine.credentialsChanged()).toBe(0); // still no key: nothing moves

    // Another restart while still waiting: the jobs wait again, they are not forgotten.
    await engine.close();
    engine = await h.open({ getClient, platform });
    await engine.idle();
    expect(
      engine.snapshot().jobs.every((j) => j.state === 'paused' && j.reason?.startsWith('Waiting for the key')),
    ).toBe(true);

    keyed = true;
    expect(engine.credentialsChanged()).toBe(12);
    await engine.idle();
    await expectAllUploaded(h, files);
    expect(engine.snapshot().jobs.every((j) => j.reason === undefined)).toBe(true);
    expect(notes.filter((n) => n.includes('Waiting'))).toHaveLength(2); // one per batch (one per app start here)
  });

  it('a file waiting for its key that is cancelled no longer counts as waiting for it', async () => {
    h = await harness();
    makeFiles(h.dir, [MiB / 4, MiB / 4]);
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    await h.engine.close();
    const engine = await h.open({
      getClient: () => {
        throw new Error('Profile "Studio" has no key this session.');
      },
    });
    await engine.idle();
    expect(engine.snapshot().totals.needsKey).toBe(2);
    const [first] = engine.snapshot().jobs;
    engine.control('cancel', [first!.id]);
    await engine.idle();
    const cancelled = engine.snapshot().jobs.find((j) => j.id === first!.id)!;
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.waitingForKey).toBeUndefined();
    expect(engine.snapshot().totals.needsKey).toBe(1);
  });

  it('sends one notification per batch however many files fail', async () => {
    const notes: string[] = [];
    h = await harness({ platform: { notify: (_title, body) => notes.push(body) } });
    const files = makeFiles(
      h.dir,
      Array.from({ length: 6 }, () => MiB / 4),
    );
    h.engine.control('pause');
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    h.engine.control('pause');
    await h.sandbox.setFaults({ failRate: 1, failStatus: 400 });
    h.engine.control('resume');
    await h.engine.idle();
    expect(h.engine.snapshot().jobs.map((j) => j.state)).toEqual(files.map(() => 'failed'));
    expect(notes.filter((n) => n.includes('failed:'))).toHaveLength(1);
    expect(notes.at(-1)).toBe('Uploads finished: 0 uploaded, 6 failed.');
  });
});
