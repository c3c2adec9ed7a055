// Tells a video file from other bytes by its container signature (MP4/MOV/M4V, Matroska/WebM, AVI, MPEG-TS, MXF,
// Ogg) and reads the facts the container states plainly (duration, picture size, frame rate); never decodes a frame.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { z } from 'zod';

export const containerNames = ['mp4', 'mov', 'm4v', 'matroska', 'webm', 'avi', 'mpeg-ts', 'mxf', 'ogg'] as const;
export type ContainerName = (typeof containerNames)[number];

export const videoFactsSchema = z.object({
  container: z.enum(containerNames),
  /** seconds, as the container states it; null when it does not say so cheaply */
  duration: z.number().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  /** frames per second */
  framerate: z.number().nullable(),
});
export type VideoFacts = z.infer<typeof videoFactsSchema>;

export const probeResultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('video'), facts: videoFactsSchema }),
  z.object({ kind: z.literal('not-video'), reason: z.string() }),
]);
/** What the bytes are: a video in a known container with its facts, or not a video and why. */
export type ProbeResult = z.infer<typeof probeResultSchema>;

/** Reads up to `length` bytes at `offset` (fewer at the end of the file). */
export type ByteReader = (offset: number, length: number) => Buffer;

const HEAD_BYTES = 1024 * 1024;
/** the largest `moov` box read whole (a long film's sample tables stay well below) */
const MAX_MOOV_BYTES = 64 * 1024 * 1024;

const notVideo = (reason: string): ProbeResult => ({ kind: 'not-video', reason });
const video = (container: ContainerName, facts: Partial<Omit<VideoFacts, 'container'>> = {}): ProbeResult => ({
  kind: 'video',
  facts: { container, duration: null, width: null, height: null, framerate: null, ...facts },
});

/** Probes the file at `path` with bounded positional reads. */
export function probeFile(path: string): ProbeResult {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    return probeContainer((offset, length) => {
      const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
      const read = buffer.length === 0 ? 0 : readSync(fd, buffer, 0, buffer.length, offset);
      return buffer.subarray(0, read);
    }, size);
  } finally {
    closeSync(fd);
  }
}

