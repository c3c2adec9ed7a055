// Ctrl-C on `convoy upload` (the real process, SIGINT): every unfinished file is reported as interrupted, not failed,
// the exit code is 130, and the journal is intact: the same command finishes with one byte-identical video per file.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allVideos, makeFiles, MiB, sha256 } from '../uploads/helpers';
import { runCli, startCli } from './built-cli';
import { useCliWithSandbox } from './cli-with-sandbox';

describe('convoy upload interrupted with Ctrl-C', () => {
  const t = useCliWithSandbox();

  it('reports every unfinished file as interrupted, exits 130, and the next run finishes each file once', async () => {
    const files = t.dir('interrupt-files');
    const state = t.dir('interrupt-state');
    const paths = makeFiles(files, [12 * MiB, 14 * MiB, 16 * MiB]);
    const env = { INTERRUPT_KEY: t.sandbox.apiKey };
    const args = [
      'upload',
      files,
      '--base-url',
      t.sandbox.url,
      '--api-key-env',
      'INTERRUPT_KEY',
      '--chunk-size',
      '5MiB',
      '--state-dir',
      state,
    ];
    await t.sandbox.setFaults({ connectionBytesPerSec: 3 * MiB });

    const text = startCli(t.cli, args, env);
    await text.waitFor('Uploading to');
    await new Promise((resolve) => setTimeout(resolve, 1500)); // some parts confirmed, others on their way
    text.child.kill('SIGINT');
    const stopped = await text.done;
    expect(stopped.code, stopped.stderr).toBe(130);
    for (const path of paths)
      expect(stopped.stderr).toContain(`interrupted ${path}: interrupted, resumes on the next run`);
    expect(stopped.stderr).not.toMatch(/^failed|unknown reason/m);
    expect(stopped.stderr.trim().split('\n').at(-1)).toBe(
      'Interrupted: 0 uploaded by this run, 0 already there, 0 failed, 3 interrupted (of 3 file(s)). Run the same command again to resume and retry.',
    );

    const json = startCli(t.cli, [...args, '--json'], env);
    await json.waitFor('"event":"progress"');
    json.child.kill('SIGINT');
    const again = await json.done;
    expect(again.code, again.stderr).toBe(130);
    const summary = JSON.parse(again.stdout.trim().split('\n').at(-1)!) as {
      outcome: string;
      unfinished: number;
      notArrived: { path: string; state: string; reason: string }[];
    };
    expect(summary.outcome).toBe('interrupted');
    expect(summary.notArrived).toEqual(
      paths.map((path) => ({ path, state: 'interrupted', reason: 'interrupted, resumes on the next run' })),
    );

    await t.sandbox.clearFaults();
    const resumed = await runCli(t.cli, args, env);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('0 new file(s), 3 already in the queue');
    const videos = await allVideos(t.client);
    expect(videos).toHaveLength(paths.length);
    for (const path of paths) {
      const wanted = sha256(readFileSync(path));
      const same = [];
      for (const video of videos) {
        const mp4 = (await t.client.videos.get(video.videoId)).assets?.mp4;
        const response = await fetch(mp4!);
        if (response.ok && sha256(Buffer.from(await response.arrayBuffer())) === wanted) same.push(video.videoId);
      }
      expect(same, path).toHaveLength(1);
    }
  }, 120_000);
});
