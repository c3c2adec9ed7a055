// The files beside a video: which are its captions, chapters and thumbnail, which are not (and why), and whether
// each can be sent as it is (images against api.video's limits, text tracks checked).
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSidecars, findSidecars, languageTag, prepareSidecar } from '../../../main/media/sidecars';
import { scratchDirs } from '../../support/scratch-dirs';
import { stillImage } from './media-fixtures';

const newDir = scratchDirs('media-sidecars');
const cue = 'WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n';

function files(dir: string, names: string[]): void {
  for (const name of names)
    writeFileSync(join(dir, name), name.endsWith('.srt') ? '1\n00:00:00,000 --> 00:00:01,000\nHi\n' : cue);
}

describe('finding sidecars', () => {
  it('finds captions by language, chapters, and one thumbnail, the first caption the default', async () => {
    const dir = newDir();
    files(dir, [
      'talk.mp4',
      'talk.fr.srt',
      'talk.en.vtt',
      'talk.pt_br.vtt',
      'talk.chapters.vtt',
      'talk.chapters.fr.vtt',
      'talk.jpg',
      'talk.png',
      'talk-2.en.vtt',
      'talks.en.vtt',
    ]);
    const found = await findSidecars(join(dir, 'talk.mp4'));
    expect(found.sidecars).toEqual([
      { kind: 'caption', path: join(dir, 'talk.en.vtt'), language: 'en', format: 'vtt', isDefault: true },
      { kind: 'caption', path: join(dir, 'talk.fr.srt'), language: 'fr', format: 'srt', isDefault: false },
      { kind: 'caption', path: join(dir, 'talk.pt_br.vtt'), language: 'pt-BR', format: 'vtt', isDefault: false },
      { kind: 'chapters', path: join(dir, 'talk.chapters.fr.vtt'), language: 'fr' },
      { kind: 'chapters', path: join(dir, 'talk.chapters.vtt'), language: 'en' },
      { kind: 'thumbnail', path: join(dir, 'talk.jpg') },
    ]);
    expect(found.problems).toEqual([
      { path: join(dir, 'talk.png'), reason: 'talk.png: the thumbnail comes from talk.jpg instead' },
    ]);
  });

  it('makes the caption the CSV names the default, and names the chapters language it is told', async () => {
    const dir = newDir();
    files(dir, ['a.mov', 'a.en.vtt', 'a.fr.vtt', 'a.chapters.vtt']);
    const found = await findSidecars(join(dir, 'a.mov'), { defaultCaption: 'fr', chapterLanguage: 'de' });
    expect(found.sidecars.filter((s) => s.kind === 'caption' && s.isDefault).map((s) => s.path)).toEqual([
      join(dir, 'a.fr.vtt'),
    ]);
    expect(found.sidecars).toContainEqual({ kind: 'chapters', path: join(dir, 'a.chapters.vtt'), language: 'de' });
  });

  it('says why a file that looks meant for the video is left out', async () => {
    const dir = newDir();
    files(dir, ['clip.mp4', 'clip.vtt', 'clip.english-subs.srt', 'clip.en.srt', 'clip.en.vtt']);
    const found = await findSidecars(join(dir, 'clip.mp4'), {
      siblings: ['clip.mp4', 'clip.vtt', 'clip.english-subs.srt', 'clip.en.srt', 'clip.en.vtt'],
    });
    expect(found.sidecars).toEqual([
      { kind: 'caption', path: join(dir, 'clip.en.vtt'), language: 'en', format: 'vtt', isDefault: true },
    ]);
    expect(found.problems.map((p) => p.reason).sort()).toEqual([
      'clip.en.srt: captions in en come from clip.en.vtt instead',
      'clip.english-subs.srt: "english-subs" is not a language tag (like en or fr-CA)',
      'clip.vtt names no language: call it clip.en.vtt (or another language tag)',
    ]);
  });

  it("gives every video of a folder from one shared listing what its own folder's listing gives it", async () => {
    const dir = newDir();
    const listing = [
      ...['a.mp4', 'a.en.mp4', 'b.MOV', 'c.mkv'],
      ...['a.en.vtt', 'a.en.fr.vtt', 'A.de.vtt', 'a.JPG', 'a.en.jpg', 'a.en.png', 'a.vtt.txt', '.en.vtt', 'a..vtt'],
      ...['b.chapters.vtt', 'b.es.SRT', 'b.png', 'bb.en.vtt', 'notes.txt'],
    ];
    files(dir, listing);
    // Indexed once for the folder, by the first video asked for; the others are answered from that index.
    const shared = [...listing].sort();
    for (const video of ['a.mp4', 'a.en.mp4', 'b.MOV', 'c.mkv'])
      expect(await findSidecars(join(dir, video), { siblings: shared })).toEqual(await findSidecars(join(dir, video)));
    const a = await findSidecars(join(dir, 'a.mp4'), { siblings: shared });
    expect(a.sidecars).toEqual([
      { kind: 'caption', path: join(dir, 'a.en.vtt'), language: 'en', format: 'vtt', isDefault: true },
      { kind: 'thumbnail', path: join(dir, 'a.JPG') },
    ]);
    const aEn = await findSidecars(join(dir, 'a.en.mp4'), { siblings: shared });
    expect(aEn.sidecars).toEqual([
      { kind: 'caption', path: join(dir, 'a.en.fr.vtt'), language: 'fr', format: 'vtt', isDefault: true },
      { kind: 'thumbnail', path: join(dir, 'a.en.jpg') },
    ]);
    expect((await findSidecars(join(dir, 'c.mkv'), { siblings: shared })).sidecars).toEqual([]);
  });

  it('writes language tags as BCP 47 does', () => {
    expect(languageTag('EN-gb')).toBe('en-GB');
    expect(languageTag('zh_hans_cn')).toBe('zh-Hans-CN');
    expect(languageTag('es-419')).toBe('es-419');
    expect(languageTag('chapters')).toBeNull();
    expect(languageTag('e')).toBeNull();
  });
});

