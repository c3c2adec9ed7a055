// CSV parsing and writing, and the metadata import that matches its rows to queued files.
import { describe, expect, it } from 'vitest';
import { parseCsv, toCsv } from '../../../main/uploads/csv';
import { importMetadataCsv } from '../../../main/uploads/metadata-csv';

describe('CSV', () => {
  it('parses quotes, doubled quotes, CRLF and a BOM, and writes safe cells', () => {
    expect(parseCsv('\ufeffa,"b,1","say ""hi"""\r\nc,,d\n')).toEqual([
      ['a', 'b,1', 'say "hi"'],
      ['c', '', 'd'],
    ]);
    expect(toCsv([['=cmd()', 'a"b']])).toBe(`'=cmd(),"a""b"\r\n`);
  });

  it('matches metadata rows to jobs by file name, with or without extension', async () => {
    const jobs = [
      { id: '1', name: 'Intro.MP4', path: '/v/Intro.MP4' },
      { id: '2', name: 'outro.mov', path: '/v/outro.mov' },
    ];
    const csv =
      'filename,title,description,tags\nintro.mp4,The intro,First,a;b|c\nOUTRO,The end,,\nmissing.mp4,x,,\n,no name,,\n';
    const result = await importMetadataCsv(csv, jobs);
    expect(result.matches.map((m) => m.jobIds)).toEqual([['1'], ['2']]);
    expect(result.patches[0]!.patch).toEqual({ title: 'The intro', description: 'First', tags: ['a', 'b', 'c'] });
    expect(result.unmatched).toEqual([
      { row: 4, filename: 'missing.mp4', why: 'no queued file is named missing.mp4, with or without its extension' },
    ]);
    // What each row will set, for the preview: the values as read and checked, nothing the row left empty.
    expect(result.matches.map((m) => m.sets)).toEqual([
      { title: 'The intro', description: 'First', tags: ['a', 'b', 'c'] },
      { title: 'The end' },
    ]);
    expect(result.errors).toEqual(['Row 5: the filename is empty.']);
    expect((await importMetadataCsv('title\nx\n', jobs)).errors[0]).toMatch(/filename/);
  });
});
