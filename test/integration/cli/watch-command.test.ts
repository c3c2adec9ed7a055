// `convoy watch` as a real process against the sandbox: files copied in (one slowly) upload once each after they
// settle, byte-identical; a rename is not a second upload; a burst of 500 files; Ctrl-C exits 0 when all arrived; a
// second run finds what arrived meanwhile; a folder that goes away and comes back; --existing; usage mistakes exit 2.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApiVideoClient } from '../../../main/apivideo/index';
import { main } from '../../../main/cli/convoy';
import { allVideos, tempDir } from '../uploads/helpers';
import { makeClip, makeClips, writeSlowly } from '../watch/clips';
import { startCli, type StartedCli } from './built-cli';
import { useCliWithSandbox } from './cli-with-sandbox';

interface Line {
  event: string;
  kind?: string;
  path?: string;
  from?: string;
  state?: string;
  videoId?: string;
  uploaded?: number;
  failed?: number;
  notArrived?: { path: string; state: string; reason: string }[];
}

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function lines(text: string): Line[] {
  return text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);
}

/** Follows a run's NDJSON from its start; `until` waits for `count` lines matching `match`. */
function follow(run: StartedCli) {
  let out = '';
  run.child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  return {
    async until(match: (l: Line) => boolean, count = 1, timeoutMs = 30_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = out.split('\n').filter((l) => l.startsWith('{') && match(JSON.parse(l) as Line));
        if (found.length >= count) return;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} line(s); stdout so far:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

/** Every video on the server is one of `paths`, each exactly once, with the file's bytes. */
async function expectOnServer(client: ApiVideoClient, paths: string[]): Promise<void> {
  const videos = await allVideos(client);
  expect(videos).toHaveLength(paths.length);
  const onServer: string[] = [];
  for (const video of videos) {
    const detail = await client.videos.get(video.videoId);
    const response = await fetch(detail.assets!.mp4!);
    onServer.push(sha(Buffer.from(await response.arrayBuffer())));
  }
  expect(onServer.sort()).toEqual(paths.map((p) => sha(readFileSync(p))).sort());
}

describe('convoy watch', () => {
  const t = useCliWithSandbox();
  const auth = () => ['--base-url', t.sandbox.url, '--api-key-env', 'WATCH_KEY'];
  const env = () => ({ WATCH_KEY: t.sandbox.apiKey });

  it('uploads each arriving file once, after it settles, until Ctrl-C; the next run finds what came meanwhile', async () => {
    await t.sandbox.reset();
    const dir = t.dir('watch-in');
    const state = t.dir('watch-state');
    const before = join(dir, 'already-there.mp4');
    writeFileSync(before, makeClip(1, 20));
    const args = ['watch', dir, ...auth(), '--settle', '1', '--json', '--state-dir', state];

    const run = startCli(t.cli, args, env());
    const output = follow(run);
    await run.waitFor('"event":"watching"');
    const slow = join(dir, 'slow-export.mp4');
    const [a, b] = makeClips(join(dir, 'cards'), 2);
    await writeSlowly(slow, makeClip(2, 21), 5, 700);
    await output.until((l) => l.event === 'job' && l.state === 'done', 3);
    renameSync(a!, join(dir, 'cards', 'renamed.mp4'));
    await output.until((l) => l.event === 'file' && l.kind === 'renamed');
    await new Promise((r) => setTimeout(r, 1500));
    run.child.kill('SIGINT');
    const stopped = await run.done;
    expect(stopped.code, stopped.stderr).toBe(0);
    const out = lines(stopped.stdout);
    expect(out.filter((l) => l.event === 'file' && l.kind === 'added').map((l) => l.path)).toEqual(
      expect.arrayContaining([slow, a, b]),
    );
    expect(out.filter((l) => l.event === 'file' && l.kind === 'added')).toHaveLength(3);
    expect(out.at(-1)).toMatchObject({ event: 'summary', uploaded: 3, failed: 0 });
    await expectOnServer(t.client, [slow, join(dir, 'cards', 'renamed.mp4'), b!]);

    // Closed: one file arrives. The next run (no --existing) uploads it and nothing else.
    const meanwhile = join(dir, 'meanwhile.mp4');
    writeFileSync(meanwhile, makeClip(1, 22));
    const again = startCli(t.cli, args, env());
    await follow(again).until((l) => l.event === 'job' && l.state === 'done' && l.path === meanwhile);
    await new Promise((r) => setTimeout(r, 1500));
    again.child.kill('SIGINT');
    const second = await again.done;
    expect(second.code, second.stderr).toBe(0);
    expect(lines(second.stdout).filter((l) => l.event === 'file' && l.kind === 'added')).toHaveLength(1);
    await expectOnServer(t.client, [slow, join(dir, 'cards', 'renamed.mp4'), b!, meanwhile]);
  }, 120_000);

  it('takes a burst of 500 files moved in at once, each uploaded once', async () => {
    await t.sandbox.reset();
    const dir = t.dir('watch-burst');
    const state = t.dir('watch-burst-state');
    const clips = makeClips(t.dir('watch-burst-outside'), 500);
    const run = startCli(t.cli, ['watch', dir, ...auth(), '--settle', '1', '--json', '--state-dir', state], env());
    const output = follow(run);
    await run.waitFor('"event":"watching"');
    for (const clip of clips) renameSync(clip, join(dir, basename(clip)));
    await output.until((l) => l.event === 'job' && l.state === 'done', 500, 240_000);
    await new Promise((r) => setTimeout(r, 1500)); // settle time and more: nothing is noticed twice
    run.child.kill('SIGINT');
    const stopped = await run.done;
    expect(stopped.code, stopped.stderr).toBe(0);
    const out = lines(stopped.stdout);
    expect(out.filter((l) => l.event === 'file' && l.kind === 'added')).toHaveLength(500);
    expect(out.at(-1)).toMatchObject({ event: 'summary', uploaded: 500, failed: 0 });
    expect(await allVideos(t.client)).toHaveLength(500);
  }, 300_000);

  it('uploads the files already there with --existing, and follows a folder that goes away and comes back', async () => {
    await t.sandbox.reset();
    const root = t.dir('watch-away');
    const dir = join(root, 'Ingest');
    mkdirSync(dir);
    const [first] = makeClips(dir, 1);
    const run = startCli(
      t.cli,
      ['watch', dir, ...auth(), '--settle', '1', '--existing', '--state-dir', t.dir('watch-state2')],
      env(),
    );
    await run.waitFor(/done +.*clip-0000\.mp4/);
    renameSync(dir, `${dir}-unplugged`);
    await run.waitFor(`unavailable ${dir}`);
    const later = join(`${dir}-unplugged`, 'later.mp4');
    writeFileSync(later, makeClip(1, 23));
    renameSync(`${dir}-unplugged`, dir);
    await run.waitFor(`watching ${dir} again`);
    await run.waitFor(/done +.*later\.mp4/);
    run.child.kill('SIGINT');
    const stopped = await run.done;
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stdout).toMatch(/^queued +.*clip-0000\.mp4$/m);
    expect(stopped.stderr).toMatch(/^Stopped watching: 2 uploaded by this run/m);
    await expectOnServer(t.client, [first!, join(dir, 'later.mp4')]);
  }, 120_000);

  it('exits 130 when Ctrl-C comes while a file is on its way, and the next run finishes it once', async () => {
    await t.sandbox.reset();
    const dir = t.dir('watch-busy');
    const state = t.dir('watch-state3');
    const args = ['watch', dir, ...auth(), '--settle', '1', '--json', '--state-dir', state];
    await t.sandbox.setFaults({ connectionBytesPerSec: 64 * 1024 });
    const run = startCli(t.cli, args, env());
    const output = follow(run);
    await run.waitFor('"event":"watching"');
    const path = join(dir, 'long-take.mp4');
    writeFileSync(path, makeClip(3, 25, true));
    await output.until((l) => l.event === 'file' && l.kind === 'added');
    await new Promise((r) => setTimeout(r, 1000));
    run.child.kill('SIGINT');
    const stopped = await run.done;
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(lines(stopped.stdout).at(-1)).toMatchObject({
      event: 'summary',
      uploaded: 0,
      notArrived: [{ path, state: 'interrupted', reason: 'interrupted, resumes on the next run' }],
    });

    await t.sandbox.clearFaults();
    const again = startCli(t.cli, args, env());
    await follow(again).until((l) => l.event === 'job' && l.state === 'done' && l.path === path);
    again.child.kill('SIGINT');
    const second = await again.done;
    expect(second.code, second.stderr).toBe(0);
    await expectOnServer(t.client, [path]);
  }, 120_000);

  it('refuses a folder that is not there, a file, and options of upload alone, with exit code 2', async () => {
    await t.sandbox.reset();
    const out = { stdout: '', stderr: '' };
    const io = {
      stdout: { write: (text: string) => (out.stdout += text) },
      stderr: { write: (text: string) => (out.stderr += text) },
      env: { CONVOY_DATA_DIR: tempDir('watch-cli-data'), ...env() },
    };
    const dir = t.dir('watch-usage');
    const file = join(dir, 'a.mp4');
    writeFileSync(file, makeClip(1, 24));
    expect(await main(['watch', join(dir, 'nope'), ...auth()], io)).toBe(2);
    expect(out.stderr).toContain(`${join(dir, 'nope')}: Nothing is there`);
    expect(await main(['watch', file, ...auth()], io)).toBe(2);
    expect(out.stderr).toContain(`${file} is a file; convoy watch takes folders`);
    expect(await main(['watch', dir, ...auth(), '--manifest', 'x.csv'], io)).toBe(2);
    expect(await main(['watch', dir, ...auth(), '--settle', '0'], io)).toBe(2);
    expect(out.stderr).toContain('--settle must be a number of seconds from 0.5 to 3600');
    expect(await main(['upload', dir, ...auth(), '--existing'], io)).toBe(2);
    expect(await allVideos(t.client)).toHaveLength(0);
  });
});
