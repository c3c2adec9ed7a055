// The CSV import's media columns (default caption, chapters language, thumbnail image or timecode, player,
// watermark), matching rows by relative path, and the one tag rule: checked on real files on disk.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importMetadataCsv, thumbnailTimecode, type CsvJob } from '../../../main/uploads/metadata-csv';
import { tempDir } from '../../integration/uploads/helpers';
import { stillImage } from '../media/media-fixtures';

describe('CSV import: media columns', () => {
  let dir: string;
  let jobs: CsvJob[];
  beforeAll(async () => {
    dir = tempDir('csv-media');
    for (const day of ['day1', 'day2']) mkdirSync(join(dir, day));
    await stillImage(join(dir, 'day1'), 'cover.jpg');
    await stillImage(join(dir, 'day2'), 'cover.png');
    await stillImage(dir, 'shared.webp');
    writeFileSync(join(dir, 'day1', 'notes.jpg'), '%PDF-1.7\nnot an image\n');
    writeFileSync(
      join(dir, 'day1', 'huge.jpg'),
      Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(9 << 20)]),
    );
    jobs = [
      { id: 'a', name: 'clip.mp4', path: join(dir, 'day1', 'clip.mp4'), media: { durationSec: 125 } },
      { id: 'b', name: 'clip.mp4', path: join(dir, 'day2', 'clip.mp4'), media: { durationSec: 2 } },
      { id: 'c', name: 'intro.mov', path: join(dir, 'intro.mov') },
    ];
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('normalises timecodes: hh:mm:ss, hh:mm:ss.mmm and seconds', () => {
    expect(thumbnailTimecode('00:01:02')).toBe('00:01:02');
    expect(thumbnailTimecode('00:01:02.5')).toBe('00:01:02.500');
    expect(thumbnailTimecode('12.5')).toBe('00:00:12.500');
    expect(thumbnailTimecode('3725')).toBe('01:02:05.000');
    for (const bad of ['1:2', '00:61:00', 'soon', '-3', '00:00:01.2345', '360000'])
      expect(thumbnailTimecode(bad)).toBeNull();
  });

  it('takes every media column, validated and normalised, beside the row’s details', async () => {
    const csv = [
      'filename,title,captionDefault,chaptersLanguage,thumbnailTimecode,playerId,watermarkId',
      'day1/clip.mp4,First day,pt_br,FR-ca,12.5,pl45KFKdlddgk654dspkze,watermark_1BWr2L5MTQwxGkuxKjzh6i',
    ].join('\n');
    const result = await importMetadataCsv(csv, jobs);
    expect(result.errors).toEqual([]);
    expect(result.patches).toEqual([
      {
        jobIds: ['a'],
        patch: { title: 'First day' },
        media: {
          captionDefault: 'pt-BR',
          chaptersLanguage: 'fr-CA',
          thumbnailTimecode: '00:00:12.500',
          playerId: 'pl45KFKdlddgk654dspkze',
          watermarkId: 'watermark_1BWr2L5MTQwxGkuxKjzh6i',
        },
      },
    ]);
  });

  it('says what is wrong with each cell, row by row, and the other rows go on', async () => {
    const csv = [
      'filename,captionDefault,chaptersLanguage,thumbnailTimecode,playerId,watermarkId,title',
      'day1/clip.mp4,english,,1:2,pt123,wm123,Kept',
      'day2/clip.mp4,,en-,,,,',
      'day1/clip.mp4,,,00:05:00,,,',
      'intro,de,,,,,Intro',
    ].join('\n');
    const result = await importMetadataCsv(csv, jobs);
    expect(result.errors).toEqual([
      'Row 2: captionDefault "english" is not a language tag like en, fr-CA or pt-BR.',
      'Row 2: thumbnailTimecode "1:2" is not a time like 00:01:02 (hh:mm:ss, hh:mm:ss.mmm, or seconds: 62.5).',
      'Row 2: playerId "pt123" is not an api.video player id (they look like pl45KFKdlddgk654dspkze).',
      'Row 2: watermarkId "wm123" is not an api.video watermark id (they look like watermark_1BWr2L5MTQwxGkuxKjzh6i).',
      'Row 3: chaptersLanguage "en-" is not a language tag like en, fr-CA or pt-BR.',
      'Row 4: thumbnailTimecode 00:05:00 is past the end of clip.mp4 (00:02:05 long).',
    ]);
    // The good cells of a row still apply; a wrong cell is left out.
    expect(result.patches).toEqual([
      { jobIds: ['a'], patch: { title: 'Kept' } },
      { jobIds: ['b'], patch: {} },
      { jobIds: ['a'], patch: {} },
      { jobIds: ['c'], patch: { title: 'Intro' }, media: { captionDefault: 'de' } },
    ]);
  });

  it('finds a thumbnail relative to each matched video’s folder, or absolute, and checks it is a usable image', async () => {
    const csv = [
      'filename,thumbnail',
      'day1/clip.mp4,cover.jpg',
      'day2/clip.mp4,cover.jpg',
      'day1/clip.mp4,notes.jpg',
      'day1/clip.mp4,huge.jpg',
      `intro.mov,${join(dir, 'shared.webp')}`,
      'day2/clip.mp4,../shared.webp',
      'intro.mov,day1/cover.jpg',
    ].join('\n');
    const result = await importMetadataCsv(csv, jobs);
    expect(result.errors).toEqual([
      `Row 3: thumbnail "cover.jpg" does not exist (looked for ${join(dir, 'day2', 'cover.jpg')}).`,
      'Row 4: thumbnail "notes.jpg" cannot be used: notes.jpg is not a JPEG, PNG or WebP image: it starts like a PDF document.',
      'Row 5: thumbnail "huge.jpg" cannot be used: huge.jpg is too large: 9.0 MiB, over api.video\'s limit for a thumbnail (8.0 MiB).',
    ]);
    expect(result.patches.map((p) => p.media?.thumbnail)).toEqual([
      join(dir, 'day1', 'cover.jpg'),
      undefined,
      undefined,
      undefined,
      join(dir, 'shared.webp'),
      join(dir, 'shared.webp'),
      join(dir, 'day1', 'cover.jpg'),
    ]);
  });

  it('a bare name matching files in two folders applies to each, with their own thumbnail, and says how to pick one', async () => {
    const result = await importMetadataCsv('filename,thumbnail\nCLIP.mp4,cover.png\n', jobs);
    // The preview names the image as written: it is used beside the one file that has it.
    expect(result.matches).toEqual([
      { row: 2, filename: 'CLIP.mp4', jobIds: ['a', 'b'], sets: { thumbnail: 'cover.png' } },
    ]);
    expect(result.errors).toEqual([
      'Row 2: "CLIP.mp4" matches 2 queued files; the row applies to each. To pick one, write its folder too (day1/CLIP.mp4).',
      `Row 2: thumbnail "cover.png" does not exist (looked for ${join(dir, 'day1', 'cover.png')}).`,
    ]);
    expect(result.patches).toEqual([
      { jobIds: ['a'], patch: {} },
      { jobIds: ['b'], patch: {}, media: { thumbnail: join(dir, 'day2', 'cover.png') } },
    ]);
    const both = await importMetadataCsv('filename,thumbnailTimecode\nclip,00:00:01\n', jobs);
    expect(both.patches).toEqual([{ jobIds: ['a', 'b'], patch: {}, media: { thumbnailTimecode: '00:00:01' } }]);
  });

  it('matches a row by relative path (either slash, with or without extension) before the bare name', async () => {
    const csv = [
      'filename,title',
      'day2\\clip.mp4,Second',
      './day1/clip,First',
      'day3/clip.mp4,Nowhere',
      'day1/gone.mp4,x',
    ].join('\r\n');
    const result = await importMetadataCsv(csv, jobs);
    expect(result.matches.map((m) => m.jobIds)).toEqual([['b'], ['a']]);
    expect(result.unmatched).toEqual([
      {
        row: 4,
        filename: 'day3/clip.mp4',
        why: 'no queued file is at day3/clip.mp4; files of that name are at day1/clip.mp4, day2/clip.mp4',
      },
      {
        row: 5,
        filename: 'day1/gone.mp4',
        why: 'no queued file is at day1/gone.mp4 (below the folder it was added from) or named gone.mp4',
      },
    ]);
    expect(result.errors).toEqual([]);
  });

  it('splits tags on commas, semicolons and |, as the details dialog does, and says so', async () => {
    const csv = `filename,tags\nintro.mov,"beach, morning;drone|beach"\nintro.mov,${'x'.repeat(101)};ok\n`;
    const result = await importMetadataCsv(csv, jobs);
    expect(result.patches.map((p) => p.patch.tags)).toEqual([['beach', 'morning', 'drone'], ['ok']]);
    expect(result.errors).toEqual([
      `Row 3: the tag "${'x'.repeat(40)}…" is longer than 100 characters; it was left out.`,
    ]);
    expect((await importMetadataCsv('name,tags\n', jobs)).errors).toEqual([
      'The CSV needs a header row with at least a "filename" column (filename,title,description,tags; tags separated by commas, semicolons or |).',
    ]);
  });

  it('reads the media column names whatever their case or separators', async () => {
    const result = await importMetadataCsv(
      'File name,Caption default,player_id\nintro.mov,EN,pl45KFKdlddgk654dspkze\n',
      jobs,
    );
    expect(result.errors).toEqual([]);
    expect(result.patches[0]!.media).toEqual({ captionDefault: 'en', playerId: 'pl45KFKdlddgk654dspkze' });
  });
});
