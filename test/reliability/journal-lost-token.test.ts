// A lost journal with an upload token alone: nothing can tell whether a file already arrived, so the app's engine holds
// token uploads for the user's word (a notice, then "upload anyway") instead of silently sending them again.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { allVideos, harness, jobOf, makeFiles, MiB, waitFor, type Harness } from '../integration/uploads/helpers';

let h: Harness | null = null;
afterEach(async () => {
  await h?.cleanup();
  h = null;
});

describe('a lost journal and an upload token alone', () => {
  it('holds the token uploads with a notice until the user gives their word, then uploads them', async () => {
    h = await harness();
    const { token } = await h.switchToUploadToken();
    let engine = await h.open({ getClient: () => token });
    const files = makeFiles(h.dir, [MiB, MiB]);
    await engine.add({ paths: [h.dir], profileId: 'p1' });
    await engine.idle();
    expect(await allVideos(h.client)).toHaveLength(2);
    await engine.close();
    for (const name of readdirSync(h.stateDir))
      if (name !== 'journal.lock') rmSync(join(h.stateDir, name), { recursive: true });

    engine = await h.open({ getClient: () => token });
    const notices: unknown[] = [];
    engine.on('journal', (notice) => notices.push(notice));
    await engine.add({ paths: [h.dir], profileId: 'p1' });
    const e = engine;
    await waitFor(() => files.every((f) => jobOf(e, f)?.state === 'paused'), 10_000, 'the files held');
    expect(jobOf(engine, files[0]!)!.reason).toMatch(/^Waiting for your word: the upload journal was lost/);
    expect(engine.snapshot().journal).toMatchObject({
      kind: 'lost',
      holding: 2,
      message: expect.stringContaining(h.stateDir),
    });
    expect(await allVideos(h.client)).toHaveLength(2); // nothing sent again

    expect(engine.acknowledgeJournal()).toBe(2);
    await engine.idle();
    expect(files.map((f) => jobOf(engine, f)!.state)).toEqual(['done', 'done']);
    expect(engine.snapshot().journal).toBeUndefined();
    expect(notices.at(-1)).toBeNull();
    expect(await allVideos(h.client)).toHaveLength(4); // the user asked for it
  });

  it('an API key of the account lent later releases the held files, and it finds what already arrived', async () => {
    h = await harness();
    const { token } = await h.switchToUploadToken();
    let lent: typeof h.client | undefined = h.client; // the app has an API-key profile of the same account
    let engine = await h.open({ getClient: () => token, keyClientFor: () => lent });
    const files = makeFiles(h.dir, [MiB, MiB]);
    await engine.add({ paths: [h.dir], profileId: 'p1' });
    await engine.idle();
    await engine.close();
    for (const name of readdirSync(h.stateDir))
      if (name !== 'journal.lock') rmSync(join(h.stateDir, name), { recursive: true });

    lent = undefined; // after the restart its key is not entered yet
    engine = await h.open({ getClient: () => token, keyClientFor: () => lent });
    await engine.add({ paths: [h.dir], profileId: 'p1' });
    const e = engine;
    await waitFor(() => e.snapshot().journal?.holding === 2, 10_000, 'the files held');
    lent = h.client; // the key is entered again
    expect(engine.credentialsChanged()).toBe(2);
    await engine.idle();
    expect(files.map((f) => jobOf(engine, f)!.state)).toEqual(['skipped', 'skipped']); // found, proved by hash
    expect(engine.snapshot().journal?.holding).toBe(0);
    expect(await allVideos(h.client)).toHaveLength(2);
  });

  it('with an API key nothing is held: what arrived is found on the server', async () => {
    h = await harness();
    const files = makeFiles(h.dir, [MiB, MiB]);
    await h.engine.add({ paths: [h.dir], profileId: 'p1' });
    await h.engine.idle();
    await h.engine.close();
    for (const name of readdirSync(h.stateDir))
      if (name !== 'journal.lock') rmSync(join(h.stateDir, name), { recursive: true });
    const engine = await h.open();
    expect(engine.snapshot().journal?.kind).toBe('lost');
    await engine.add({ paths: [h.dir], profileId: 'p1' });
    await engine.idle();
    expect(files.map((f) => jobOf(engine, f)!.state)).toEqual(['skipped', 'skipped']);
    expect(await allVideos(h.client)).toHaveLength(2);
  });
});
