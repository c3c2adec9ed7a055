// The scanner: recursion, filters, hidden and system files, and per-file problems that never stop a scan.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingPaths, scanPaths } from '../../../main/uploads/scan';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'convoy-scan-'));
  mkdirSync(join(root, 'a', 'deep'), { recursive: true });
  mkdirSync(join(root, '.hidden'));
  mkdirSync(join(root, 'locked'));
  writeFileSync(join(root, 'a', 'one.MP4'), 'x');
  writeFileSync(join(root, 'a', 'deep', 'two.mkv'), 'x');
  writeFileSync(join(root, 'a', 'deep', 'skip-me.mov'), 'x');
  writeFileSync(join(root, 'a', 'notes.txt'), 'x');
  writeFileSync(join(root, 'a', 'empty.webm'), '');
  writeFileSync(join(root, '.DS_Store'), 'x');
  writeFileSync(join(root, 'Thumbs.db'), 'x');
  writeFileSync(join(root, '.secret.mp4'), 'x');
  writeFileSync(join(root, '.hidden', 'inside.mp4'), 'x');
  writeFileSync(join(root, 'locked', 'x.mp4'), 'x');
  chmodSync(join(root, 'locked'), 0o000);
  symlinkSync(root, join(root, 'a', 'loop'));
});
afterAll(() => {
  chmodSync(join(root, 'locked'), 0o755);
  rmSync(root, { recursive: true, force: true });
});

