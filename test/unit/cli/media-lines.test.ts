// What the CLI says about a file's media: duration and resolution on its done line, a line per sidecar that will
// not reach the server, `sidecar` NDJSON events as states move, skipped non-videos, and the media flags.
import { describe, expect, it } from 'vitest';
import type { SidecarView } from '../../../common/contract/queue';
import { parseCli } from '../../../main/cli/args';
import { clockDuration, describeJob, renderJson, renderLines } from '../../../main/cli/render';
import { resumeEarlierRun } from '../../../main/cli/cli-engine';
import { closingLine, countRun, skippedLine, skippedMedia } from '../../../main/cli/run-report';
import type { UploadEngine } from '../../../main/uploads/index';
import { jobView } from '../../support/queue-views';
import { fakeEvents } from './fake-events';

const caption = (state: SidecarView['state'], reason?: string): SidecarView => ({
  key: 'caption:fr',
  kind: 'caption',
  path: '/v/clip.fr.srt',
  language: 'fr',
  state,
  ...(reason ? { reason } : {}),
});
const media = { container: 'mp4', durationSec: 125.2, width: 1920, height: 1080 };

describe('the CLI on media', () => {
  it('says a done file’s duration and resolution', () => {
    expect(clockDuration(125.2)).toBe('2:05');
    expect(clockDuration(3725)).toBe('1:02:05');
    const done = jobView('clip', { state: 'done', videoId: 'vi1', playerUrl: 'http://p/vi1', media });
    expect(describeJob(done)).toBe('done     /v/clip.mp4 → vi1 http://p/vi1 (2:05, 1920×1080)');
    expect(describeJob({ ...done, media: { container: 'avi' } })).toBe('done     /v/clip.mp4 → vi1 http://p/vi1');
  });

  it('prints a line once per sidecar that failed, needs a key or will not be sent; never for the ones going well', () => {
    const events = fakeEvents();
    let text = '';
    const renderer = renderLines(events.source, { write: (t: string) => (text += t) });
    const job = jobView('clip', { name: 'clip.mp4' });
    events.emit({ ...job, state: 'uploading', sidecars: [caption('waiting')] });
    events.emit({ ...job, state: 'done', videoId: 'vi1', media, sidecars: [caption('sending')] });
    events.emit({
      ...job,
      state: 'done',
      videoId: 'vi1',
      media,
      sidecars: [caption('failed', 'The server refused it.')],
    });
    events.emit({
      ...job,
      state: 'done',
      videoId: 'vi1',
      media,
      sidecars: [caption('failed', 'The server refused it.')],
    });
    events.emit({
      ...job,
      state: 'done',
      sidecars: [{ ...caption('needs-key', 'Captions need the API key.'), key: 'thumbnail' }],
    });
    renderer.stop();
    expect(text.split('\n').filter(Boolean)).toEqual([
      'done     /v/clip.mp4 → vi1  (2:05, 1920×1080)',
      'sidecar  /v/clip.fr.srt: caption:fr of clip.mp4 failed: The server refused it.',
      'sidecar  /v/clip.fr.srt: thumbnail of clip.mp4 needs an API key: Captions need the API key.',
    ]);
  });

  it('--json: jobs carry media and sidecars, and each sidecar state change is a `sidecar` event', () => {
    const events = fakeEvents();
    let text = '';
    const known = [jobView('old', { state: 'done', sidecars: [{ ...caption('done'), path: '/v/old.fr.srt' }] })];
    const renderer = renderJson(events.source, { write: (t: string) => (text += t) }, known);
    const job = jobView('clip', { media });
    events.emit({ ...job, sidecars: [caption('waiting')] }, known[0]!);
    events.emit({ ...job, state: 'done', videoId: 'vi1', sidecars: [caption('waiting')] });
    events.emit({ ...job, state: 'done', videoId: 'vi1', sidecars: [caption('done')] });
    renderer.stop();
    const lines = text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { event: string } & Record<string, unknown>);
    expect(lines.map((l) => l.event)).toEqual(['jobs', 'sidecar', 'jobs', 'jobs', 'sidecar']);
    expect(lines[0]).toMatchObject({
      upserts: [{ id: 'clip', media, sidecars: [{ key: 'caption:fr', state: 'waiting' }] }, { id: 'old' }],
    });
    expect(lines[1]).toEqual({
      event: 'sidecar',
      id: 'clip',
      file: '/v/clip.mp4',
      key: 'caption:fr',
      path: '/v/clip.fr.srt',
      state: 'waiting',
    });
    expect(lines[4]).toMatchObject({ event: 'sidecar', videoId: 'vi1', key: 'caption:fr', state: 'done' });
  });

  it('lists files the preflight refused, with its reason, counts them apart from duplicates, and retries them', () => {
    const fake = jobView('fake', {
      state: 'skipped',
      refused: 'not-video',
      reason: 'fake.mp4 is not a video: it starts like a text file',
    });
    const odd = jobView('odd', { state: 'skipped', refused: 'unknown', reason: 'odd.mp4 was not recognised.' });
    const duplicate = jobView('dup', { state: 'skipped', reason: 'Already uploaded as vi1.' });
    const done = jobView('clip', { state: 'done' });
    const jobs = [fake, odd, duplicate, done];
    expect(skippedMedia(jobs).map(skippedLine)).toEqual([
      'skipped  /v/fake.mp4: fake.mp4 is not a video: it starts like a text file',
      'skipped  /v/odd.mp4: odd.mp4 was not recognised (run again with --upload-unrecognised to upload it anyway)',
    ]);
    expect(describeJob(fake)).toBe('skipped  /v/fake.mp4: fake.mp4 is not a video: it starts like a text file');
    const counts = countRun(jobs, new Set());
    expect(counts).toMatchObject({ files: 4, uploaded: 1, duplicates: 1, alreadyThere: 1, refused: 2, failed: 0 });
    expect(closingLine(counts, 'finished')).toBe(
      'Finished: 1 uploaded by this run, 1 already there (1 duplicate(s) on the server, 0 done in an earlier run), 0 failed (of 4 file(s)); 2 skipped before sending (not a video, cut short or unrecognised).',
    );
    // A re-run looks at refused files again; one not recognised uploads only with --upload-unrecognised.
    const retried: string[][] = [];
    const engine = {
      snapshot: () => ({ jobs: jobs.map((j) => ({ ...j, profileId: 'p' })) }),
      control: (_action: string, ids: string[]) => retried.push(ids),
    } as unknown as UploadEngine;
    resumeEarlierRun(engine, 'p');
    resumeEarlierRun(engine, 'p', { uploadUnrecognised: true });
    expect(retried).toEqual([['fake'], ['fake', 'odd']]);
  });

  it('takes --no-sidecars and --upload-unrecognised for upload and watch; sidecars are on by default', () => {
    const env = { K: 'key' };
    const auth = ['--base-url', 'http://x', '--api-key-env', 'K'];
    expect(parseCli(['upload', 'd', ...auth], env)).toMatchObject({ sidecars: true, uploadUnrecognised: false });
    expect(parseCli(['upload', 'd', ...auth, '--no-sidecars', '--upload-unrecognised'], env)).toMatchObject({
      sidecars: false,
      uploadUnrecognised: true,
    });
    expect(parseCli(['watch', 'd', ...auth, '--no-sidecars', '--upload-unrecognized'], env)).toMatchObject({
      command: 'watch',
      sidecars: false,
      uploadUnrecognised: true,
    });
  });
});
