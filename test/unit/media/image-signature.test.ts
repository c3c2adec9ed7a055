// The one image-signature check both layers use (main/lib/image-signature.ts): real JPEG, PNG and WebP images made
// by ffmpeg are told apart by their bytes, other real files are not taken for images, and
// the app's sniffing and the sandbox's image reading give the same answers through it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { imageType, imageTypes, startsLikeImage } from '../../../main/lib/image-signature';
import { sniff } from '../../../main/media/sniff';
import { imageSize } from '../../../main/sandbox/image-types';
import { makeClip } from '../../support/media-clips';
import { scratchDirs } from '../../support/scratch-dirs';
import { audioOnly, ffmpeg, stillImage } from './media-fixtures';

const newDir = scratchDirs('image-signature');

describe('image signatures', () => {
  it('tells real JPEG, PNG and WebP images apart by their bytes', async () => {
    const dir = newDir();
    const cases = [
      ['frame.jpg', 'image/jpeg', 'a JPEG image'],
      ['frame.png', 'image/png', 'a PNG image'],
      ['frame.webp', 'image/webp', 'a WebP image'],
    ] as const;
    for (const [name, type, what] of cases) {
      const bytes = readFileSync(await stillImage(dir, name));
      expect(imageType(bytes)).toBe(type);
      expect(startsLikeImage(bytes)).toBe(type);
      // The app's sniffing names it from the same check (a thumbnail named .mp4 is refused as this image).
      expect(sniff(bytes.subarray(0, 4096))).toEqual({ kind: 'not-video', what });
    }
    expect(imageTypes).toEqual(['image/jpeg', 'image/png', 'image/webp']);
  });

  it('takes no other real file for an image: a video, a GIF, a WAV (RIFF too), a few bytes of a JPEG', async () => {
    const dir = newDir();
    const clip = await makeClip(dir, { container: 'mp4', seconds: 1, width: 160, height: 96 });
    const gif = await stillImage(dir, 'frame.gif');
    const wav = join(dir, 'tone.wav');
    await ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', wav]);
    const m4a = await audioOnly(dir, 'tone.m4a');
    const jpegStart = readFileSync(await stillImage(dir, 'frame.jpg')).subarray(0, 2);
    for (const bytes of [readFileSync(clip), readFileSync(gif), readFileSync(wav), readFileSync(m4a), jpegStart]) {
      expect(imageType(bytes)).toBeNull();
      expect(startsLikeImage(bytes)).toBeNull();
    }
    expect(imageType(Buffer.alloc(0))).toBeNull();
  });

  it('a PNG whose line endings a copy rewrote is no PNG to send, but still starts like one', async () => {
    const dir = newDir();
    const png = readFileSync(await stillImage(dir, 'frame.png'));
    // What a text-mode transfer does: every CR LF becomes LF (the PNG signature holds one).
    const rewritten = Buffer.from(png.toString('latin1').replaceAll('\r\n', '\n'), 'latin1');
    expect(imageType(rewritten)).toBeNull();
    expect(startsLikeImage(rewritten)).toBe('image/png');
    expect(sniff(rewritten.subarray(0, 4096))).toEqual({ kind: 'not-video', what: 'a PNG image' });
  });

  it("the sandbox reads a real PNG's and JPEG's stated size, and none from a WebP, through the same check", async () => {
    const dir = newDir();
    expect(imageSize(readFileSync(await stillImage(dir, 'frame.png', '320x180')))).toEqual({ width: 320, height: 180 });
    expect(imageSize(readFileSync(await stillImage(dir, 'frame.jpg', '160x96')))).toEqual({ width: 160, height: 96 });
    expect(imageSize(readFileSync(await stillImage(dir, 'frame.webp')))).toBeNull();
  });
});
