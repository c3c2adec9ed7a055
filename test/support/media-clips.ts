// Real video for tests: short clips made by ffmpeg at test time in the container asked for, each made once per
// process and copied (or remuxed with a tag of its own, so its bytes differ) into the folder a test names.
import { execFile } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from './temp-dirs';

const run = promisify(execFile);

export type ClipContainer = 'mp4' | 'mov' | 'mkv' | 'webm' | 'avi' | 'ts';

export interface ClipOptions {
  container: ClipContainer;
  /** duration in seconds (whole frames at 25 fps) */
  seconds: number;
  width: number;
  height: number;
  /** file name inside `dir`; default `clip-<w>x<h>-<s>s[-<tag>].<ext>` */
  name?: string;
  /** a tag written into the container's metadata, so clips with different tags have different bytes */
  tag?: string;
  /** the picture is noise, encoded losslessly: about 10 MB a second at 640×360 (for uploads of several chunks) */
  noise?: boolean;
  /** the clip must be at least this large (implies `noise`); makeClip throws when it is not */
  minBytes?: number;
  /**
   * mp4 and mov only: the file is made exactly this long by a trailing `free` box (padding every MP4 reader skips),
   * for tests whose chunk and segment counts follow from the size. Smaller than the clip itself: makeClip throws.
   */
  exactBytes?: number;
}

const FPS = 25;

/** Video codec arguments per container: what each container usually carries, with the fastest settings. */
function codecArgs(container: ClipContainer, lossless: boolean): string[] {
  const x264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', ...(lossless ? ['-qp', '0'] : [])];
  switch (container) {
    case 'webm':
      return ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', ...(lossless ? ['-b:v', '50M'] : [])];
    case 'avi':
      return ['-c:v', 'mpeg4', ...(lossless ? ['-q:v', '1'] : ['-q:v', '5'])];
    case 'mp4':
    case 'mov':
      return [...x264, '-movflags', '+faststart'];
    default:
      return x264;
  }
}

const EXTENSIONS: Record<ClipContainer, string> = {
  mp4: 'mp4',
  mov: 'mov',
  mkv: 'mkv',
  webm: 'webm',
  avi: 'avi',
  ts: 'ts',
};

let cacheDir: string | null = null;
const made = new Map<string, Promise<string>>();
let clipsMade = 0;

function cacheFolder(): string {
  // Removed when the process ends: clips are reused by every test of the file.
  cacheDir ??= tempDir('clips');
  return cacheDir;
}

async function ffmpeg(args: string[]): Promise<void> {
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], { maxBuffer: 16 * 1024 * 1024 });
}

/** The clip for these options in the process cache, made on first use. */
function baseClip(options: ClipOptions): Promise<string> {
  const { container, seconds, width, height, minBytes } = options;
  const lossless = options.noise === true || minBytes !== undefined;
  const key = JSON.stringify([container, seconds, width, height, lossless, minBytes ?? 0]);
  let clip = made.get(key);
  if (!clip) {
    clipsMade += 1;
    const file = join(cacheFolder(), `${clipsMade}.${EXTENSIONS[container]}`);
    const source = lossless
      ? `color=c=gray:size=${width}x${height}:rate=${FPS},noise=alls=100:allf=t+u`
      : `testsrc=size=${width}x${height}:rate=${FPS}`;
    clip = ffmpeg([
      ...['-f', 'lavfi', '-i', source],
      ...['-frames:v', String(Math.max(1, Math.round(seconds * FPS)))],
      ...codecArgs(container, lossless),
      file,
    ]).then(() => {
      if (minBytes !== undefined && statSync(file).size < minBytes)
        throw new Error(`makeClip: ${file} has ${statSync(file).size} bytes, fewer than the ${minBytes} asked for`);
      return file;
    });
    made.set(key, clip);
    clip.catch(() => made.delete(key));
  }
  return clip;
}

/**
 * Makes a real clip in `dir` and returns its path: `seconds` of test picture at `width`×`height` in `container`.
 * Clips of the same shape are encoded once per process; with `tag`, the copy is remuxed with that tag as its title.
 */
export async function makeClip(dir: string, options: ClipOptions): Promise<string> {
  const base = await baseClip(options);
  const { container, seconds, width, height, tag } = options;
  const name =
    options.name ??
    `clip-${width}x${height}-${seconds}s${tag ? `-${tag.replace(/\W+/g, '_')}` : ''}.${EXTENSIONS[container]}`;
  const target = join(dir, name);
  mkdirSync(dirname(target), { recursive: true });
  if (existsSync(target)) rmSync(target);
  if (tag === undefined) copyFileSync(base, target);
  else await ffmpeg(['-i', base, '-map', '0', '-c', 'copy', '-metadata', `title=${tag}`, target]);
  if (options.exactBytes !== undefined) padWithFreeBox(target, container, options.exactBytes);
  return target;
}

/** Appends an ISO BMFF `free` box so that the file is exactly `size` bytes. */
function padWithFreeBox(file: string, container: ClipContainer, size: number): void {
  if (container !== 'mp4' && container !== 'mov')
    throw new Error(`makeClip: exactBytes needs mp4 or mov, not ${container}`);
  const padding = size - statSync(file).size;
  if (padding === 0) return;
  if (padding < 8) throw new Error(`makeClip: ${file} is ${statSync(file).size} bytes, too large to pad to ${size}`);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(padding, 0);
  header.write('free', 4, 'latin1');
  appendFileSync(file, header);
  const block = Buffer.alloc(Math.min(padding - 8, 1024 * 1024));
  for (let left = padding - 8; left > 0; left -= block.length)
    appendFileSync(file, block.subarray(0, Math.min(left, block.length)));
}
