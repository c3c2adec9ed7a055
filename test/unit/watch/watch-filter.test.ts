// Which files of a watched folder are candidates: videos by extension, never hidden or system files (nor anything in
// a hidden folder), include/exclude globs on the path below the watched folder or on the file name.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { watchFilter } from '../../../main/watch/watch-filter';

const root = join('/', 'media', 'Exports');
const at = (...parts: string[]) => join(root, ...parts);

describe('watchFilter', () => {
  it('takes videos anywhere below the folder, and nothing hidden, partial or outside it', () => {
    const f = watchFilter(root, [], []);
    expect(f.wants(at('a.mp4'))).toBe(true);
    expect(f.wants(at('day 1', 'B.MOV'))).toBe(true);
    expect(f.wants(at('notes.txt'))).toBe(false);
    expect(f.wants(at('.a.mp4.part'))).toBe(false);
    expect(f.wants(at('.rsync-tmp.mp4'))).toBe(false);
    expect(f.wants(at('.cache', 'a.mp4'))).toBe(false);
    expect(f.wants(at('$RECYCLE.BIN', 'a.mp4'))).toBe(false);
    expect(f.wants(join('/', 'media', 'Other', 'a.mp4'))).toBe(false);
    expect(f.wants(root)).toBe(false);
  });

  it('applies include and exclude globs as a one-off add of the folder does', () => {
    const f = watchFilter(root, ['*.mov', 'selects/**'], ['**/drafts/**']);
    expect(f.wants(at('a.mov'))).toBe(true);
    expect(f.wants(at('deep', 'b.mov'))).toBe(true);
    expect(f.wants(at('a.mp4'))).toBe(false);
    expect(f.wants(at('selects', 'a.mp4'))).toBe(true);
    expect(f.wants(at('selects', 'drafts', 'a.mov'))).toBe(false);
  });

  it('lets the OS watcher skip hidden entries and files that are not videos, never folders', () => {
    const f = watchFilter(root, [], []);
    expect(f.ignores(root, false)).toBe(false);
    expect(f.ignores(at('.git'), false)).toBe(true);
    expect(f.ignores(at('notes.txt'), true)).toBe(true);
    expect(f.ignores(at('notes.txt'), undefined)).toBe(false);
    expect(f.ignores(at('2024.archive'), false)).toBe(false);
    expect(f.ignores(at('a.mp4'), true)).toBe(false);
    expect(f.ignores(at('a.en.vtt'), true)).toBe(true); // this watch sends no sidecars
  });

  it('for a watch that sends sidecars, also takes files named like captions, chapters and thumbnails', () => {
    const f = watchFilter(root, ['*.mov'], [], true);
    for (const name of ['a.en.vtt', 'a.fr-CA.srt', 'a.chapters.vtt', 'a.jpg', 'a.PNG', 'a.webp']) {
      expect(f.sidecar(at('day 1', name)), name).toBe(true);
      expect(f.ignores(at('day 1', name), true), name).toBe(false);
      expect(f.wants(at('day 1', name)), name).toBe(false); // not uploaded as videos
    }
    expect(f.sidecar(at('notes.txt'))).toBe(false);
    expect(f.sidecar(at('.cache', 'a.en.vtt'))).toBe(false);
    expect(f.sidecar(join('/', 'media', 'Other', 'a.en.vtt'))).toBe(false);
    expect(watchFilter(root, [], []).sidecar(at('a.en.vtt'))).toBe(false);
  });
});