export function probeContainer(read: ByteReader, size: number): ProbeResult {
  if (size === 0) return notVideo('The file is empty.');
  const head = read(0, HEAD_BYTES);
  const ascii = (from: number, to: number) => head.toString('latin1', from, to);
  if (head.length >= 8 && ['ftyp', 'moov', 'mdat', 'wide', 'free', 'skip'].includes(ascii(4, 8)))
    return probeIsoMedia(read, size, head);
  if (head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3) return probeEbml(head, size);
  if (head.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'AVI ') return probeAvi(head, size);
  if (isTransportStream(head, size)) return video('mpeg-ts');
  if (head.includes(MXF_HEADER_PARTITION)) return video('mxf');
  if (head.length >= 4 && ascii(0, 4) === 'OggS') return probeOgg(head);
  return notVideo('No video container signature (MP4/MOV, Matroska/WebM, AVI, MPEG-TS, MXF or Ogg) at its start.');
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;

// ---- ISO base media (MP4, MOV, M4V): ftyp, then top-level boxes that must end exactly at the end of the file

interface Box {
  type: string;
  start: number;
  /** start of the payload */
  body: number;
  end: number;
}

/** The boxes laid out in [start, end) of `data`; stops at the first box that does not fit (returned as `overrun`). */
function boxesIn(data: Buffer, start: number, end: number): Box[] {
  const boxes: Box[] = [];
  let pos = start;
  while (pos + 8 <= end) {
    let size = data.readUInt32BE(pos);
    let body = pos + 8;
    if (size === 1 && pos + 16 <= end) {
      size = Number(data.readBigUInt64BE(pos + 8));
      body = pos + 16;
    } else if (size === 0) size = end - pos;
    if (size < body - pos || pos + size > end) break;
    boxes.push({ type: data.toString('latin1', pos + 4, pos + 8), start: pos, body, end: pos + size });
    pos += size;
  }
  return boxes;
}

const child = (data: Buffer, parent: Box, type: string) =>
  boxesIn(data, parent.body, parent.end).find((b) => b.type === type);

function probeIsoMedia(read: ByteReader, size: number, head: Buffer): ProbeResult {
  let container: ContainerName = 'mov';
  if (head.toString('latin1', 4, 8) === 'ftyp') {
    const brand = head.toString('latin1', 8, 12);
    container = brand === 'qt  ' ? 'mov' : brand === 'M4V ' || brand === 'M4VH' ? 'm4v' : 'mp4';
  }
  // Walk the top-level boxes by their headers only.
  let pos = 0;
  let moov: { offset: number; size: number } | null = null;
  let hasMedia = false;
  while (pos < size) {
    const header = read(pos, 16);
    if (header.length < 8) return notVideo(`The file ends inside a box header at byte ${pos}: it is truncated.`);
    let boxSize = header.readUInt32BE(0);
    const type = header.toString('latin1', 4, 8);
    if (!/^[\x20-\x7e]{4}$/.test(type)) return notVideo(`Byte ${pos} does not start an MP4 box: the file is damaged.`);
    if (boxSize === 1) {
      if (header.length < 16) return notVideo(`The file ends inside the "${type}" box header: it is truncated.`);
      boxSize = Number(header.readBigUInt64BE(8));
    } else if (boxSize === 0) boxSize = size - pos;
    if (boxSize < 8) return notVideo(`The "${type}" box at byte ${pos} has an impossible size.`);
    if (pos + boxSize > size)
      return notVideo(
        `The file ends inside its "${type}" box (${pos + boxSize - size} bytes missing): it is truncated.`,
      );
    if (type === 'moov') moov = { offset: pos, size: boxSize };
    if (type === 'mdat' || type === 'moof') hasMedia = true;
    pos += boxSize;
  }
  if (moov === null) return notVideo('The MP4/MOV file has no "moov" box: nothing describes its media.');
  if (!hasMedia) return notVideo('The MP4/MOV file has no media data ("mdat").');
  if (moov.size > MAX_MOOV_BYTES) return video(container);
  const data = read(moov.offset, moov.size);
  const root: Box = { type: 'moov', start: 0, body: 8, end: data.length };
  if (data.readUInt32BE(0) === 1) root.body = 16;
  let duration: number | null = null;
  const mvhd = child(data, root, 'mvhd');
  if (mvhd) duration = headerDuration(data, mvhd.body);
  if (!duration) {
    const mehd = boxesIn(data, root.body, root.end)
      .filter((b) => b.type === 'mvex')
      .map((mvex) => child(data, mvex, 'mehd'))
      .find(Boolean);
    const scale = mvhd ? timescaleOf(data, mvhd.body) : 0;
    if (mehd && scale) {
      const long = data[mehd.body] === 1;
      duration = Number(long ? data.readBigUInt64BE(mehd.body + 4) : data.readUInt32BE(mehd.body + 4)) / scale;
    }
  }
  for (const trak of boxesIn(data, root.body, root.end).filter((b) => b.type === 'trak')) {
    const mdia = child(data, trak, 'mdia');
    const hdlr = mdia && child(data, mdia, 'hdlr');
    if (!hdlr || data.toString('latin1', hdlr.body + 8, hdlr.body + 12) !== 'vide') continue;
    const tkhd = child(data, trak, 'tkhd');
    const width = tkhd ? Math.round(data.readUInt32BE(tkhd.end - 8) / 65536) : null;
    const height = tkhd ? Math.round(data.readUInt32BE(tkhd.end - 4) / 65536) : null;
    const mdhd = child(data, mdia, 'mdhd');
    const stbl = [child(data, mdia, 'minf')].map((minf) => minf && child(data, minf, 'stbl'))[0];
    const stsz = stbl && child(data, stbl, 'stsz');
    const trackSeconds = mdhd ? headerDuration(data, mdhd.body) : null;
    const samples = stsz ? data.readUInt32BE(stsz.body + 8) : 0;
    return video(container, {
      duration: duration ? round3(duration) : trackSeconds ? round3(trackSeconds) : null,
      width: width || null,
      height: height || null,
      framerate: trackSeconds && samples ? round3(samples / trackSeconds) : null,
    });
  }
  return notVideo('The MP4/MOV file has no video track.');
}

/** mvhd / mdhd: version 0 has 32-bit times, version 1 64-bit; timescale then duration. */
function timescaleOf(data: Buffer, body: number): number {
  return data.readUInt32BE(body + (data[body] === 1 ? 20 : 12));
}

function headerDuration(data: Buffer, body: number): number | null {
  const long = data[body] === 1;
  const scale = timescaleOf(data, body);
  const units = long ? Number(data.readBigUInt64BE(body + 24)) : data.readUInt32BE(body + 16);
  if (!scale || !units || (long ? units >= 2 ** 63 : units === 0xffffffff)) return null;
  return units / scale;
}

// ---- EBML (Matroska, WebM): DocType from the header; Info and Tracks from the Segment's first megabyte

interface Element {
  id: number;
  /** start of the data */
  data: number;
  /** end of the data (the buffer's end when the size is unknown or runs past it) */
  end: number;
  /** the size the element declares, null when unknown */
  declared: number | null;
}

function vint(
  buffer: Buffer,
  pos: number,
  keepMarker: boolean,
): { value: number; length: number; unknown: boolean } | null {
  const first = buffer[pos];
  if (first === undefined || first === 0) return null;
  const length = Math.clz32(first) - 23;
  if (length > 8 || pos + length > buffer.length) return null;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i += 1) {
    value = value * 256 + buffer[pos + i]!;
    if (buffer[pos + i] !== 0xff) allOnes = false;
  }
  return { value, length, unknown: !keepMarker && allOnes };
}

