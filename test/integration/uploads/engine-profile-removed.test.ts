// A profile removed while its files wait in the queue: they fail with "Its profile was removed." (they used to wait
// for a key forever), through the real vault, engine and bridge of the app's core.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobView, QueueSnapshot } from '../../../common/api';
import { startCore, type Core } from '../../../main/core';
import { makeFiles, MiB, waitFor } from './helpers';

const dirs: string[] = [];
let core: Core | null = null;
afterEach(async () => {
  await core?.close();
  core = null;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function temp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

async function call<T>(c: Core, channel: string, request: unknown): Promise<T> {
  const reply = await c.router.dispatch(channel as never, request as never);
  if (!reply.ok) throw new Error(`${channel}: ${reply.error.message}`);
  return reply.value as T;
}

/** Adds the profile 'Work' for the core's sandbox, with its API key, through the bridge. */
function addWorkProfile(c: Core): Promise<{ profile: { id: string } }> {
  return call(c, 'profiles.add', {
    name: 'Work',
    environment: { kind: 'custom', baseUrl: c.sandbox.url },
    auth: { kind: 'bearer', apiKey: c.sandbox.apiKey },
  });
}

describe('upload engine: a profile removed with files queued', () => {
  it('fails its paused files with the reason when they resume', async () => {
    core = await startCore({
      dataDir: temp('convoy-removed-'),
      platform: { mode: 'browser', secretCipher: null },
      version: '0.0.0-test',
    });
    const work = await addWorkProfile(core);
    const media = temp('convoy-removed-media-');
    makeFiles(media, [MiB / 2, MiB / 2, MiB / 2]);
    await core.engine.add({ paths: [media], profileId: work.profile.id });
    core.engine.control('pause');
    const paused = core.engine.snapshot().jobs;
    expect(paused.map((j) => j.state)).toEqual(['paused', 'paused', 'paused']);

    await call(core, 'profiles.remove', { id: work.profile.id });
    core.engine.control('resume');
    await core.engine.idle();
    const jobs: JobView[] = (core.engine.snapshot() as QueueSnapshot).jobs;
    expect(jobs.map((j) => [j.state, j.reason])).toEqual(jobs.map(() => ['failed', 'Its profile was removed.']));
  });

  it('fails the files that waited for a key once their profile is removed', async () => {
    const dataDir = temp('convoy-removed-key-');
    core = await startCore({ dataDir, platform: { mode: 'browser', secretCipher: null }, version: '0.0.0-test' });
    const work = await addWorkProfile(core);
    const media = temp('convoy-removed-key-media-');
    makeFiles(media, [MiB / 2, MiB / 2]);
    await core.engine.add({ paths: [media], profileId: work.profile.id });
    core.engine.control('pause');
    await core.close(); // browser mode keeps keys for the session only: after a restart the profile needs its key

    core = await startCore({ dataDir, platform: { mode: 'browser', secretCipher: null }, version: '0.0.0-test' });
    const c = core;
    c.engine.control('resume');
    await waitFor(
      () => c.engine.snapshot().jobs.every((j) => j.state === 'paused' && j.waitingForKey),
      30_000,
      'files waiting for the key',
    );

    await call(c, 'profiles.remove', { id: work.profile.id });
    await c.engine.idle();
    expect(c.engine.snapshot().jobs.map((j) => [j.state, j.reason])).toEqual([
      ['failed', 'Its profile was removed.'],
      ['failed', 'Its profile was removed.'],
    ]);
  });
});
