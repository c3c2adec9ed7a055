// The watch list on disk: what is saved reads back the same; a damaged list or known-files file is reported and read
// as empty (never thrown), and removing a watch's files leaves the others.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WatchStore, type WatchRecord } from '../../../main/watch/watch-store';
import { scratchDirs } from '../../support/scratch-dirs';

const dir = scratchDirs('watch-store');

const record: WatchRecord = {
  id: 'w1',
  name: 'Exports',
  path: '/media/Exports',
  profileId: 'p1',
  include: ['*.mov'],
  exclude: [],
  defaults: { tags: ['rushes'], public: false },
  settleMs: 5000,
  paused: false,
  createdAt: 1,
  today: { day: '2026-12-06', uploaded: 3 },
};

function store() {
  const lines: string[] = [];
  const folder = dir();
  return { folder, lines, store: new WatchStore(folder, (level, message) => lines.push(`${level}: ${message}`)) };
}

describe('WatchStore', () => {
  it('reads back what it saved, and starts empty where nothing was saved', () => {
    const { store: s, lines } = store();
    expect(s.loadWatches()).toEqual([]);
    expect(s.loadFiles('w1')).toEqual([]);
    s.saveWatches([record]);
    s.saveFiles('w1', [{ key: '1:2:3:4', path: '/media/Exports/a.mov', jobId: 'j1', doneAt: 9 }]);
    expect(s.loadWatches()).toEqual([record]);
    expect(s.loadFiles('w1')).toEqual([{ key: '1:2:3:4', path: '/media/Exports/a.mov', jobId: 'j1', doneAt: 9 }]);
    expect(lines).toEqual([]);
  });

  it('keeps the add options a watch carries, and reads a list whose options are not booleans as damaged', () => {
    const { store: s, lines, folder } = store();
    const carrying: WatchRecord = { ...record, noSidecars: true, uploadUnrecognised: true };
    s.saveWatches([carrying, { ...record, id: 'w2' }]);
    expect(s.loadWatches()).toEqual([carrying, { ...record, id: 'w2' }]);
    writeFileSync(
      join(folder, 'watches.json'),
      JSON.stringify({ version: 1, watches: [{ ...record, noSidecars: 'yes' }] }),
    );
    expect(s.loadWatches()).toEqual([]);
    expect(lines).toEqual([`error: the watch list in ${folder} could not be read; starting without watches`]);
  });

  it('reports a damaged list or known-files file and reads it as empty', () => {
    const { store: s, lines, folder } = store();
    writeFileSync(join(folder, 'watches.json'), '{"version":1,"watches":[{"id":');
    writeFileSync(join(folder, 'files-w1.json'), JSON.stringify({ version: 1, files: [{ key: 1 }] }));
    expect(s.loadWatches()).toEqual([]);
    expect(s.loadFiles('w1')).toEqual([]);
    expect(lines).toEqual([
      `error: the watch list in ${folder} could not be read; starting without watches`,
      'warn: the known files of watch w1 could not be read; the folder is scanned afresh',
    ]);
  });

  it('removes one watch’s files only, and leaves no temporary file behind', () => {
    const { store: s, folder } = store();
    s.saveWatches([record, { ...record, id: 'w2' }]);
    s.saveFiles('w1', []);
    s.saveFiles('w2', []);
    s.removeFiles('w1');
    expect(readdirSync(folder).sort()).toEqual(['files-w2.json', 'watches.json']);
  });
});
