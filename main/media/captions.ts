// Caption and chapter files made ready for api.video: text decoded whatever its encoding (UTF-8 with or without
// BOM, UTF-16 with BOM, else Latin-1/Windows-1252), line endings made LF, SRT converted to WebVTT, and WebVTT
// checked cue by cue, every problem a plain reason naming the line.

export type TextEncoding = 'utf-8' | 'utf-8 with BOM' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
}

/** Decodes a text file: BOMs first, then strict UTF-8, else Windows-1252 (a superset of Latin-1). */
export function decodeText(bytes: Uint8Array): DecodedText {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf)
    return { text: new TextDecoder('utf-8').decode(b.subarray(3)), encoding: 'utf-8 with BOM' };
  if (b[0] === 0xff && b[1] === 0xfe)
    return { text: new TextDecoder('utf-16le').decode(b.subarray(2)), encoding: 'utf-16le' };
  if (b[0] === 0xfe && b[1] === 0xff)
    return { text: new TextDecoder('utf-16be').decode(b.subarray(2)), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(b), encoding: 'utf-8' };
  } catch {
    return { text: decodeWindows1252(b), encoding: 'windows-1252' };
  }
}

/** Windows-1252's 0x80-0x9F (Node's TextDecoder reads them as Latin-1's C1 controls); 0 marks an unassigned byte. */
const CP1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0, 0,
  0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];

function decodeWindows1252(bytes: Buffer): string {
  let text = '';
  for (const byte of bytes) {
    const mapped = byte >= 0x80 && byte <= 0x9f ? CP1252_HIGH[byte - 0x80] || byte : byte;
    text += String.fromCharCode(mapped);
  }
  return text;
}

/** LF line endings (CRLF and lone CR become LF). */
export const toLf = (text: string): string => text.replace(/\r\n?/g, '\n');

const VTT_TIME = String.raw`(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})`;
const VTT_TIMING = new RegExp(String.raw`^${VTT_TIME}[ \t]+-->[ \t]+${VTT_TIME}(?:[ \t]+.*)?$`);

function seconds(h: string | undefined, m: string, s: string, ms: string): number {
  return Number(h ?? 0) * 3600 + Number(m) * 60 + Number(s) + Number(ms) / 1000;
}

export interface VttCheck {
  cues: number;
  /** The text of each cue (chapter titles, for chapters). */
  texts: string[];
}

/**
 * Checks WebVTT text (LF line endings, no BOM) against the W3C syntax: the WEBVTT line, blocks separated by blank
 * lines, each cue's timing line (start not after end), NOTE, STYLE and REGION blocks. Throws a plain reason.
 */
export function checkVtt(text: string): VttCheck {
  const lines = text.split('\n');
  if (!/^WEBVTT(?:[ \t].*)?$/.test(lines[0] ?? '')) throw new Error('it does not start with the line "WEBVTT"');
  let i = 1;
  // The header runs to the first blank line; a timing inside it lacks the blank line before it.
  for (; i < lines.length && (lines[i] ?? '').trim() !== ''; i += 1) {
    if ((lines[i] ?? '').includes('-->')) throw new Error(`line ${i + 1} has a cue with no blank line after "WEBVTT"`);
  }
  const texts: string[] = [];
  while (i < lines.length) {
    while (i < lines.length && (lines[i] ?? '').trim() === '') i += 1;
    if (i >= lines.length) break;
    const start = i;
    while (i < lines.length && (lines[i] ?? '').trim() !== '') i += 1;
    const block = lines.slice(start, i);
    const first = block[0] ?? '';
    if (/^(NOTE|STYLE|REGION)(?:[ \t]|$)/.test(first) && !first.includes('-->')) continue;
    const timingAt = first.includes('-->') ? 0 : (block[1] ?? '').includes('-->') ? 1 : -1;
    if (timingAt < 0)
      throw new Error(`line ${start + 1} starts a block with no timing ("00:00:01.000 --> 00:00:02.000")`);
    const timing = block[timingAt] ?? '';
    const match = VTT_TIMING.exec(timing);
    const lineNo = start + timingAt + 1;
    if (!match) throw new Error(`line ${lineNo} has a timing that does not parse: "${timing.slice(0, 60)}"`);
    const from = seconds(match[1], match[2] as string, match[3] as string, match[4] as string);
    const to = seconds(match[5], match[6] as string, match[7] as string, match[8] as string);
    if (to < from) throw new Error(`line ${lineNo} has a cue that ends before it starts`);
    const cueText = block.slice(timingAt + 1);
    const arrow = cueText.findIndex((l) => l.includes('-->'));
    if (arrow >= 0) throw new Error(`line ${lineNo + arrow + 1} has "-->" inside a cue's text (a missing blank line?)`);
    texts.push(cueText.join('\n'));
  }
  if (texts.length === 0) throw new Error('it holds no cues');
  return { cues: texts.length, texts };
}

