// Tells what a file is from its first bytes: one of the video containers Convoy parses, another container the
// fallback parser may know, or something that is not a video at all, named as a person would ("a PDF document").
import { startsLikeImage } from '../lib/image-signature';

export type ContainerKind = 'isobmff' | 'matroska' | 'avi' | 'mpeg-ts' | 'other-video';

export type Sniffed =
  | { kind: ContainerKind; name?: string }
  /** Not a video: `what` completes "it starts like …". */
  | { kind: 'not-video'; what: string }
  | { kind: 'unknown' };

/** How many bytes sniffing wants from the start of the file. */
export const SNIFF_BYTES = 4096;

const ascii = (b: Buffer, at: number, text: string) => b.toString('latin1', at, at + text.length) === text;
const startsWith = (b: Buffer, bytes: number[]) => bytes.every((v, i) => b[i] === v);

/** Known files that are not video, by their opening bytes. */
const notVideo: [test: (b: Buffer) => boolean, what: string][] = [
  [(b) => ascii(b, 0, '%PDF-'), 'a PDF document'],
  [(b) => startsWith(b, [0x50, 0x4b, 0x03, 0x04]), 'a ZIP archive (or an Office document)'],
  [(b) => startsLikeImage(b) === 'image/png', 'a PNG image'],
  [(b) => startsLikeImage(b) === 'image/jpeg', 'a JPEG image'],
  [(b) => ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a'), 'a GIF image'],
  [(b) => startsLikeImage(b) === 'image/webp', 'a WebP image'],
  [(b) => ascii(b, 0, 'RIFF') && ascii(b, 8, 'WAVE'), 'a WAV audio file'],
  [(b) => ascii(b, 0, 'ID3') || (b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0), 'an MP3 audio file'],
  [(b) => ascii(b, 0, 'fLaC'), 'a FLAC audio file'],
  [(b) => startsWith(b, [0x1f, 0x8b]), 'a gzip archive'],
  [(b) => ascii(b, 0, '7z\xbc\xaf\x27\x1c'), 'a 7-Zip archive'],
  [(b) => ascii(b, 0, 'Rar!'), 'a RAR archive'],
  [(b) => startsWith(b, [0x7f, 0x45, 0x4c, 0x46]), 'a program (ELF)'],
  [(b) => ascii(b, 0, 'MZ'), 'a Windows program'],
  [(b) => startsWith(b, [0xd0, 0xcf, 0x11, 0xe0]), 'an old Office document'],
  [(b) => ascii(b, 0, 'SQLite format 3'), 'an SQLite database'],
];

function isTransportStream(b: Buffer): boolean {
  // 188-byte packets (or 192 with a 4-byte time code, M2TS), each opening with the sync byte 0x47.
  for (const [start, step] of [
    [0, 188],
    [4, 192],
  ] as const) {
    const packets = Math.min(4, Math.floor((b.length - start) / step));
    if (packets >= 2 && Array.from({ length: packets }, (_, i) => b[start + i * step]).every((v) => v === 0x47))
      return true;
  }
  return false;
}

/** Text (UTF-8 or Latin-1, no control bytes but tab/CR/LF) in the bytes read: a document, a subtitle, a script. */
function looksLikeText(b: Buffer): boolean {
  if (b.length === 0) return false;
  let body = b;
  if (startsWith(b, [0xef, 0xbb, 0xbf])) body = b.subarray(3);
  for (const byte of body) {
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) return false;
    if (byte === 0x7f) return false;
  }
  return true;
}

function textKind(b: Buffer): string {
  const head = b
    .toString('utf8', 0, 512)
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (/^WEBVTT/.test(head)) return 'a WebVTT subtitle file';
  if (/^\d+\r?\n\d\d:\d\d:\d\d[,.]\d+ -->/.test(head)) return 'an SRT subtitle file';
  if (/^<(!doctype html|html)/i.test(head)) return 'a web page (HTML)';
  if (/^<\?xml|^<[a-z]/i.test(head)) return 'an XML document';
  if (/^[{[]/.test(head)) return 'a JSON or text file';
  return 'a text file';
}

export function sniff(head: Buffer): Sniffed {
  if (head.length >= 8 && /^(ftyp|moov|mdat|wide|free|skip|pnot|uuid)$/.test(head.toString('latin1', 4, 8)))
    return { kind: 'isobmff' };
  if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) return { kind: 'matroska' };
  if (ascii(head, 0, 'RIFF') && ascii(head, 8, 'AVI ')) return { kind: 'avi' };
  if (isTransportStream(head)) return { kind: 'mpeg-ts' };
  if (ascii(head, 0, 'FLV')) return { kind: 'other-video', name: 'flv' };
  if (startsWith(head, [0x00, 0x00, 0x01, 0xba])) return { kind: 'other-video', name: 'mpeg-ps' };
  if (startsWith(head, [0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11])) return { kind: 'other-video', name: 'asf' };
  if (ascii(head, 0, 'OggS')) return { kind: 'other-video', name: 'ogg' };
  if (ascii(head, 0, '.RMF')) return { kind: 'other-video', name: 'realmedia' };
  // MXF: the SMPTE universal label of a partition pack.
  if (startsWith(head, [0x06, 0x0e, 0x2b, 0x34, 0x02, 0x05, 0x01, 0x01])) return { kind: 'other-video', name: 'mxf' };
  for (const [test, what] of notVideo) if (test(head)) return { kind: 'not-video', what };
  if (looksLikeText(head)) return { kind: 'not-video', what: textKind(head) };
  return { kind: 'unknown' };
}
