// Test media for the watch tests: real video clips made with ffmpeg at test time (every clip's bytes differ), and
// a copy written in parts over seconds, as a slow copy or an export in progress would write it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { removeTempDir, tempDir } from '../../support/temp-dirs';

/**
 * `count` distinct MP4 clips of one frame each (64x36, a tenth of a second of a test pattern), made by one ffmpeg run
 * that cuts a longer clip at every frame; returns their paths, sorted.
 */
export function makeClips(dir: string, count: number, prefix = 'clip'): string[] {
  mkdirSync(dir, { recursive: true });
  const work = tempDir('clips');
  try {
    execFileSync('ffmpeg', [
      ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=64x36:rate=10'],
      ...['-t', String(count / 10), '-g', '1', '-c:v', 'libx264', '-pix_fmt', 'yuv420p'],
      ...['-f', 'segment', '-segment_time', '0.1', '-reset_timestamps', '1', join(work, `${prefix}-%04d.mp4`)],
    ]);
    const names = readdirSync(work).sort().slice(0, count);
    execFileSync('cp', [...names.map((n) => join(work, n)), dir]);
    return names.map((n) => join(dir, n));
  } finally {
    removeTempDir(work);
  }
}

/**
 * One clip of `seconds` at 320x240 (tens of KiB: enough to write in several parts), or `large`: 640x360 lossless
 * (about 330 KiB a second: long enough to be caught mid-upload on a slowed link); its bytes.
 */
export function makeClip(seconds: number, seed: number, large = false): Buffer {
  const work = tempDir('clip');
  try {
    const out = join(work, 'clip.mp4');
    execFileSync('ffmpeg', [
      ...[
        '-hide_banner',
        '-loglevel',
        'error',
        '-f',
        'lavfi',
        '-i',
        `testsrc2=size=${large ? '640x360' : '320x240'}:rate=25`,
      ],
      ...['-t', String(seconds), '-c:v', 'libx264', ...(large ? ['-qp', '0'] : []), '-pix_fmt', 'yuv420p'],
      ...['-metadata', `comment=clip ${seed}`, out],
    ]);
    return readFileSync(out);
  } finally {
    removeTempDir(work);
  }
}

/** Writes `bytes` to `path` in `parts` pieces, `gapMs` apart: a file that is still arriving for a while. */
export async function writeSlowly(path: string, bytes: Buffer, parts: number, gapMs: number): Promise<void> {
  const handle = await open(path, 'w');
  try {
    const size = Math.ceil(bytes.length / parts);
    for (let i = 0; i < parts; i += 1) {
      await handle.write(bytes, i * size, Math.min(size, bytes.length - i * size));
      await handle.sync();
      if (i < parts - 1) await new Promise((r) => setTimeout(r, gapMs));
    }
  } finally {
    await handle.close();
  }
}