const SRT_TIME = String.raw`(\d{1,3}):([0-5]?\d):([0-5]?\d)[,.](\d{1,3})`;
const SRT_TIMING = new RegExp(String.raw`^${SRT_TIME}[ \t]*-->[ \t]*${SRT_TIME}(?:[ \t].*)?$`);

function vttTime(h: string, m: string, s: string, ms: string): string {
  return `${h.padStart(2, '0')}:${m.padStart(2, '0')}:${s.padStart(2, '0')}.${ms.padEnd(3, '0')}`;
}

/** SubRip (LF line endings) to WebVTT: timings with dots, <font> tags and {\an8}-style overrides dropped. */
export function srtToVtt(text: string): string {
  const lines = text.split('\n');
  const out: string[] = ['WEBVTT', ''];
  let i = 0;
  while (i < lines.length) {
    while (i < lines.length && (lines[i] ?? '').trim() === '') i += 1;
    if (i >= lines.length) break;
    const start = i;
    while (i < lines.length && (lines[i] ?? '').trim() !== '') i += 1;
    const block = lines.slice(start, i);
    const timingAt = /^\s*\d+\s*$/.test(block[0] ?? '') ? 1 : 0;
    const timing = (block[timingAt] ?? '').trim();
    const match = SRT_TIMING.exec(timing);
    if (!match)
      throw new Error(`line ${start + timingAt + 1} has a timing that does not parse: "${timing.slice(0, 60)}"`);
    const [, h1, m1, s1, ms1, h2, m2, s2, ms2] = match as unknown as string[];
    const cue = block.slice(timingAt + 1).map((l) =>
      l
        .replace(/<\/?font[^>]*>/gi, '')
        .replace(/\{\\[^}]*\}/g, '')
        .replace(/-->/g, '->'),
    );
    if (timingAt === 1) out.push((block[0] ?? '').trim());
    out.push(`${vttTime(h1!, m1!, s1!, ms1!)} --> ${vttTime(h2!, m2!, s2!, ms2!)}`, ...cue, '');
  }
  return out.join('\n');
}

export interface PreparedTrack {
  /** UTF-8 WebVTT, exactly what is sent. */
  body: Buffer;
  cues: number;
  /** What was done to the file to make it WebVTT api.video takes ([] when its bytes are sent as they are). */
  changes: string[];
}

/**
 * A caption or chapter file's bytes made into the WebVTT api.video takes; throws a plain reason when it cannot be.
 * A file that is already UTF-8 WebVTT with LF line endings is sent byte for byte.
 */
export function prepareTrack(bytes: Uint8Array, format: 'vtt' | 'srt', kind: 'captions' | 'chapters'): PreparedTrack {
  const decoded = decodeText(bytes);
  const changes: string[] = [];
  if (decoded.encoding !== 'utf-8') changes.push(`converted from ${decoded.encoding} to UTF-8`);
  let text = decoded.text.replace(/^\uFEFF/, '');
  if (/\r/.test(text)) {
    text = toLf(text);
    changes.push('line endings made LF');
  }
  if (format === 'srt') {
    text = srtToVtt(text);
    changes.push('converted from SRT to WebVTT');
  }
  const check = checkVtt(text);
  if (kind === 'chapters') {
    const untitled = check.texts.findIndex((t) => t.trim() === '');
    if (untitled >= 0) throw new Error(`chapter ${untitled + 1} has no title`);
  }
  const body = changes.length === 0 ? Buffer.from(bytes) : Buffer.from(text, 'utf8');
  return { body, cues: check.cues, changes };
}
