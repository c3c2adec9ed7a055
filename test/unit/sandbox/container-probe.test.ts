// The container probe on files made by ffmpeg: each container recognised by its signature with the facts it states
// plainly, and what is not a video (random bytes, audio only, truncated files) told apart with a reason.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeContainer, probeFile } from '../../../main/sandbox/container-probe';
import { makeClip, type ClipContainer } from '../../support/media-clips';

const dir = mkdtempSync(join(tmpdir(), 'convoy-probe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file made by ffmpeg from a lavfi source, for the containers makeClip does not offer. */
function ffmpeg(name: string, args: string[]): string {
  const file = join(dir, name);
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args, file]);
  return file;
}

const probeBytes = (bytes: Buffer) =>
  probeContainer((offset, length) => bytes.subarray(offset, offset + length), bytes.length);

describe('probeFile', () => {
  it.each<[ClipContainer, string]>([
    ['mp4', 'mp4'],
    ['mov', 'mov'],
    ['mkv', 'matroska'],
    ['webm', 'webm'],
    ['avi', 'avi'],
  ])('reads duration, picture size and frame rate from %s', async (container, name) => {
    const clip = await makeClip(dir, { container, seconds: 2, width: 480, height: 270 });
    expect(probeFile(clip)).toEqual({
      kind: 'video',
      facts: { container: name, duration: 2, width: 480, height: 270, framerate: 25 },
    });
  });

  it('recognises MPEG-TS by its sync bytes, stating no facts', async () => {
    const clip = await makeClip(dir, { container: 'ts', seconds: 1, width: 320, height: 180 });
    expect(probeFile(clip)).toMatchObject({ kind: 'video', facts: { container: 'mpeg-ts', width: null } });
  });

  it('recognises MXF by its header partition pack and Ogg Theora with its picture size', () => {
    const source = ['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', '-frames:v', '10'];
    const mxf = ffmpeg('clip.mxf', [...source, '-c:v', 'mpeg2video']);
    const ogv = ffmpeg('clip.ogv', [...source, '-c:v', 'libtheora']);
    expect(probeFile(mxf)).toMatchObject({ kind: 'video', facts: { container: 'mxf' } });
    expect(probeFile(ogv)).toMatchObject({ kind: 'video', facts: { container: 'ogg', width: 320, height: 240 } });
  });

  it('reads a movie whose moov box comes after its media data', () => {
    const late = ffmpeg('late-moov.mp4', [
      ...['-f', 'lavfi', '-i', 'testsrc=size=200x100:rate=25', '-frames:v', '25'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast'],
    ]);
    const bytes = readFileSync(late);
    expect(bytes.indexOf('moov')).toBeGreaterThan(bytes.indexOf('mdat'));
    expect(probeFile(late)).toMatchObject({ kind: 'video', facts: { width: 200, height: 100, duration: 1 } });
  });
});

describe('what is not a video', () => {
  it('random bytes, an empty file and a text file have no container signature', () => {
    for (const bytes of [randomBytes(200_000), Buffer.alloc(0), Buffer.from('hello, world\n'.repeat(100))])
      expect(probeBytes(bytes).kind).toBe('not-video');
    expect(probeBytes(randomBytes(1000))).toMatchObject({ reason: expect.stringMatching(/signature/) });
  });

  it('audio only (Ogg Vorbis, an MP4 with no video track) is not a video', () => {
    const sine = ['-f', 'lavfi', '-i', 'sine=duration=1'];
    expect(probeFile(ffmpeg('audio.ogg', [...sine, '-c:a', 'libvorbis']))).toMatchObject({
      kind: 'not-video',
      reason: expect.stringMatching(/no video stream/),
    });
    expect(probeFile(ffmpeg('audio.m4a', [...sine, '-c:a', 'aac']))).toMatchObject({
      kind: 'not-video',
      reason: expect.stringMatching(/no video track/),
    });
  });

  it.each<ClipContainer>(['mp4', 'mkv', 'webm', 'avi'])('a %s cut short is truncated', async (container) => {
    const whole = readFileSync(await makeClip(dir, { container, seconds: 2, width: 320, height: 180 }));
    const cut = join(dir, `cut.${container}`);
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.7)));
    expect(probeFile(cut)).toMatchObject({ kind: 'not-video', reason: expect.stringMatching(/truncated/) });
  });

  it('three TS sync bytes at the right places are needed, not one lucky first byte', () => {
    const bytes = randomBytes(188 * 4);
    bytes[0] = 0x47;
    bytes[188] = 0x00;
    expect(probeBytes(bytes).kind).toBe('not-video');
  });
});