function elementsIn(buffer: Buffer, start: number, end: number): Element[] {
  const found: Element[] = [];
  let pos = start;
  while (pos < end) {
    const id = vint(buffer, pos, true);
    const size = id && vint(buffer, pos + id.length, false);
    if (!id || !size) break;
    const data = pos + id.length + size.length;
    const declared = size.unknown ? null : size.value;
    const elementEnd = declared === null ? end : Math.min(end, data + declared);
    found.push({ id: id.value, data, end: elementEnd, declared });
    if (declared === null || data + declared > end) break;
    pos = data + declared;
  }
  return found;
}

const readUint = (buffer: Buffer, el: Element) => {
  let value = 0;
  for (let i = el.data; i < el.end; i += 1) value = value * 256 + buffer[i]!;
  return value;
};
const readFloat = (buffer: Buffer, el: Element) =>
  el.end - el.data === 4 ? buffer.readFloatBE(el.data) : el.end - el.data === 8 ? buffer.readDoubleBE(el.data) : null;

const EBML = { header: 0x1a45dfa3, docType: 0x4282, segment: 0x18538067, info: 0x1549a966, timecodeScale: 0x2ad7b1 };
const MKV = { duration: 0x4489, tracks: 0x1654ae6b, trackEntry: 0xae, trackType: 0x83, video: 0xe0 };
const MKV_PIXELS = { width: 0xb0, height: 0xba, defaultDuration: 0x23e383 };

function probeEbml(head: Buffer, size: number): ProbeResult {
  const top = elementsIn(head, 0, head.length);
  const header = top[0];
  if (!header || header.id !== EBML.header || header.declared === null) return notVideo('The EBML header is damaged.');
  const docTypeEl = elementsIn(head, header.data, header.end).find((el) => el.id === EBML.docType);
  const docType = docTypeEl ? head.toString('latin1', docTypeEl.data, docTypeEl.end).replace(/\0+$/, '') : '';
  if (docType !== 'matroska' && docType !== 'webm')
    return notVideo(`The EBML document type "${docType}" is not Matroska or WebM.`);
  const container: ContainerName = docType === 'webm' ? 'webm' : 'matroska';
  const segment = top.find((el) => el.id === EBML.segment);
  if (!segment) return notVideo('The Matroska file has no Segment: it holds no media.');
  if (segment.declared !== null && segment.data + segment.declared > size)
    return notVideo(
      `The file ends inside its Segment (${segment.data + segment.declared - size} bytes missing): it is truncated.`,
    );
  const parts = elementsIn(head, segment.data, segment.end);
  const info = parts.find((el) => el.id === EBML.info);
  let duration: number | null = null;
  if (info) {
    const fields = elementsIn(head, info.data, info.end);
    const scaleEl = fields.find((el) => el.id === EBML.timecodeScale);
    const durationEl = fields.find((el) => el.id === MKV.duration);
    const units = durationEl ? readFloat(head, durationEl) : null;
    if (units !== null) duration = round3((units * (scaleEl ? readUint(head, scaleEl) : 1_000_000)) / 1e9);
  }
  const tracks = parts.find((el) => el.id === MKV.tracks);
  if (!tracks) return video(container, { duration });
  for (const entry of elementsIn(head, tracks.data, tracks.end).filter((el) => el.id === MKV.trackEntry)) {
    const fields = elementsIn(head, entry.data, entry.end);
    const type = fields.find((el) => el.id === MKV.trackType);
    if (!type || readUint(head, type) !== 1) continue;
    const pictureEl = fields.find((el) => el.id === MKV.video);
    const picture = pictureEl ? elementsIn(head, pictureEl.data, pictureEl.end) : [];
    const pick = (id: number) => [picture.find((el) => el.id === id)].map((el) => (el ? readUint(head, el) : null))[0]!;
    const frameNs = [fields.find((el) => el.id === MKV_PIXELS.defaultDuration)].map((el) =>
      el ? readUint(head, el) : 0,
    )[0]!;
    return video(container, {
      duration,
      width: pick(MKV_PIXELS.width),
      height: pick(MKV_PIXELS.height),
      framerate: frameNs ? round3(1e9 / frameNs) : null,
    });
  }
  return notVideo(`The ${container === 'webm' ? 'WebM' : 'Matroska'} file has no video track.`);
}

