// Results' search and encoding filter: which finished videos each query and filter leave, and what is announced.
import { describe, expect, it } from 'vitest';
import {
  encodingClass,
  encodingCounts,
  filterResults,
  matchesSearch,
  matchesText,
} from '../../../renderer/features/results/resultFilter';
import type { JobView } from '../../../common/api';

type Row = Pick<JobView, 'title' | 'name' | 'path' | 'videoId' | 'state' | 'encoding'>;

const rows: Row[] = [
  {
    title: 'Drone over the harbour',
    name: 'DJI_0042.MP4',
    path: '/shoots/B-roll/drone/DJI_0042.MP4',
    videoId: 'vi4kXzA1',
    state: 'done',
    encoding: 'playable',
  },
  {
    title: 'Interview Anna',
    name: 'anna.mov',
    path: '/shoots/interviews/anna.mov',
    videoId: 'vi9QrTt2',
    state: 'finalizing',
  },
  {
    title: 'Interview Ben',
    name: 'ben.mov',
    path: '/shoots/interviews/ben.mov',
    videoId: 'viB3nnn3',
    state: 'done',
    encoding: 'encoding',
  },
  {
    title: 'Broken export',
    name: 'broken.mp4',
    path: '/shoots/exports/broken.mp4',
    videoId: 'viFa1led',
    state: 'done',
    encoding: 'failed',
  },
  { title: 'Teaser', name: 'teaser.mp4', path: '/shoots/teaser.mp4', videoId: 'viT3aser', state: 'done' },
];

const titles = (list: Row[]) => list.map((r) => r.title);

describe('Results search', () => {
  it('finds by title, file name, folder and videoId, case aside', () => {
    expect(titles(filterResults(rows, 'HARBOUR', 'all'))).toEqual(['Drone over the harbour']);
    expect(titles(filterResults(rows, 'dji_0042', 'all'))).toEqual(['Drone over the harbour']);
    expect(titles(filterResults(rows, 'interviews', 'all'))).toEqual(['Interview Anna', 'Interview Ben']);
    expect(titles(filterResults(rows, 'b-roll/DRONE', 'all'))).toEqual(['Drone over the harbour']);
    expect(titles(filterResults(rows, 'vib3NNN3', 'all'))).toEqual(['Interview Ben']);
  });

  it('needs every word, in any order, and an empty or blank query keeps everything', () => {
    expect(titles(filterResults(rows, '  ben   interview ', 'all'))).toEqual(['Interview Ben']);
    expect(matchesSearch(rows[0]!, 'drone anna')).toBe(false);
    expect(filterResults(rows, '', 'all')).toHaveLength(rows.length);
    expect(filterResults(rows, '   ', 'all')).toHaveLength(rows.length);
  });

  it('finds nothing for words that are nowhere', () => {
    expect(filterResults(rows, 'zebra', 'all')).toEqual([]);
  });
});

describe('Results encoding filter', () => {
  it('puts each video under what is known of its encoding', () => {
    expect(rows.map(encodingClass)).toEqual(['playable', 'encoding', 'encoding', 'failed', null]);
  });

  it('shows only the chosen state, and "all" shows the ones nobody followed too', () => {
    expect(titles(filterResults(rows, '', 'playable'))).toEqual(['Drone over the harbour']);
    expect(titles(filterResults(rows, '', 'encoding'))).toEqual(['Interview Anna', 'Interview Ben']);
    expect(titles(filterResults(rows, '', 'failed'))).toEqual(['Broken export']);
    expect(titles(filterResults(rows, '', 'all'))).toContain('Teaser');
  });

  it('combines with the search', () => {
    expect(titles(filterResults(rows, 'interview', 'encoding'))).toEqual(['Interview Anna', 'Interview Ben']);
    expect(filterResults(rows, 'interview', 'playable')).toEqual([]);
  });

  it('counts each filter before the search narrows it', () => {
    expect(encodingCounts(rows)).toEqual({ all: 5, playable: 1, encoding: 2, failed: 1 });
  });
});

describe('Results count', () => {
  it('says how many are shown of how many once narrowed', () => {
    expect(matchesText(5, 5, false)).toBe('5 videos uploaded');
    expect(matchesText(1, 1, false)).toBe('1 video uploaded');
    expect(matchesText(2, 5, true)).toBe('2 of 5 videos shown');
    expect(matchesText(0, 5, true)).toBe('0 of 5 videos shown');
  });
});
