// The CLI against the user's own trouble, as a real process with real files: two runs over one folder at once (one
// video per file), a token-only journal that was lost (it refuses to send twice without --force), and a state
// directory that is read-only or fills up (exit 2, one sentence naming it and the cause; nothing torn).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, type TestContext } from 'vitest';
import { allVideos, makeFiles, MiB, sha256, tempDir } from '../integration/uploads/helpers';
import { runCli, startCli } from '../integration/cli/built-cli';
import { useCliWithSandbox } from '../integration/cli/cli-with-sandbox';

/** A small real filesystem for the state directory (root only, as CI runs); null with the reason otherwise. */
function smallFilesystem(dir: string, size: string): string | null {
  if (process.getuid?.() !== 0) return 'not root: cannot mount a small filesystem';
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
    return null;
  } catch (error) {
    return `mount failed: ${String(error)}`;
  }
}

function unmount(dir: string): void {
  try {
    execFileSync('umount', [dir], { stdio: 'pipe' });
  } catch {
    // not mounted
  }
}

describe('convoy upload with the files, the disk and the journal misbehaving', () => {
  const t = useCliWithSandbox();
  const mounts: string[] = [];
  const env = () => ({ ONCE_KEY: t.sandbox.apiKey });
  const withKey = () => ['--base-url', t.sandbox.url, '--api-key-env', 'ONCE_KEY', '--chunk-size', '5MiB', '--json'];

  afterAll(() => {
    for (const dir of mounts) unmount(dir);
  });

  /** A state directory on a small filesystem of `size`, unmounted after the tests; skips the test when none mounts. */
  function smallStateDir(prefix: string, size: string, context: TestContext): string {
    const state = tempDir(prefix);
    const why = smallFilesystem(state, size);
    if (why) context.skip(why);
    mounts.push(state);
    return state;
  }

  it('two concurrent runs over one folder with different state directories: one video per file, byte-identical', async () => {
    await t.sandbox.reset();
    const media = tempDir('twin-cli-media');
    const files = makeFiles(media, [12 * MiB, 12 * MiB, 2 * MiB, 2 * MiB]);
    await t.sandbox.setFaults({ connectionBytesPerSec: 16 * MiB }); // slow enough that the two runs overlap
    const runs = ['a', 'b'].map((name) =>
      startCli(t.cli, ['upload', media, ...withKey(), '--state-dir', tempDir(`twin-cli-${name}`)], env()),
    );
    const results = await Promise.all(runs.map((run) => run.done));
    await t.sandbox.clearFaults();
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    const videos = await allVideos(t.client);
    expect(videos).toHaveLength(files.length);
    for (const path of files) {
      const video = videos.find(
        (v) =>
          v.title ===
          path
            .split('/')
            .pop()!
            .replace(/\.mp4$/, ''),
      )!;
      const detail = await t.client.videos.get(video.videoId);
      expect(sha256(Buffer.from(await (await fetch(detail.assets!.mp4!)).arrayBuffer()))).toBe(
        sha256(readFileSync(path)),
      );
    }
  });

  it('with an upload token alone and the journal lost, it says so before sending and asks for --force', async () => {
    await t.sandbox.reset();
    const { token } = await t.client.uploadTokens.create(0);
    const media = tempDir('lost-journal-media');
    makeFiles(media, [1 * MiB, 1 * MiB]);
    const state = tempDir('lost-journal-state');
    const tokenArgs = [
      'upload',
      media,
      '--base-url',
      t.sandbox.url,
      '--upload-token-env',
      'ONCE_TOKEN',
      '--state-dir',
      state,
    ];
    const first = await runCli(t.cli, tokenArgs, { ONCE_TOKEN: token });
    expect(first.code, first.stderr).toBe(0);
    // The journal's data is gone; its lock (the sign that a queue lived here) is left.
    for (const name of readdirSync(state))
      if (name !== 'journal.lock') rmSync(join(state, name), { recursive: true, force: true });
    const refused = await runCli(t.cli, tokenArgs, { ONCE_TOKEN: token });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /The upload journal in .* was lost.*With an upload token alone Convoy cannot tell which files already arrived.*--force/s,
    );
    expect(await allVideos(t.client)).toHaveLength(2); // nothing sent again
    const forced = await runCli(t.cli, [...tokenArgs, '--force'], { ONCE_TOKEN: token });
    expect(forced.code, forced.stderr).toBe(0);
    expect(await allVideos(t.client)).toHaveLength(4); // the user asked for it
  });

  it('a read-only state directory: exit 2 with one sentence naming it, nothing sent', async (context) => {
    await t.sandbox.reset();
    const state = smallStateDir('ro-state', '1m', context);
    execFileSync('mount', ['-o', 'remount,ro', state]);
    const media = tempDir('ro-media');
    makeFiles(media, [1 * MiB]);
    const run = await runCli(t.cli, ['upload', media, ...withKey(), '--state-dir', state], env());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`convoy: The state directory ${state}.*read-only`));
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(await allVideos(t.client)).toHaveLength(0);
  });

  it('a state directory that fills up mid-run: exit 2 naming it, the journal whole, and a later run finishes', async (context) => {
    await t.sandbox.reset();
    const state = smallStateDir('full-state', '24k', context);
    const media = tempDir('full-media');
    const files = makeFiles(
      media,
      Array.from({ length: 60 }, () => 64 * 1024),
    );
    const run = await runCli(t.cli, ['upload', media, ...withKey(), '--state-dir', state], env());
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`convoy: The state directory ${state} is full`));
    expect(run.stderr).not.toMatch(/\n\s+at /);
    // Room again (a bigger disk, the same journal): the same command finishes, one video per file.
    const copy = tempDir('full-state-copy');
    execFileSync('cp', ['-a', `${state}/.`, copy]);
    unmount(state);
    mounts.splice(mounts.indexOf(state), 1);
    mkdirSync(state, { recursive: true });
    execFileSync('cp', ['-a', `${copy}/.`, state]);
    const again = await runCli(t.cli, ['upload', media, ...withKey(), '--state-dir', state], env());
    expect(again.code, again.stderr).toBe(0);
    expect(await allVideos(t.client)).toHaveLength(files.length);
  });
});
