// The CSV preview in words: a matched row shows the values it will set (not the file name again), a row that
// matched nothing says why (no such name, or the name queued from another folder than the row wrote).
import { describe, expect, it } from 'vitest';
import { rowValues, unmatchedWhy } from '../../../renderer/features/uploads/csvPreview';

describe('rowValues', () => {
  it('lists what the row sets, in the details dialog order, in words', () => {
    expect(
      rowValues({
        tags: ['lake', 'sunset'],
        title: 'Sunset over the lake',
        public: false,
        playerId: 'pl45KFKdlddgk654dspkze',
        thumbnailTimecode: '00:00:01.500',
      }),
    ).toEqual([
      ['Title', 'Sunset over the lake'],
      ['Tags', 'lake, sunset'],
      ['Privacy', 'Private'],
      ['Player', 'pl45KFKdlddgk654dspkze'],
      ['Thumbnail at', '00:00:01.500'],
    ]);
  });

  it('leaves out what the row does not set', () => {
    expect(rowValues({ tags: [], description: '' })).toEqual([]);
  });
});

describe('unmatchedWhy', () => {
  const jobs = [
    { name: 'x.mov', path: '/media/shoot/B-roll/air/x.mov', addedFrom: '/media/shoot' },
    { name: 'y.mp4', path: '/media/shoot/y.mp4', addedFrom: '/media/shoot' },
  ];

  it('no queued file has the name', () => {
    expect(unmatchedWhy('ghost.mp4', jobs)).toBe(
      'No file in the queue is named ghost.mp4, with or without its extension.',
    );
  });

  it('the name is queued, but from another folder than the row wrote', () => {
    expect(unmatchedWhy('B-roll\\drone\\x.mov', jobs)).toBe(
      'x.mov is queued from B-roll/air, not from B-roll/drone. Write the folder as it is below the folder you added, or the name alone.',
    );
    expect(unmatchedWhy('day2/y.mp4', jobs)).toContain('y.mp4 is queued from the folder you added, not from day2.');
  });
});
