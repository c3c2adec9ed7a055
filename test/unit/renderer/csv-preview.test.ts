// The CSV preview in words: a matched row shows the values it will set (not the file name again), in the order
// the details dialog shows them, leaving out what the row does not set.
import { describe, expect, it } from 'vitest';
import { rowValues } from '../../../renderer/features/uploads/csvPreview';

describe('rowValues', () => {
  it('lists what the row sets, in the details dialog order, in words', () => {
    expect(
      rowValues({
        tags: ['lake', 'sunset'],
        title: 'Sunset over the lake',
        playerId: 'pl45KFKdlddgk654dspkze',
        thumbnailTimecode: '00:00:01.500',
      }),
    ).toEqual([
      ['Title', 'Sunset over the lake'],
      ['Tags', 'lake, sunset'],
      ['Player', 'pl45KFKdlddgk654dspkze'],
      ['Thumbnail at', '00:00:01.500'],
    ]);
  });

  it('leaves out what the row does not set', () => {
    expect(rowValues({ tags: [], description: '' })).toEqual([]);
  });
});
