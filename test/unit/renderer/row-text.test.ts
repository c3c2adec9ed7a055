// What a queue row says of where a file sits: its folder relative to what was added, and whether its name adds
// anything to its title.
import { describe, expect, it } from 'vitest';
import { addRoots, nameDiffers, relativeFolder } from '../../../renderer/features/uploads/rowText';

describe('row text', () => {
  it('groups two adds from different folders, each relative to its own folder', () => {
    const paths = ['/tmp/a/x.mp4', '/tmp/a/B-roll/drone/y.mp4', '/tmp/b/late.mp4'];
    const roots = addRoots(paths);
    expect(paths.map((p) => relativeFolder(p, roots.get(p)!))).toEqual(['', 'B-roll/drone', '']);
  });
  it('one folder added: sub-folders relative to it', () => {
    const paths = ['/v/shoot/a.mp4', '/v/shoot/day2/b.mp4'];
    const roots = addRoots(paths);
    expect(paths.map((p) => relativeFolder(p, roots.get(p)!))).toEqual(['', 'day2']);
  });
  it('the file name differs from its title only beyond its extension', () => {
    expect(nameDiffers({ name: 'clip.mp4', title: 'clip' })).toBe(false);
    expect(nameDiffers({ name: 'clip.mp4', title: 'clip.mp4' })).toBe(false);
    expect(nameDiffers({ name: 'clip.mp4', title: 'Sunset' })).toBe(true);
  });
});
