// The manifest export of finished uploads, as CSV and JSON: links, errors, media facts and sidecars.
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../main/uploads/csv';
import { renderManifest } from '../../../main/uploads/manifest';
import { jobView } from '../../support/queue-views';

describe('manifest', () => {
  it('renders CSV and JSON with links and errors', () => {
    const job = jobView('1', {
      path: '/v/a.mp4',
      name: 'a.mp4',
      size: 10,
      state: 'failed',
      reason: 'boom',
      title: 'a',
    });
    const csv = renderManifest([job], 'csv', new Date(0));
    expect(csv.content.split('\r\n')[1]).toBe('/v/a.mp4,10,,a,,,,failed,boom,,,,,,,,');
    expect(csv.suggestedName).toMatch(/\.csv$/);
    expect(JSON.parse(renderManifest([job], 'json').content)[0]).toMatchObject({
      path: '/v/a.mp4',
      status: 'failed',
      error: 'boom',
      container: null,
      durationSec: null,
      sidecars: [],
    });
  });

  it('carries the media facts and each sidecar’s state (reasons in JSON)', () => {
    const job = jobView('2', {
      path: '/v/talk.mp4',
      state: 'done',
      videoId: 'vi1',
      media: {
        container: 'mp4',
        durationSec: 125.04000001,
        width: 1920,
        height: 1080,
        fps: 29.97002997,
        videoCodec: 'h264',
        audioCodec: 'aac',
      },
      sidecars: [
        { key: 'caption:en', kind: 'caption', path: '/v/talk.en.vtt', language: 'en', isDefault: true, state: 'done' },
        {
          key: 'caption:fr',
          kind: 'caption',
          path: '/v/talk.fr.srt',
          language: 'fr',
          state: 'failed',
          reason: 'the server refused it',
        },
        { key: 'thumbnail', kind: 'thumbnail', path: '/v/talk.jpg', state: 'done' },
      ],
    });
    const [header, row] = parseCsv(renderManifest([job], 'csv').content);
    expect(header!.slice(9)).toEqual([
      'container',
      'durationSec',
      'width',
      'height',
      'fps',
      'videoCodec',
      'audioCodec',
      'sidecars',
    ]);
    expect(row!.slice(9)).toEqual([
      'mp4',
      '125.04',
      '1920',
      '1080',
      '29.97',
      'h264',
      'aac',
      'caption:en=done;caption:fr=failed;thumbnail=done',
    ]);
    expect(JSON.parse(renderManifest([job], 'json').content)[0]).toMatchObject({
      container: 'mp4',
      durationSec: 125.04,
      width: 1920,
      height: 1080,
      fps: 29.97,
      videoCodec: 'h264',
      audioCodec: 'aac',
      sidecars: [
        { key: 'caption:en', state: 'done' },
        { key: 'caption:fr', state: 'failed', reason: 'the server refused it' },
        { key: 'thumbnail', state: 'done' },
      ],
    });
  });
});
