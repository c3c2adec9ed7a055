// The scanner: recursion, filters, hidden and system files, and per-file problems that never stop a scan.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanPaths } from '../../../main/uploads/scan';

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
    expect(names.some((n) => n.includes('.hidden') || n.includes('.secret') || n.includes('DS_Store') || n.includes('Thumbs'))).toBe(false);
    const reasons = Object.fromEntries(result.skipped.map((s) => [s.path.slice(root.length + 1), s.reason]));
    expect(reasons['a/notes.txt']).toMatch(/Not a video/);
    expect(reasons['a/empty.webm']).toMatch(/empty/);
    expect(reasons['missing.mp4']).toMatch(/no file or folder at this path/);
    expect(reasons['a/loop']).toMatch(/loop/);
    if (process.getuid?.() !== 0) expect(reasons.locked).toMatch(/Permission denied/);
  });

  it('applies include and exclude globs', async () => {
    const result = await scanPaths([root], { include: ['**/deep/**'], exclude: ['skip-*'] });
    expect(result.files.map((f) => f.path.slice(root.length + 1))).toEqual(['a/deep/two.mkv']);
  });
});