// ---- AVI: RIFF size, then the main header (avih) of the hdrl list

function probeAvi(head: Buffer, size: number): ProbeResult {
  const riffEnd = head.readUInt32LE(4) + 8;
  if (riffEnd > size)
    return notVideo(`The file ends inside its RIFF chunk (${riffEnd - size} bytes missing): it is truncated.`);
  const avih = head.indexOf('avih', 12, 'latin1');
  if (avih < 0 || avih + 48 > head.length) return notVideo('The AVI file has no main header ("avih").');
  const at = avih + 8;
  const microsPerFrame = head.readUInt32LE(at);
  const frames = head.readUInt32LE(at + 16);
  const width = head.readUInt32LE(at + 32);
  const height = head.readUInt32LE(at + 36);
  if (head.indexOf('vids', 12, 'latin1') < 0) return notVideo('The AVI file has no video stream.');
  return video('avi', {
    duration: microsPerFrame && frames ? round3((frames * microsPerFrame) / 1e6) : null,
    width: width || null,
    height: height || null,
    framerate: microsPerFrame ? round3(1e6 / microsPerFrame) : null,
  });
}

// ---- MPEG-TS: the sync byte every 188 bytes (192 for M2TS, after a 4-byte time code)

function isTransportStream(head: Buffer, size: number): boolean {
  for (const [stride, offset] of [
    [188, 0],
    [192, 4],
  ] as const) {
    const packets = Math.min(16, Math.floor(Math.min(size, head.length) / stride));
    if (packets < 3) continue;
    let synced = true;
    for (let i = 0; i < packets && synced; i += 1) synced = head[i * stride + offset] === 0x47;
    if (synced) return true;
  }
  return false;
}

// ---- MXF: the header partition pack key (SMPTE 377M), possibly after a run-in

const MXF_HEADER_PARTITION = Buffer.from([
  0x06, 0x0e, 0x2b, 0x34, 0x02, 0x05, 0x01, 0x01, 0x0d, 0x01, 0x02, 0x01, 0x01, 0x02,
]);

// ---- Ogg: the first pages' beginning-of-stream packets; a Theora header gives the picture size

function probeOgg(head: Buffer): ProbeResult {
  let pos = 0;
  const codecs: string[] = [];
  while (pos + 27 <= head.length && head.toString('latin1', pos, pos + 4) === 'OggS') {
    const beginsStream = (head[pos + 5]! & 0x02) !== 0;
    const segments = head[pos + 26]!;
    const packet = pos + 27 + segments;
    let bodySize = 0;
    for (let i = 0; i < segments; i += 1) bodySize += head[pos + 27 + i] ?? 0;
    if (!beginsStream) break;
    if (head.toString('latin1', packet, packet + 7) === '\x80theora' && packet + 20 <= head.length) {
      return video('ogg', { width: head.readUIntBE(packet + 14, 3), height: head.readUIntBE(packet + 17, 3) });
    }
    if (head.toString('latin1', packet, packet + 5) === 'OVP80') return video('ogg');
    codecs.push(head.toString('latin1', packet + 1, packet + 7).replace(/[^\w]/g, '') || 'unknown');
    pos = packet + bodySize;
  }
  return notVideo(`The Ogg file has no video stream (${codecs.join(', ') || 'no streams'}).`);
}
