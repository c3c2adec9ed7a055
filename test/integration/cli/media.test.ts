// `convoy upload` and media, on the built CLI against the sandbox with real clips: a text file named .mp4 is
// skipped as not a video, the run reports duration and resolution, the captions and thumbnail beside the clip reach
// the server (in --json as `sidecar` events, in the manifest), a broken caption is named in text mode, and
// --no-sidecars sends none (convoy watch too), an upload token says the sidecars need a key, and a video the
// preflight does not recognise uploads on a re-run with --upload-unrecognised.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../main/uploads/csv';
import { makeClip } from '../../support/media-clips';
import { ffmpeg } from '../../unit/media/media-fixtures';
import { stillImage } from '../../unit/media/media-fixtures';
import { allVideos } from '../uploads/helpers';
import { runCli, startCli } from './built-cli';
import { useCliWithSandbox } from './cli-with-sandbox';

type Line = { event: string } & Record<string, unknown>;
const ndjson = (stdout: string): Line[] =>
  stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Line);

const englishVtt = 'WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nHello\n\n00:00:01.000 --> 00:00:02.000\nBye\n';
const frenchSrt =
  '1\r\n00:00:00,000 --> 00:00:01,000\r\nBonjour\r\n\r\n2\r\n00:00:01,000 --> 00:00:02,000\r\nAu revoir\r\n';
const frenchAsVtt =
  'WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.000\nBonjour\n\n2\n00:00:01.000 --> 00:00:02.000\nAu revoir\n';

/** A folder as a team keeps it: the clip, its captions and thumbnail beside it, and a text file called fake.mp4. */
async function shoot(dir: string, tag: string): Promise<string> {
  const clip = await makeClip(dir, { container: 'mp4', seconds: 2, width: 320, height: 240, name: 'clip.mp4', tag });
  writeFileSync(join(dir, 'clip.en.vtt'), englishVtt);
  writeFileSync(join(dir, 'clip.fr.srt'), frenchSrt);
  await stillImage(dir, 'clip.jpg');
  writeFileSync(join(dir, 'fake.mp4'), 'These are my notes about the shoot, not a video.\n');
  return clip;
}

