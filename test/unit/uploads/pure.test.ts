// Pure parts of the engine: chunk planning, back-off, speed smoothing, CSV parsing, metadata import, manifest.
import { describe, expect, it } from 'vitest';
import { retryDelay } from '../../../main/uploads/backoff';
import { parseCsv, toCsv } from '../../../main/uploads/csv';
import { renderManifest } from '../../../main/uploads/manifest';
import { importMetadataCsv } from '../../../main/uploads/metadata-csv';
import { chooseChunkSize, MiB, partRange, totalParts } from '../../../main/uploads/plan';
import { SpeedMeter } from '../../../main/uploads/progress';
import { classifyFailure } from '../../../main/uploads/failure';
import { ApiVideoError } from '../../../main/apivideo/index';
import { jobView } from '../../support/queue-views';

describe('chunk planning', () => {
  it('cuts files into parts with stable, inclusive byte ranges', () => {
    expect(totalParts(12 * MiB, 5 * MiB)).toBe(3);
    expect(partRange(12 * MiB, 5 * MiB, 3)).toEqual({ part: 3, start: 10 * MiB, end: 12 * MiB - 1, length: 2 * MiB });
    expect(totalParts(1, 5 * MiB)).toBe(1);
  });
  it('keeps chunk sizes within 5..200 MiB and at most 10,000 parts', () => {
    expect(chooseChunkSize(100, 1)).toBe(5 * MiB);
    expect(chooseChunkSize(100, 999 * MiB)).toBe(200 * MiB);
    expect(totalParts(60_000 * MiB, chooseChunkSize(60_000 * MiB, 5 * MiB))).toBeLessThanOrEqual(10_000);
    expect(chooseChunkSize(1e9, 'adaptive', 2 * MiB)).toBe(30 * MiB);
  });
});

describe('retry delays', () => {
  const policy = { attempts: 5, baseDelayMs: 1000, maxDelayMs: 8000, maxRetryAfterMs: 60_000 };
  it('grow, are jittered, capped, and honour Retry-After', () => {
    expect(retryDelay(policy, 1, undefined, () => 0)).toBe(500);
    expect(retryDelay(policy, 3, undefined, () => 1)).toBe(4000);
    expect(retryDelay(policy, 10, undefined, () => 1)).toBe(8000);
    expect(retryDelay(policy, 1, 30, () => 0)).toBe(30_000);
    expect(retryDelay(policy, 1, 300, () => 0)).toBe(60_000);
  });
});

describe('failure verdicts', () => {
  it('treats already-sent parts as done and network loss as a reason to probe', () => {
    const problem = (slug: string) => ({ type: `https://docs.api.video/reference/${slug}`, title: 't', status: 400 });
    expect(
      classifyFailure(
        new ApiVideoError('bad-request', 'x', {
          status: 400,
          problem: problem('video-content-range-by-part-part-already-sent'),
        }),
      ).kind,
    ).toBe('already-have');
    expect(classifyFailure(new ApiVideoError('network', 'x')).kind).toBe('network');
    expect(classifyFailure(new ApiVideoError('rate-limit', 'x', { retryAfterSeconds: 3 }))).toMatchObject({
      kind: 'retry',
      rateLimited: true,
      retryAfterSeconds: 3,
    });
    expect(classifyFailure(new ApiVideoError('auth', 'x')).kind).toBe('fail');
    expect(classifyFailure(Object.assign(new Error('gone'), { code: 'ENOENT' })).kind).toBe('fail');
  });
});

describe('speed meter', () => {
  it('smooths bytes per second', () => {
    const meter = new SpeedMeter(1000);
    meter.sample(0, 0);
    expect(meter.sample(1000, 1000)).toBe(1000);
    const next = meter.sample(1000, 2000);
    expect(next).toBeGreaterThan(0);
    expect(next).toBeLessThan(1000);
  });

  it('does not believe the first burst: 4 MB into socket buffers at once on a 2 MB/s link', () => {
    const MB = 1_000_000;
    const meter = new SpeedMeter(3000);
    meter.sample(0, 0);
    expect(meter.sample(4 * MB, 100)).toBeLessThan(2 * MB); // the buffer fill alone: no 40 MB/s
    let bytes = 4 * MB;
    let speed = 0;
    for (let t = 200; t <= 20_000; t += 100) {
      bytes += 0.2 * MB; // 2 MB/s from here on
      speed = meter.sample(bytes, t);
      expect(speed).toBeLessThan(3.5 * MB);
    }
    expect(speed).toBeGreaterThan(1.9 * MB);
    expect(speed).toBeLessThan(2.1 * MB);
  });
});

describe('CSV', () => {
  it('parses quotes, doubled quotes, CRLF and a BOM, and writes safe cells', () => {
    expect(parseCsv('\ufeffa,"b,1","say ""hi"""\r\nc,,d\n')).toEqual([
      ['a', 'b,1', 'say "hi"'],
      ['c', '', 'd'],
    ]);
    expect(toCsv([['=cmd()', 'a"b']])).toBe(`'=cmd(),"a""b"\r\n`);
  });

  it('matches metadata rows to jobs by file name, with or without extension', () => {
    const jobs = [
      { id: '1', name: 'Intro.MP4' },
      { id: '2', name: 'outro.mov' },
    ];
    const csv =
      'filename,title,description,tags\nintro.mp4,The intro,First,a;b|c\nOUTRO,The end,,\nmissing.mp4,x,,\n,no name,,\n';
    const result = importMetadataCsv(csv, jobs);
    expect(result.matches.map((m) => m.jobIds)).toEqual([['1'], ['2']]);
    expect(result.patches[0]!.patch).toEqual({ title: 'The intro', description: 'First', tags: ['a', 'b', 'c'] });
    expect(result.unmatched).toEqual([{ row: 4, filename: 'missing.mp4' }]);
    expect(result.errors).toEqual(['Row 5: the filename is empty.']);
    expect(importMetadataCsv('title\nx\n', jobs).errors[0]).toMatch(/filename/);
  });
});

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
    expect(csv.content.split('\r\n')[1]).toBe('/v/a.mp4,10,,a,,,,failed,boom');
    expect(csv.suggestedName).toMatch(/\.csv$/);
    expect(JSON.parse(renderManifest([job], 'json').content)[0]).toMatchObject({
      path: '/v/a.mp4',
      status: 'failed',
      error: 'boom',
    });
  });
});