describe('scanPaths', () => {
  it('finds videos recursively and reports every problem per path', async () => {
    const result = await scanPaths([root, join(root, 'missing.mp4')]);
    const names = result.files.map((f) => f.path.slice(root.length + 1));
    expect(names).toEqual(expect.arrayContaining(['a/one.MP4', 'a/deep/two.mkv', 'a/deep/skip-me.mov']));
    expect(
      names.some(
        (n) => n.includes('.hidden') || n.includes('.secret') || n.includes('DS_Store') || n.includes('Thumbs'),
      ),
    ).toBe(false);
    const reasons = Object.fromEntries(result.skipped.map((s) => [s.path.slice(root.length + 1), s.reason]));
    expect(reasons['a/notes.txt']).toMatch(/Not a video/);
    expect(reasons['a/empty.webm']).toMatch(/empty/);
    expect(reasons['missing.mp4']).toMatch(/no file or folder at this path/);
    expect(reasons['a/loop']).toMatch(/loop/);
    if (process.getuid?.() !== 0) expect(reasons.locked).toMatch(/Permission denied/);
  });

  it('lists files and folders as a file manager does: numbers by value, case aside', async () => {
    const dir = join(root, 'ordered');
    for (const sub of ['day 10', 'day 9', 'Day 2']) mkdirSync(join(dir, sub), { recursive: true });
    for (const name of [
      'clip 10.mp4',
      'clip 7.mp4',
      'Clip 8.mp4',
      'clip 1.mp4',
      'day 9/b.mp4',
      'day 10/a.mp4',
      'Day 2/c.mp4',
    ])
      writeFileSync(join(dir, name), 'x');
    const result = await scanPaths([dir]);
    expect(result.files.map((f) => f.path.slice(dir.length + 1))).toEqual([
      'clip 1.mp4',
      'clip 7.mp4',
      'Clip 8.mp4',
      'clip 10.mp4',
      'Day 2/c.mp4',
      'day 9/b.mp4',
      'day 10/a.mp4',
    ]);
    rmSync(dir, { recursive: true });
  });

  it("takes a video's captions, chapters and thumbnail as its own, not as skipped files, unless told not to", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convoy-scan-sidecars-'));
    try {
      const names = ['talk.mp4', 'talk.en.vtt', 'talk.fr.srt', 'talk.chapters.vtt', 'talk.vtt', 'talk.jpg'];
      const strangers = ['Talk.de.vtt', 'other.vtt', 'talk.cover.jpg', 'notes.txt'];
      for (const name of [...names, ...strangers]) writeFileSync(join(dir, name), 'x');
      const scanned = await scanPaths([dir]);
      expect(scanned.files.map((f) => f.path)).toEqual([join(dir, 'talk.mp4')]);
      expect([...scanned.files[0]!.siblings!].sort()).toEqual([...names, ...strangers].sort());
      const skipped = (result: typeof scanned) => result.skipped.map((s) => s.path.slice(dir.length + 1)).sort();
      // Named after no video here (the case differs, or the image is not NAME.jpg): reported as before.
      expect(skipped(scanned)).toEqual([...strangers].sort());
      const without = await scanPaths([dir], { sidecars: false });
      expect(skipped(without)).toEqual([...names.slice(1), ...strangers].sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('applies include and exclude globs', async () => {
    const result = await scanPaths([root], { include: ['**/deep/**'], exclude: ['skip-*'] });
    expect(result.files.map((f) => f.path.slice(root.length + 1))).toEqual(['a/deep/two.mkv']);
  });
});

describe('special files and broken links', () => {
  let dir: string;
  let socket: Server;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'convoy-scan-special-'));
    writeFileSync(join(dir, 'real.mp4'), 'x');
    execFileSync('mkfifo', [join(dir, 'pipe.mp4')]);
    symlinkSync('/dev/null', join(dir, 'device.mp4'));
    symlinkSync(join(dir, 'gone.mp4'), join(dir, 'dangling.mp4'));
    socket = createServer();
    await new Promise<void>((done) => socket.listen(join(dir, 'live.sock'), done));
  });
  afterAll(async () => {
    await new Promise((done) => socket.close(done));
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists pipes, sockets and devices inside folders as skipped with what they are, and never opens them', async () => {
    const result = await scanPaths([dir]);
    expect(result.files.map((f) => f.path)).toEqual([join(dir, 'real.mp4')]);
    const reasons = Object.fromEntries(result.skipped.map((s) => [s.path.slice(dir.length + 1), s.reason]));
    expect(reasons['pipe.mp4']).toMatch(/^A named pipe \(FIFO\), not a regular file: skipped/);
    expect(reasons['live.sock']).toMatch(/^A socket, not a regular file/);
    expect(reasons['device.mp4']).toMatch(/^A character device, not a regular file/);
  });

  it('names a link to nothing as a broken link, with its target', async () => {
    const result = await scanPaths([dir]);
    const dangling = result.skipped.find((s) => s.path === join(dir, 'dangling.mp4'));
    expect(dangling?.reason).toBe(
      `A broken link to ${join(dir, 'gone.mp4')}: nothing is there (the file it pointed to was moved or deleted).`,
    );
    const given = await scanPaths([join(dir, 'dangling.mp4')]);
    expect(given.skipped[0]?.reason).toMatch(/^A broken link to /);
  });

  it('filters leave special files out without a word, as they do other files', async () => {
    const result = await scanPaths([dir], { exclude: ['pipe.*', '*.sock'] });
    expect(result.skipped.map((s) => s.path)).not.toContain(join(dir, 'pipe.mp4'));
    expect(result.skipped.map((s) => s.path)).not.toContain(join(dir, 'live.sock'));
  });

  it('missingPaths names the given paths that do not exist or are links to nothing, and only those', async () => {
    const missing = await missingPaths([
      dir,
      join(dir, 'real.mp4'),
      join(dir, 'pipe.mp4'),
      join(dir, 'nope.mp4'),
      join(dir, 'dangling.mp4'),
    ]);
    expect(missing.map((m) => m.path)).toEqual([join(dir, 'nope.mp4'), join(dir, 'dangling.mp4')]);
    expect(missing[0]!.reason).toMatch(/^Nothing is there/);
    expect(missing[1]!.reason).toMatch(/^A broken link to /);
  });
});
