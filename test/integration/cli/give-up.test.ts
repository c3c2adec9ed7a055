// --give-up-after on the real CLI process: with the server gone (the sandbox's outage fault) or failing every request,
// the run stops after the given time without progress, prints each file's state, exits 1 and keeps every file for
// the next run. A slow but healthy link is not a stall, and without the flag the CLI waits for the server.
import { afterEach, describe, expect, it } from 'vitest';
import { allVideos, makeFiles, MiB } from '../uploads/helpers';
import { runCli, startCli } from './built-cli';
import { useCliWithSandbox } from './cli-with-sandbox';

describe('convoy upload --give-up-after', () => {
  const t = useCliWithSandbox();
  const dir = t.dir;
  const env = () => ({ GIVE_UP_KEY: t.sandbox.apiKey });
  const upload = (files: string, state: string) => [
    'upload',
    files,
    '--base-url',
    t.sandbox.url,
    '--api-key-env',
    'GIVE_UP_KEY',
    '--chunk-size',
    '5MiB',
    '--state-dir',
    state,
  ];

  afterEach(async () => {
    await t.sandbox.clearFaults();
    await t.sandbox.reset();
  });

  it('stops when the server has been gone that long, prints each file state, exits 1; the next run finishes them', async () => {
    const files = dir('give-up-files');
    const paths = makeFiles(files, [12 * MiB, 14 * MiB]);
    const state = dir('give-up-state');
    await t.sandbox.setFaults({ connectionBytesPerSec: 4 * MiB });
    const started = Date.now();
    const run = startCli(t.cli, [...upload(files, state), '--give-up-after', '2s'], env());
    await run.waitFor('Uploading to');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await t.sandbox.setFaults({ outage: true }); // the server goes away mid-upload
    const stopped = await run.done;
    expect(stopped.code, stopped.stderr).toBe(1);
    expect(Date.now() - started).toBeLessThan(20_000);
    for (const path of paths) {
      expect(stopped.stderr).toMatch(
        new RegExp(`^(offline|retrying) +${path}: .+; saved, resumes on the next run$`, 'm'),
      );
    }
    expect(stopped.stderr).toMatch(/^offline .*The server cannot be reached/m);
    expect(stopped.stderr.trim().split('\n').at(-1)).toBe(
      'Gave up after 2s without progress: 0 uploaded by this run, 0 already there, 0 failed, 2 not finished (of 2 file(s)). Run the same command again to resume and retry.',
    );

    // --json says the same in its summary.
    const json = await runCli(t.cli, [...upload(files, state), '--give-up-after', '1s', '--json'], env());
    expect(json.code, json.stderr).toBe(1);
    const summary = JSON.parse(json.stdout.trim().split('\n').at(-1)!) as {
      outcome: string;
      unfinished: number;
      notArrived: { path: string; state: string; reason: string }[];
    };
    expect(summary).toMatchObject({ outcome: 'gave-up', unfinished: 2 });
    expect(summary.notArrived.map((f) => [f.path, f.state])).toEqual(paths.map((p) => [p, 'offline']));

    // Every file's state was kept: the same command, with the server back, continues them.
    await t.sandbox.clearFaults();
    const resumed = await runCli(t.cli, upload(files, state), env());
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('0 new file(s), 2 already in the queue');
    expect(resumed.stderr.trim().split('\n').at(-1)).toBe(
      'Finished: 2 uploaded by this run, 0 already there, 0 failed (of 2 file(s)).',
    );
    expect(await allVideos(t.client)).toHaveLength(2);
  }, 90_000);

  it('stops when every attempt fails and is retried without progress for that long', async () => {
    const files = dir('give-up-failing');
    const [path] = makeFiles(files, [6 * MiB]);
    await t.sandbox.setFaults({ failRate: 1, failStatus: 503 });
    const run = await runCli(t.cli, [...upload(files, dir('give-up-failing-state')), '--give-up-after', '3s'], env());
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^retrying +${path}: .*HTTP 503.*; saved, resumes on the next run$`, 'm'));
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(/^Gave up after 3s without progress: .* 1 not finished/);
  }, 60_000);

  it('does not give up on a slow link that is moving, even when a part takes longer than the limit', async () => {
    const files = dir('give-up-slow');
    makeFiles(files, [6 * MiB, 6 * MiB]);
    // 2 MiB/s for both files: each 5 MiB part takes seconds to be acknowledged.
    await t.sandbox.setFaults({ totalBytesPerSec: 2 * MiB });
    const run = await runCli(t.cli, [...upload(files, dir('give-up-slow-state')), '--give-up-after', '1s'], env());
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr.trim().split('\n').at(-1)).toBe(
      'Finished: 2 uploaded by this run, 0 already there, 0 failed (of 2 file(s)).',
    );
  }, 60_000);

  it('without the flag waits for a server that is gone, and finishes when it is back', async () => {
    const files = dir('give-up-default');
    makeFiles(files, [6 * MiB]);
    await t.sandbox.setFaults({ outage: true });
    const run = startCli(t.cli, upload(files, dir('give-up-default-state')), env());
    await run.waitFor('The server cannot be reached');
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(run.child.exitCode).toBeNull(); // still waiting
    await t.sandbox.clearFaults();
    const finished = await run.done;
    expect(finished.code, finished.stderr).toBe(0);
    expect(finished.stderr.trim().split('\n').at(-1)).toBe(
      'Finished: 1 uploaded by this run, 0 already there, 0 failed (of 1 file(s)).',
    );
  }, 90_000);
});
