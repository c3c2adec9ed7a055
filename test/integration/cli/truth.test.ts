// What `convoy upload` says is true, checked on the real CLI process against the sandbox with real files: a missing
// path stops it (exit 2, the path named), every file that did not arrive carries its reason in text and in --json,
// usage text is printed as written, pipes/sockets and broken links in folders are listed as skipped, and the last
// line counts what this run uploaded, what was already there and what failed.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FileOutcome, RunCounts } from '../../../main/cli/run-report';
import { allVideos, makeFiles, MiB } from '../uploads/helpers';
import { runCli } from './built-cli';
import { useCliWithSandbox } from './cli-with-sandbox';

/** The last --json line: the run's counts, named as in main/cli/run-report.ts, and each file that did not arrive. */
type Summary = RunCounts & { event: 'summary'; outcome: string; done: number; notArrived: FileOutcome[] };

const ndjson = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { event: string } & Record<string, unknown>);
const summaryOf = (stdout: string) => ndjson(stdout).at(-1) as unknown as Summary;

describe('convoy upload tells the truth', () => {
  const t = useCliWithSandbox();
  const dir = t.dir;
  const keyEnv = () => ({ TRUTH_KEY: t.sandbox.apiKey });
  const withKey = () => ['--base-url', t.sandbox.url, '--api-key-env', 'TRUTH_KEY', '--chunk-size', '5MiB'];

  it('stops with exit 2 before sending anything when a path does not exist, naming it (and a broken link as one)', async () => {
    const files = dir('truth-missing');
    makeFiles(files, [1 * MiB]);
    const typo = join(files, 'clip-00O.mp4');
    const link = join(files, 'moved.mp4');
    symlinkSync(join(files, 'gone', 'original.mp4'), link);
    const state = dir('truth-missing-state');
    const run = await runCli(t.cli, ['upload', files, typo, link, ...withKey(), '--state-dir', state], keyEnv());
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`${typo}: Nothing is there: no file or folder at this path`);
    expect(run.stderr).toContain(`${link}: A broken link to ${join(files, 'gone', 'original.mp4')}`);
    expect(run.stderr).toContain('Nothing was queued or sent.');
    expect(await allVideos(t.client)).toHaveLength(0);
  });

  it('refuses a --give-up-after that is not a duration, with exit 2', async () => {
    const run = await runCli(
      t.cli,
      ['upload', dir('truth-duration'), ...withKey(), '--give-up-after', 'soon'],
      keyEnv(),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--give-up-after: "soon" is not a duration; write e.g. 30s, 10m or 2h');
  });

  it('warns that --upload-token puts the token on argv and points to --upload-token-env, then uploads', async () => {
    const files = dir('truth-argv-token');
    makeFiles(files, [1 * MiB]);
    const { token } = await t.client.uploadTokens.create(0);
    const state = dir('truth-argv-token-state');
    const args = ['upload', files, '--base-url', t.sandbox.url, '--upload-token', token, '--state-dir', state];
    const run = await runCli(t.cli, args);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('warning: --upload-token puts the token on the command line');
    expect(run.stderr).toContain('--upload-token-env');
    expect(run.stdout + run.stderr).not.toContain(token);
  });

  it('prints usage and help exactly as written, never through redaction', async () => {
    const help = await runCli(t.cli, ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('with an upload token: when it expires');
    const wrong = await runCli(t.cli, ['upload', '--no-such-flag']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(help.stdout);
    expect(wrong.stderr).not.toContain('[redacted]');
  });

  it('lists pipes, sockets and broken links inside folders as skipped, with what they are, and does not hang on them', async () => {
    const files = dir('truth-special');
    const [clip] = makeFiles(files, [1 * MiB]);
    execFileSync('mkfifo', [join(files, 'capture.mp4')]);
    symlinkSync(join(files, 'old', 'take.mp4'), join(files, 'take.mp4'));
    const socket: Server = createServer();
    await new Promise<void>((done) => socket.listen(join(files, 'agent.sock'), done));
    try {
      const run = await runCli(
        t.cli,
        ['upload', files, ...withKey(), '--state-dir', dir('truth-special-state')],
        keyEnv(),
      );
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain(
        `skipped: ${join(files, 'capture.mp4')}: A named pipe (FIFO), not a regular file: skipped`,
      );
      expect(run.stderr).toContain(`skipped: ${join(files, 'agent.sock')}: A socket, not a regular file: skipped`);
      expect(run.stderr).toContain(
        `skipped: ${join(files, 'take.mp4')}: A broken link to ${join(files, 'old', 'take.mp4')}`,
      );
      expect(run.stderr).not.toContain('Nothing is there');
      expect(run.stdout).toContain(`done     ${clip}`);
    } finally {
      await new Promise((done) => socket.close(done));
    }
  });

  it('counts, on the last line and in the JSON summary, what this run uploaded, what was already there, and what failed', async () => {
    const files = dir('truth-counts');
    const [first, second] = makeFiles(files, [6 * MiB, 2 * MiB]);
    const state = dir('truth-counts-state');
    const before = (await allVideos(t.client)).length;
    const args = ['upload', files, ...withKey(), '--state-dir', state];
    const one = await runCli(t.cli, args, keyEnv());
    expect(one.code, one.stderr).toBe(0);
    expect(one.stderr.trim().split('\n').at(-1)).toBe(
      'Finished: 2 uploaded by this run, 0 already there, 0 failed (of 2 file(s)).',
    );

    // Then: one new file, and a copy of a file already on the server under another name.
    copyFileSync(first!, join(files, 'copy-of-first.mp4'));
    makeFiles(join(files, 'more'), [3 * MiB]);
    const two = await runCli(t.cli, [...args, '--json'], keyEnv());
    expect(two.code, two.stderr).toBe(0);
    expect(summaryOf(two.stdout)).toMatchObject({
      outcome: 'finished',
      files: 4,
      done: 4,
      uploaded: 1,
      alreadyThere: 3,
      duplicates: 1,
      earlierRun: 2,
      failed: 0,
      unfinished: 0,
      notArrived: [],
    });
    const three = await runCli(t.cli, args, keyEnv());
    expect(three.code, three.stderr).toBe(0);
    expect(three.stderr.trim().split('\n').at(-1)).toBe(
      'Finished: 0 uploaded by this run, 4 already there (1 duplicate(s) on the server, 3 done in an earlier run), 0 failed (of 4 file(s)).',
    );
    // A run prints a "done" line for what it uploaded, not again for what an earlier run did.
    expect(three.stdout).not.toContain(second!);
    expect(await allVideos(t.client)).toHaveLength(before + 3); // the copy was not uploaded again
  });

  it('gives every failed file its reason, in text and in --json, also when it fails as soon as a re-run starts', async () => {
    const files = dir('truth-failed');
    const [clip] = makeFiles(files, [2 * MiB]);
    // Many files to scan beside it: a resumed file fails while the folder is still being read.
    const crowd = dir('truth-failed-crowd');
    mkdirSync(crowd, { recursive: true });
    for (let i = 0; i < 3000; i += 1) writeFileSync(join(crowd, `note-${i}.txt`), 'x');
    const state = dir('truth-failed-state');
    const token = 'to0000000000000000000000000000';
    const args = ['upload', files, crowd, '--base-url', t.sandbox.url, '--upload-token', token, '--state-dir', state];
    const text = await runCli(t.cli, args);
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(new RegExp(`failed +${clip}: .*upload token was refused`));
    expect(text.stderr).not.toContain('unknown reason');
    expect(text.stderr.trim().split('\n').at(-1)).toMatch(
      /^Finished: 0 uploaded by this run, 0 already there, 1 failed \(of 1 file\(s\)\)\. Run the same command again/,
    );

    const json = await runCli(t.cli, [...args, '--json']);
    expect(json.code).toBe(1);
    const lines = ndjson(json.stdout);
    const failedViews = lines
      .flatMap((l) => (l.event === 'jobs' ? (l.upserts as { state: string; reason?: string }[]) : []))
      .filter((j) => j.state === 'failed');
    expect(failedViews.length).toBeGreaterThan(0);
    for (const view of failedViews) expect(view.reason).toMatch(/upload token was refused/);
    const summary = summaryOf(json.stdout);
    expect(summary).toMatchObject({ outcome: 'finished', files: 1, done: 0, failed: 1 });
    expect(summary.notArrived).toEqual([
      { path: clip, state: 'failed', reason: expect.stringMatching(/upload token was refused/) },
    ]);
    expect(json.stdout + json.stderr).not.toContain(token);
  });
});
