// `convoy watch --no-sidecars --upload-unrecognised` as a real process (the built CLI) against the sandbox: the watch
// it keeps carries both options in its record, a file no parser recognises uploads byte for byte, and the caption
// beside a clip is not sent; a later run without the flags drops them from the record.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ffmpeg } from '../../unit/media/media-fixtures';
import { makeClip } from '../watch/clips';
import { startCli } from './built-cli';
import { useCliWithSandbox } from './cli-with-sandbox';

type Line = { event: string } & Record<string, unknown>;
const ndjson = (stdout: string): Line[] =>
  stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Line);
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const watchRecords = (state: string) =>
  (JSON.parse(readFileSync(join(state, 'watch', 'watches.json'), 'utf8')) as { watches: Record<string, unknown>[] })
    .watches;

describe('convoy watch with add options', () => {
  const t = useCliWithSandbox();
  const auth = () => ['--base-url', t.sandbox.url, '--api-key-env', 'WATCH_KEY'];
  const env = () => ({ WATCH_KEY: t.sandbox.apiKey });

  it('keeps --no-sidecars and --upload-unrecognised on the watch, and each file it adds honours them', async () => {
    await t.sandbox.reset();
    const dir = t.dir('watch-options');
    const state = t.dir('watch-options-state');
    // A real H.264 stream without a container, named .mp4: no parser recognises its first bytes.
    const raw = join(dir, 'raw.mp4');
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=160x96:rate=25', '-t', '1', '-c:v', 'libx264', '-f', 'h264', raw]);
    const clip = join(dir, 'talk.mp4');
    writeFileSync(clip, makeClip(1, 51));
    writeFileSync(join(dir, 'talk.en.vtt'), 'WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nHello\n');
    const flags = ['--existing', '--settle', '1', '--json', '--state-dir', state];

    const run = startCli(t.cli, ['watch', dir, ...auth(), ...flags, '--no-sidecars', '--upload-unrecognised'], env());
    await run.waitFor(/"event":"job"[^\n]*raw\.mp4","state":"done"/);
    await run.waitFor(/"event":"job"[^\n]*talk\.mp4","state":"done"/);
    run.child.kill('SIGINT');
    const stopped = await run.done;
    expect(stopped.code, stopped.stderr).toBe(0);
    const jobs = ndjson(stopped.stdout).filter((l) => l.event === 'job');
    expect(jobs.map((l) => [l.path, l.state]).sort()).toEqual([
      [raw, 'done'],
      [clip, 'done'],
    ]);
    expect(ndjson(stopped.stdout).filter((l) => l.event === 'sidecar')).toEqual([]);
    const talk = jobs.find((l) => l.path === clip)!;
    expect(talk.sidecars).toEqual([]);
    expect(await t.client.sidecars.hasTrack('captions', talk.videoId as string, 'en')).toBe(false);
    const sent = jobs.find((l) => l.path === raw)!;
    const stored = readFileSync(join(t.sandbox.dataDir, 'videos', sent.videoId as string, 'source.mp4'));
    expect(sha(stored)).toBe(sha(readFileSync(raw)));
    expect(watchRecords(state)).toMatchObject([{ path: dir, noSidecars: true, uploadUnrecognised: true }]);

    // The same folder without the flags: the watch no longer carries them.
    const again = startCli(t.cli, ['watch', dir, ...auth(), ...flags], env());
    await again.waitFor('"event":"watching"');
    again.child.kill('SIGINT');
    expect((await again.done).code).toBe(0);
    const [record] = watchRecords(state);
    expect(record).not.toHaveProperty('noSidecars');
    expect(record).not.toHaveProperty('uploadUnrecognised');
  }, 120_000);
});
