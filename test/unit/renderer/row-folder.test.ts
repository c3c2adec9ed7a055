// A row's folder line with `addedFrom`: exactly the path below what the user added, whatever else is queued; the
// guess from the paths only for jobs that do not say.
import { describe, expect, it } from 'vitest';
import { addRoots, rowFolder } from '../../../renderer/features/uploads/rowText';

describe('row folder', () => {
  it('is the path below the added folder, not below a guessed common folder', () => {
    // Guessing from these two paths would take /v/shoot/day1 as the root and show nothing for a.
    const guessed = addRoots(['/v/shoot/day1/a.mp4', '/v/shoot/day1/b.mp4']);
    const a = { path: '/v/shoot/day1/a.mp4', addedFrom: '/v/shoot' };
    expect(rowFolder(a, guessed.get(a.path)!)).toBe('day1');
    expect(rowFolder({ path: '/v/shoot/day1/deep/c.mp4', addedFrom: '/v/shoot' }, '')).toBe('day1/deep');
  });
  it('is empty for a file directly in the added folder, or added by itself', () => {
    expect(rowFolder({ path: '/v/shoot/a.mp4', addedFrom: '/v/shoot' }, '/elsewhere')).toBe('');
    expect(rowFolder({ path: '/v/shoot/a.mp4', addedFrom: '/v/shoot/a.mp4' }, '/v')).toBe('');
    expect(rowFolder({ path: '/v/shoot/a.mp4', addedFrom: '/v/shoot/' }, '')).toBe('');
  });
  it('handles a root and Windows separators', () => {
    expect(rowFolder({ path: '/media/x.mp4', addedFrom: '/' }, '')).toBe('media');
    expect(rowFolder({ path: 'C:\\Videos\\Trip\\day2\\x.mp4', addedFrom: 'C:\\Videos\\Trip' }, '')).toBe('day2');
  });
  it('falls back to the guessed root when the job does not say', () => {
    const paths = ['/tmp/a/x.mp4', '/tmp/a/B-roll/y.mp4', '/tmp/b/z.mp4'];
    const roots = addRoots(paths);
    expect(paths.map((path) => rowFolder({ path }, roots.get(path)!))).toEqual(['', 'B-roll', '']);
  });
});
