// Caption and chapter files made ready for api.video: odd encodings and line endings, SRT to WebVTT, and WebVTT
// checked with a reason that names the line.
import { describe, expect, it } from 'vitest';
import { checkVtt, decodeText, prepareTrack, srtToVtt } from '../../../main/media/captions';

const vtt = 'WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nBonjour\n\n00:01.500 --> 00:03.000 align:start\nÇa va ?\n';
const srt =
  '1\r\n00:00:00,000 --> 00:00:01,500\r\n<font color="red">Bonjour</font>\r\n\r\n2\r\n0:00:01,5 --> 00:00:03,000\r\nÇa va ?\r\n';
const srtAsVtt = 'WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.500\nBonjour\n\n2\n00:00:01.500 --> 00:00:03.000\nÇa va ?\n';

describe('decoding', () => {
  it('reads UTF-8 with and without BOM, UTF-16 with BOM, and falls back to Windows-1252 (Latin-1)', () => {
    expect(decodeText(Buffer.from('Ça va', 'utf8'))).toEqual({ text: 'Ça va', encoding: 'utf-8' });
    expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Ça va')]))).toEqual({
      text: 'Ça va',
      encoding: 'utf-8 with BOM',
    });
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Ça va', 'utf16le')])).text).toBe('Ça va');
    expect(decodeText(Buffer.from('Ça va – €', 'latin1'))).toMatchObject({ encoding: 'windows-1252' });
    expect(decodeText(Buffer.from([0xc7, 0x61, 0x20, 0x80]))).toEqual({ text: 'Ça €', encoding: 'windows-1252' });
  });
});

describe('WebVTT check', () => {
  it('accepts cues with and without hours, identifiers, settings, NOTE and STYLE blocks', () => {
    expect(checkVtt(vtt)).toEqual({ cues: 2, texts: ['Bonjour', 'Ça va ?'] });
    expect(
      checkVtt(
        'WEBVTT - title\nKind: captions\n\nNOTE hi\n\nSTYLE\n::cue { color: red }\n\nid-1\n01:00:00.000 --> 01:00:01.000\nx\n',
      ).cues,
    ).toBe(1);
  });

  it('names the line of what is wrong', () => {
    expect(() => checkVtt('WEBVT\n\n00:00.000 --> 00:01.000\nx\n')).toThrow('it does not start with the line "WEBVTT"');
    expect(() => checkVtt('WEBVTT\n\n00:00:00,000 --> 00:00:01,000\nx\n')).toThrow(
      'line 3 has a timing that does not parse',
    );
    expect(() => checkVtt('WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nx\n')).toThrow(
      'line 3 has a cue that ends before it starts',
    );
    expect(() => checkVtt('WEBVTT\n00:00:00.000 --> 00:00:01.000\nx\n')).toThrow('line 2 has a cue with no blank line');
    expect(() => checkVtt('WEBVTT\n\njust some words\nmore\n')).toThrow('line 3 starts a block with no timing');
    expect(() => checkVtt('WEBVTT\n\n00:00.000 --> 00:01.000\nx\n00:01.000 --> 00:02.000\ny\n')).toThrow(
      'line 5 has "-->" inside a cue',
    );
    expect(() => checkVtt('WEBVTT\n\nNOTE nothing here\n')).toThrow('it holds no cues');
  });
});

describe('preparing a track', () => {
  it('sends a UTF-8 WebVTT with LF line endings byte for byte', () => {
    const bytes = Buffer.from(vtt, 'utf8');
    const prepared = prepareTrack(bytes, 'vtt', 'captions');
    expect(prepared.body.equals(bytes)).toBe(true);
    expect(prepared.changes).toEqual([]);
  });

  it('drops a BOM, makes CRLF into LF and Latin-1 into UTF-8, saying so', () => {
    const crlfBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(vtt.replace(/\n/g, '\r\n'))]);
    const fromBom = prepareTrack(crlfBom, 'vtt', 'captions');
    expect(fromBom.body.toString('utf8')).toBe(vtt);
    expect(fromBom.changes).toEqual(['converted from utf-8 with BOM to UTF-8', 'line endings made LF']);
    const latin1 = prepareTrack(Buffer.from(vtt, 'latin1'), 'vtt', 'captions');
    expect(latin1.body.toString('utf8')).toBe(vtt);
    expect(latin1.changes).toEqual(['converted from windows-1252 to UTF-8']);
  });

  it('converts SRT (CRLF, Latin-1, <font> tags, short times) to WebVTT', () => {
    expect(srtToVtt(srt.replace(/\r\n/g, '\n'))).toBe(srtAsVtt);
    const prepared = prepareTrack(Buffer.from(srt, 'latin1'), 'srt', 'captions');
    expect(prepared.body.toString('utf8')).toBe(srtAsVtt);
    expect(prepared.cues).toBe(2);
  });

  it('refuses an SRT whose timing does not parse, and chapters without a title', () => {
    expect(() => prepareTrack(Buffer.from('1\n00:00:00 --> 00:00:01\nx\n'), 'srt', 'captions')).toThrow(
      'line 2 has a timing that does not parse',
    );
    expect(() =>
      prepareTrack(Buffer.from('WEBVTT\n\nintro\n00:00.000 --> 00:05.000\n \n'), 'vtt', 'chapters'),
    ).toThrow();
  });
});