describe('convoy upload and media', () => {
  const t = useCliWithSandbox();
  const env = () => ({ MEDIA_KEY: t.sandbox.apiKey });
  const withKey = () => ['--base-url', t.sandbox.url, '--api-key-env', 'MEDIA_KEY'];

  const served = async (url: string) => Buffer.from(await (await fetch(url)).arrayBuffer());
  const track = async (videoId: string, language: string) => {
    const reply = await fetch(`${t.sandbox.url}/videos/${videoId}/captions/${language}`, {
      headers: { authorization: t.sandbox.basicAuth },
    });
    return reply.status === 200 ? ((await reply.json()) as { src: string; default?: boolean }) : null;
  };

  it('--json: skips fake.mp4 as not a video, reports the clip’s media and sidecars, and they reach the server', async () => {
    const dir = t.dir('media-json');
    const clip = await shoot(dir, 'json');
    const state = t.dir('media-json-state');
    const manifest = join(state, 'manifest.csv');
    const run = await runCli(
      t.cli,
      ['upload', dir, ...withKey(), '--json', '--state-dir', state, '--manifest', manifest],
      env(),
    );
    expect(run.code, run.stderr).toBe(0);
    const lines = ndjson(run.stdout);
    const fake = join(dir, 'fake.mp4');

    const views = lines.flatMap((l) =>
      l.event === 'jobs'
        ? (l.upserts as { path: string; state: string; videoId?: string; media?: object; refused?: string }[])
        : [],
    );
    // fake.mp4 is queued, then refused before a byte is sent: skipped, saying what it is.
    expect(views.filter((v) => v.path === fake).at(-1)).toMatchObject({
      state: 'skipped',
      refused: 'not-video',
      reason: expect.stringContaining('fake.mp4 is not a video') as unknown,
    });
    expect(views.filter((v) => v.path === fake).every((v) => v.videoId === undefined)).toBe(true);
    const done = views.filter((v) => v.path === clip && v.state === 'done').at(-1)!;
    expect(done.media).toMatchObject({ container: 'mp4', width: 320, height: 240, videoCodec: 'h264' });
    expect((done.media as { durationSec: number }).durationSec).toBeCloseTo(2, 1);

    const sidecarEvents = lines.filter((l) => l.event === 'sidecar');
    const last = (key: string) => sidecarEvents.filter((l) => l.key === key).at(-1);
    for (const key of ['caption:en', 'caption:fr', 'thumbnail'])
      expect(last(key), JSON.stringify(sidecarEvents)).toMatchObject({
        file: clip,
        state: 'done',
        videoId: done.videoId,
      });
    // Found at the scan and reported before it was sent: waiting for the video, or (when the reporter's 100 ms
    // coalescing folded that into the next state, on a loaded machine) pending once the video arrived.
    expect(['waiting', 'pending']).toContain(sidecarEvents.find((l) => l.key === 'caption:en')?.state);

    const summary = lines.at(-1)!;
    expect(summary).toMatchObject({ event: 'summary', files: 2, done: 1, refused: 1, duplicates: 0, failed: 0 });
    expect(summary.skipped).toEqual([
      { path: fake, reason: expect.stringContaining('is not a video') as unknown, code: 'not-video' },
    ]);

    // On the server: the one video, its captions (the SRT as WebVTT, English the default) and the thumbnail.
    const videos = await allVideos(t.client);
    expect(videos.map((v) => v.videoId)).toContain(done.videoId);
    expect(videos.some((v) => v.title === 'fake')).toBe(false);
    const videoId = done.videoId!;
    expect(await t.client.sidecars.hasTrack('captions', videoId, 'en')).toBe(true);
    const en = await track(videoId, 'en');
    expect(en?.default).toBe(true);
    expect((await served(en!.src)).equals(readFileSync(join(dir, 'clip.en.vtt')))).toBe(true);
    const fr = await track(videoId, 'fr');
    expect((await served(fr!.src)).toString('utf8')).toBe(frenchAsVtt);
    expect(await t.client.sidecars.thumbnailIs(videoId, readFileSync(join(dir, 'clip.jpg')))).toBe(true);

    const [header, row] = parseCsv(readFileSync(manifest, 'utf8'));
    const cell = (name: string) => row![header!.indexOf(name)];
    expect([cell('path'), cell('container'), cell('width'), cell('height')]).toEqual([clip, 'mp4', '320', '240']);
    expect(cell('sidecars')).toBe('caption:en=done;caption:fr=done;thumbnail=done');
  });

  it('text: the done line gives duration and resolution, a broken caption and fake.mp4 are named with why', async () => {
    const dir = t.dir('media-text');
    const clip = await shoot(dir, 'text');
    writeFileSync(join(dir, 'clip.de.vtt'), 'WEBVTT\n\n00:00:00.000 --> soon\nHallo\n');
    const state = t.dir('media-text-state');
    const run = await runCli(t.cli, ['upload', dir, ...withKey(), '--state-dir', state], env());
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^done +${clip} → \\S+ \\S+ \\(0:02, 320×240\\)$`, 'm'));
    expect(run.stdout).toContain(`sidecar  ${join(dir, 'clip.de.vtt')}: `);
    expect(run.stdout).toMatch(/clip\.de\.vtt is not valid WebVTT: line \d+ has a timing that does not parse/);
    const skippedFake = new RegExp(`^skipped +${join(dir, 'fake.mp4')}: fake.mp4 is not a video`, 'm');
    expect(run.stdout).toMatch(skippedFake);
    expect(run.stderr).toMatch(skippedFake);
    expect(run.stderr).toContain('1 skipped before sending (not a video, cut short or unrecognised)');
  });

  it('--no-sidecars sends the video alone', async () => {
    const dir = t.dir('media-none');
    await shoot(dir, 'none');
    const state = t.dir('media-none-state');
    const run = await runCli(
      t.cli,
      ['upload', dir, ...withKey(), '--json', '--no-sidecars', '--state-dir', state],
      env(),
    );
    expect(run.code, run.stderr).toBe(0);
    const lines = ndjson(run.stdout);
    expect(lines.filter((l) => l.event === 'sidecar')).toEqual([]);
    const done = lines
      .flatMap((l) => (l.event === 'jobs' ? (l.upserts as { state: string; videoId?: string }[]) : []))
      .find((v) => v.state === 'done')!;
    expect(await t.client.sidecars.hasTrack('captions', done.videoId!, 'en')).toBe(false);
    expect(await t.client.sidecars.hasTrack('captions', done.videoId!, 'fr')).toBe(false);
    expect(await t.client.sidecars.thumbnailIs(done.videoId!, readFileSync(join(dir, 'clip.jpg')))).toBe(false);
  });

  it('convoy watch --no-sidecars: the job line carries the media facts, fake.mp4 is refused, no sidecar is sent', async () => {
    const dir = t.dir('media-watch');
    const clip = await shoot(dir, 'watch');
    const state = t.dir('media-watch-state');
    const args = ['watch', dir, ...withKey(), '--existing', '--settle', '1', '--json', '--no-sidecars'];
    const run = startCli(t.cli, [...args, '--state-dir', state], env());
    await run.waitFor(/"event":"job"[^\n]*clip\.mp4","state":"done"/);
    await run.waitFor(/"event":"job"[^\n]*fake\.mp4","state":"skipped"/);
    run.child.kill('SIGINT');
    const stopped = await run.done;
    expect(stopped.code, stopped.stderr).toBe(0);
    const lines = ndjson(stopped.stdout);
    const job = lines.find((l) => l.event === 'job' && l.path === clip)!;
    expect(job).toMatchObject({ state: 'done', media: { container: 'mp4', width: 320, height: 240 }, sidecars: [] });
    expect(lines.filter((l) => l.event === 'sidecar')).toEqual([]);
    expect(lines).toContainEqual(
      expect.objectContaining({ event: 'job', path: join(dir, 'fake.mp4'), state: 'skipped', refused: 'not-video' }),
    );
    expect(lines.at(-1)!.skipped).toEqual([
      { path: join(dir, 'fake.mp4'), reason: expect.stringContaining('is not a video') as unknown, code: 'not-video' },
    ]);
    expect(await t.client.sidecars.hasTrack('captions', job.videoId as string, 'en')).toBe(false);
  });

  it('with an upload token alone, each sidecar says it needs an API key; the video still arrives', async () => {
    const dir = t.dir('media-token');
    const clip = await shoot(dir, 'token');
    const { token } = await t.client.uploadTokens.create(0);
    const state = t.dir('media-token-state');
    const run = await runCli(
      t.cli,
      ['upload', dir, '--base-url', t.sandbox.url, '--upload-token-env', 'MEDIA_TOKEN', '--state-dir', state],
      { MEDIA_TOKEN: token },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^done +${clip} → `, 'm'));
    for (const [file, key] of [
      ['clip.en.vtt', 'caption:en'],
      ['clip.fr.srt', 'caption:fr'],
      ['clip.jpg', 'thumbnail'],
    ])
      expect(run.stdout).toContain(
        `sidecar  ${join(dir, file!)}: ${key} of clip.mp4 needs an API key: Captions, chapters and thumbnails need the API key`,
      );
  });

  it('a video the preflight does not recognise is skipped saying how to send it, and uploads with --upload-unrecognised', async () => {
    const dir = t.dir('media-unknown');
    // A real H.264 stream without a container, named .mp4: no parser recognises its first bytes.
    const raw = join(dir, 'raw.mp4');
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=160x96:rate=25', '-t', '1', '-c:v', 'libx264', '-f', 'h264', raw]);
    const state = t.dir('media-unknown-state');
    const args = ['upload', dir, ...withKey(), '--state-dir', state];
    const first = await runCli(t.cli, args, env());
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(
      new RegExp(
        `^skipped +${raw}: raw.mp4 is not a video Convoy recognises.*\\(run again with --upload-unrecognised to upload it anyway\\)$`,
        'm',
      ),
    );
    expect(first.stderr).toContain('0 uploaded by this run');
    const second = await runCli(t.cli, [...args, '--upload-unrecognised'], env());
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(new RegExp(`^done +${raw} → vi`, 'm'));
    expect(second.stderr).toContain('1 uploaded by this run');
    expect((await allVideos(t.client)).some((v) => v.title === 'raw')).toBe(true);
  });
});
