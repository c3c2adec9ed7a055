// Real video for the end-to-end specs: one short clip made with ffmpeg, then remuxed once per file with its own
// title tag, so every file is a playable video with its own bytes (no duplicates caught by content).
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface ClipFolder {
  dir: string;
  /** Relative paths of the clips, in the order given. */
  names: string[];
  remove(): void;
}

/** Makes `names` (relative paths, sub-folders allowed) as real clips of about `seconds` in a fresh temp folder. */
export function makeClips(names: string[], seconds = 1): ClipFolder {
  const dir = mkdtempSync(join(tmpdir(), 'convoy-e2e-clips-'));
  const base = join(dir, '.base.mp4');
  const ffmpeg = (args: string[]) => execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args]);
  ffmpeg([
    ...['-f', 'lavfi', '-i', `testsrc=size=160x90:rate=15:duration=${seconds}`],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', base],
  ]);
  for (const [i, name] of names.entries()) {
    const out = join(dir, name);
    mkdirSync(dirname(out), { recursive: true });
    ffmpeg(['-i', base, '-c', 'copy', '-metadata', `title=clip ${i} ${name}`, out]);
  }
  rmSync(base);
  return { dir, names, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Makes each clip exactly the size asked (in bytes) by a trailing MP4 `free` box, padding every reader skips: for
 * specs whose part counts follow from the size. A size smaller than the clip throws.
 */
export function padClips(folder: ClipFolder, sizes: Record<string, number>): void {
  for (const [name, size] of Object.entries(sizes)) {
    const path = join(folder.dir, name);
    const padding = size - statSync(path).size;
    if (padding === 0) continue;
    if (padding < 8) throw new Error(`padClips: ${name} is ${statSync(path).size} bytes, more than ${size}`);
    const header = Buffer.alloc(8);
    header.writeUInt32BE(padding, 0);
    header.write('free', 4, 'latin1');
    appendFileSync(path, Buffer.concat([header, Buffer.alloc(padding - 8)]));
  }
}