describe('checking sidecars before they are sent', () => {
  it('takes real JPEG, PNG and WebP images, by their bytes', async () => {
    const dir = newDir();
    for (const [name, type] of [
      ['a.jpg', 'image/jpeg'],
      ['b.png', 'image/png'],
      ['c.webp', 'image/webp'],
    ] as const) {
      const path = await stillImage(dir, name);
      expect(await prepareSidecar({ kind: 'thumbnail', path })).toMatchObject({ ok: true, contentType: type });
    }
  });

  it('refuses an image over 8 MiB, a PDF named .jpg, and an empty one, each with its reason', async () => {
    const dir = newDir();
    const big = await stillImage(dir, 'big.jpg');
    appendFileSync(big, Buffer.alloc(8 * 1024 * 1024));
    expect(await prepareSidecar({ kind: 'thumbnail', path: big })).toEqual({
      ok: false,
      reason: expect.stringMatching(
        /^big\.jpg is too large: 8\.\d MiB, over api\.video's limit for a thumbnail \(8\.0 MiB\)$/,
      ),
    });
    writeFileSync(join(dir, 'doc.jpg'), '%PDF-1.4\n%%EOF\n');
    expect(await prepareSidecar({ kind: 'thumbnail', path: join(dir, 'doc.jpg') })).toEqual({
      ok: false,
      reason: 'doc.jpg is not a JPEG, PNG or WebP image: it starts like a PDF document',
    });
    writeFileSync(join(dir, 'none.png'), '');
    expect(await prepareSidecar({ kind: 'thumbnail', path: join(dir, 'none.png') })).toEqual({
      ok: false,
      reason: 'none.png is empty',
    });
  });

  it("keeps the video's good sidecars, lists the bad ones, and hands the default on", async () => {
    const dir = newDir();
    writeFileSync(join(dir, 'v.en.vtt'), 'WEBVTT\n\n00:00.000 -> 00:01.000\nbroken arrow\n');
    writeFileSync(join(dir, 'v.fr.srt'), '1\r\n00:00:00,000 --> 00:00:01,000\r\nSalut\r\n');
    const checked = await checkSidecars(await findSidecars(join(dir, 'v.mp4')));
    expect(checked.sidecars).toEqual([
      { kind: 'caption', path: join(dir, 'v.fr.srt'), language: 'fr', format: 'srt', isDefault: true },
    ]);
    expect(checked.problems).toEqual([
      {
        path: join(dir, 'v.en.vtt'),
        reason: 'v.en.vtt is not valid WebVTT: line 3 starts a block with no timing ("00:00:01.000 --> 00:00:02.000")',
      },
    ]);
  });
});
