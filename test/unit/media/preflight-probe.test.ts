// Preflight of one file, in this thread: facts read from the headers of real clips in every container Convoy
// parses, and plain refusals for files that are not video or were cut short.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeFile } from '../../../main/media/probe';
import { makeClip } from '../../support/media-clips';
import type { ClipContainer } from '../../support/media-clips';
import { audioOnly, cutShort, ffmpeg, remux } from './media-fixtures';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'convoy-media-probe-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('facts of real clips', () => {
  const cases: [ClipContainer, string, string][] = [
    ['mp4', 'mp4', 'h264'],
    ['mov', 'mov', 'h264'],
    ['mkv', 'mkv', 'h264'],
    ['webm', 'webm', 'vp8'],
    ['avi', 'avi', 'mpeg4'],
    ['ts', 'mpeg-ts', 'h264'],
  ];
  for (const [container, name, codec] of cases) {
    it(`reads a ${container} clip's container, duration, picture and codec`, async () => {
      const clip = await makeClip(dir, { container, seconds: 2, width: 320, height: 176 });
      const result = await probeFile(clip);
      expect(result).toMatchObject({
        ok: true,
        facts: { container: name, width: 320, height: 176, videoCodec: codec },
      });
      if (!result.ok) return;
      expect(result.facts.durationSec).toBeGreaterThan(1.9);
      expect(result.facts.durationSec).toBeLessThan(2.2);
      if (container !== 'ts') expect(result.facts.fps).toBeCloseTo(25, 1);
    });
  }

  it('reads an M4V, an MP4 with its index at the end, and the audio codec beside the picture', async () => {
    const clip = await makeClip(dir, { container: 'mp4', seconds: 1, width: 160, height: 96 });
    const m4v = await remux(clip, dir, 'trailer.m4v');
    expect(await probeFile(m4v)).toMatchObject({ ok: true, facts: { container: 'm4v', width: 160, height: 96 } });
    const withSound = join(dir, 'talk.mp4');
    await ffmpeg([
      ...['-f', 'lavfi', '-i', 'testsrc=size=160x96:rate=30', '-f', 'lavfi', '-i', 'sine=duration=1'],
      ...['-t', '1', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', withSound],
    ]);
    expect(await probeFile(withSound)).toMatchObject({
      ok: true,
      facts: { container: 'mp4', videoCodec: 'h264', audioCodec: 'aac', fps: 30 },
    });
  });
});

describe('containers read by the fallback parser (mediainfo.js)', () => {
  it('reads MPEG-PS, FLV, ASF and MXF clips', async () => {
    const made: [string, string[], string][] = [
      ['clip.mpg', ['-c:v', 'mpeg2video'], 'mpeg-ps'],
      ['clip.flv', ['-c:v', 'libx264', '-preset', 'ultrafast'], 'flv'],
      ['clip.wmv', [], 'asf'],
      ['clip.mxf', ['-c:v', 'mpeg2video', '-pix_fmt', 'yuv422p', '-b:v', '5M'], 'mxf'],
    ];
    for (const [name, codec, container] of made) {
      await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=320x176:rate=25', '-t', '1', ...codec, join(dir, name)]);
      expect(await probeFile(join(dir, name))).toMatchObject({
        ok: true,
        facts: { container, width: 320, height: 176 },
      });
    }
  });
});

describe('refusals', () => {
  it('refuses a PDF, a text file and an empty file renamed .mp4, naming what they are', async () => {
    const pdf = join(dir, 'report.mp4');
    writeFileSync(pdf, '%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n');
    expect(await probeFile(pdf)).toEqual({
      ok: false,
      code: 'not-video',
      reason: 'report.mp4 is not a video: it starts like a PDF document',
    });
    const text = join(dir, 'notes.mov');
    writeFileSync(text, 'Shot list\r\n1. wide\r\n2. close-up\r\n');
    expect(await probeFile(text)).toMatchObject({
      ok: false,
      reason: 'notes.mov is not a video: it starts like a text file',
    });
    const empty = join(dir, 'empty.mkv');
    writeFileSync(empty, '');
    expect(await probeFile(empty)).toMatchObject({
      ok: false,
      code: 'not-video',
      reason: 'empty.mkv is not a video: it is empty',
    });
  });

  it('refuses sound without picture', async () => {
    const song = await audioOnly(dir, 'song.mp4');
    expect(await probeFile(song)).toEqual({
      ok: false,
      code: 'not-video',
      reason: 'song.mp4 is not a video: it holds audio only',
    });
  });

  it('refuses an MP4 cut short before its index (moov at the end, never written)', async () => {
    const clip = await makeClip(dir, { container: 'mp4', seconds: 2, width: 320, height: 176 });
    const atEnd = await remux(clip, dir, 'camera.mp4');
    expect((await probeFile(atEnd)).ok).toBe(true);
    const cut = cutShort(atEnd, dir, 'camera-copy.mp4', 0.6);
    expect(await probeFile(cut)).toEqual({
      ok: false,
      code: 'truncated',
      reason: 'camera-copy.mp4 is cut short: its index is missing (the copy may be unfinished)',
    });
  });

  it('refuses an MP4 whose index points past the end (moov first, media data cut)', async () => {
    const clip = await makeClip(dir, { container: 'mp4', seconds: 2, width: 320, height: 176 });
    const cut = cutShort(clip, dir, 'faststart-copy.mp4', 0.7);
    expect(await probeFile(cut)).toEqual({
      ok: false,
      code: 'truncated',
      reason:
        'faststart-copy.mp4 is cut short: its video data ends past the end of the file (the copy may be unfinished)',
    });
  });

  it('refuses Matroska and AVI copies that end before their declared length', async () => {
    for (const container of ['mkv', 'avi'] as const) {
      const clip = await makeClip(dir, { container, seconds: 2, width: 320, height: 176 });
      const cut = cutShort(clip, dir, `half.${container}`, 0.5);
      expect(await probeFile(cut)).toMatchObject({
        ok: false,
        code: 'truncated',
        reason: expect.stringContaining('is cut short'),
      });
    }
  });

  it('says what is missing for a file that is gone', async () => {
    expect(await probeFile(join(dir, 'gone.mp4'))).toEqual({
      ok: false,
      code: 'unreadable',
      reason: 'gone.mp4 is no longer there (moved, renamed or deleted).',
    });
  });

  it('answers "unknown" for bytes no parser recognises (the case an override is for)', async () => {
    const odd = join(dir, 'odd.mp4');
    const bytes = Buffer.from([0x00, 0x11, 0x22, 0x33, 0x99, 0x88, 0x01, 0x02]);
    writeFileSync(odd, Buffer.concat([bytes, Buffer.alloc(64, 0x05)]));
    expect(await probeFile(odd)).toMatchObject({ ok: false, code: 'unknown' });
  });
});
