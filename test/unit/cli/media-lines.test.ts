// What the CLI says about a file's media: duration and resolution on its done line, a line per sidecar that will
// not reach the server, `sidecar` NDJSON events as states move, skipped non-videos, and the media flags.
import { describe, expect, it } from 'vitest';
import type { JobView, SidecarView } from '../../../common/contract/queue';
import { parseCli } from '../../../main/cli/args';
import { clockDuration, describeJob, renderJson, renderLines, type EventSource } from '../../../main/cli/render';
import { closingLine, skippedLine, skippedMedia } from '../../../main/cli/run-report';
import { jobView } from '../../support/queue-views';

function fakeEvents() {
  let listener: ((payload: { upserts: JobView[]; removed: string[] }) => void) | null = null;
  const source = {
    on: (event: string, fn: typeof listener) => {
      if (event === 'jobs') listener = fn;
      return () => {
        listener = null;
      };
    },
  } as unknown as EventSource;
  return { source, emit: (...upserts: JobView[]) => listener?.({ upserts, removed: [] }) };
}

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

  it('lists files the preflight refused, with its reason, and counts them at the end', () => {
    const skips = skippedMedia([
      { path: '/v/fake.mp4', reason: 'fake.mp4 is not a video: it starts like a text file', media: 'not-video' },
      { path: '/v/odd.mkv', reason: 'odd.mkv was not recognised as a video.', media: 'unknown' },
      { path: '/v/pipe.mp4', reason: 'A named pipe (FIFO), not a regular file: skipped' },
    ]);
    expect(skips.map(skippedLine)).toEqual([
      'skipped  /v/fake.mp4: fake.mp4 is not a video: it starts like a text file',
      'skipped  /v/odd.mkv: odd.mkv was not recognised as a video (--upload-unrecognised uploads it anyway)',
    ]);
    const counts = { files: 1, uploaded: 1, alreadyThere: 0, duplicates: 0, earlierRun: 0, failed: 0, unfinished: 0 };
    expect(closingLine(counts, 'finished', undefined, 2)).toBe(
      'Finished: 1 uploaded by this run, 0 already there, 0 failed (of 1 file(s)); 2 skipped before sending (not a video, cut short or unrecognised).',
    );
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
