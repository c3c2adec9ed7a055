// Test helper for the media tests: files made at test time with ffmpeg beside H1's clips (an MP4 whose index is
// at its end, audio alone, still images) and copies cut short, for the preflight and sidecar tests.
import { execFile } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function ffmpeg(args: string[]): Promise<void> {
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], { maxBuffer: 16 * 1024 * 1024 });
}

/** A copy of `source` as `name` in `dir` with the container's index (moov) at the end, as cameras write it. */
export async function remux(source: string, dir: string, name: string, extra: string[] = []): Promise<string> {
  const target = join(dir, name);
  await ffmpeg(['-i', source, '-map', '0', '-c', 'copy', ...extra, target]);
  return target;
}

/** The first `fraction` of `source`'s bytes as `name` in `dir`: a copy that stopped half-way. */
export function cutShort(source: string, dir: string, name: string, fraction: number): string {
  const bytes = readFileSync(source);
  const target = join(dir, name);
  writeFileSync(target, bytes.subarray(0, Math.floor(bytes.length * fraction)));
  return target;
}

/** Two seconds of a sine tone as AAC in an MP4 container (what an .m4a holds), named `name`. */
export async function audioOnly(dir: string, name: string): Promise<string> {
  const target = join(dir, name);
  await ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=2', '-c:a', 'aac', '-f', 'mp4', target]);
  return target;
}

/** A real still image (a test pattern frame) as JPEG, PNG or WebP, chosen by `name`'s extension. */
export async function stillImage(dir: string, name: string, size = '320x180'): Promise<string> {
  const target = join(dir, name);
  await ffmpeg(['-f', 'lavfi', '-i', `testsrc=size=${size}:rate=1`, '-frames:v', '1', target]);
  return target;
}

export const sizeOf = (path: string): number => statSync(path).size;
