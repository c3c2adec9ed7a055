// Reads Matroska and WebM from the EBML elements before the first cluster (Info, Tracks; SeekHead when they
// come later): doc type, duration, picture size, frame rate and codecs; a segment longer than the file is cut short.
import type { BoundedReader } from './bounded-reader';
import type { MediaFacts } from './media-facts';
import { Refusal, cleanFacts } from './media-facts';

const ID = {
  EBML: 0x1a45dfa3,
  DocType: 0x4282,
  Segment: 0x18538067,
  SeekHead: 0x114d9b74,
  Seek: 0x4dbb,
  SeekID: 0x53ab,
  SeekPosition: 0x53ac,
  Info: 0x1549a966,
  TimecodeScale: 0x2ad7b1,
  Duration: 0x4489,
  Tracks: 0x1654ae6b,
  TrackEntry: 0xae,
  TrackType: 0x83,
  CodecID: 0x86,
  DefaultDuration: 0x23e383,
  Video: 0xe0,
  PixelWidth: 0xb0,
  PixelHeight: 0xba,
  Cluster: 0x1f43b675,
  Cues: 0x1c53bb6b,
} as const;

interface Element {
  id: number;
  /** Offset of the payload and its size (null: unknown size, it runs to the end of its parent). */
  data: number;
  size: number | null;
}

/** Reads a variable-length EBML integer at `at`; `keepMarker` for IDs. Returns the value and its length. */
function vint(
  buf: Buffer,
  at: number,
  keepMarker: boolean,
): { value: number; length: number; unknown: boolean } | null {
  const first = buf[at];
  if (first === undefined || first === 0) return null;
  const length = Math.clz32(first) - 23;
  if (length > 8 || at + length > buf.length) return null;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i += 1) {
    const byte = buf[at + i] ?? 0;
    value = value * 256 + byte;
    if (byte !== 0xff) allOnes = false;
  }
  return { value, length, unknown: !keepMarker && allOnes };
}

function elementAt(buf: Buffer, at: number): (Element & { headerLength: number }) | null {
  const id = vint(buf, at, true);
  if (!id) return null;
  const size = vint(buf, at + id.length, false);
  if (!size) return null;
  const headerLength = id.length + size.length;
  return { id: id.value, data: at + headerLength, size: size.unknown ? null : size.value, headerLength };
}

function* elements(buf: Buffer, from: number, to: number): Generator<Element> {
  let at = from;
  while (at < to) {
    const el = elementAt(buf, at);
    if (!el) return;
    yield el;
    if (el.size === null) return;
    at = el.data + el.size;
  }
}

function uint(buf: Buffer, el: Element): number {
  let value = 0;
  for (let i = 0; i < (el.size ?? 0); i += 1) value = value * 256 + (buf[el.data + i] ?? 0);
  return value;
}

function float(buf: Buffer, el: Element): number {
  if (el.size === 4) return buf.readFloatBE(el.data);
  if (el.size === 8) return buf.readDoubleBE(el.data);
  return NaN;
}

const text = (buf: Buffer, el: Element) =>
  buf.toString('latin1', el.data, el.data + (el.size ?? 0)).replace(/\0+$/, '');

const codecNames: [prefix: string, name: string][] = [
  ['V_MPEG4/ISO/AVC', 'h264'],
  ['V_MPEGH/ISO/HEVC', 'hevc'],
  ['V_VP8', 'vp8'],
  ['V_VP9', 'vp9'],
  ['V_AV1', 'av1'],
  ['V_MPEG4/', 'mpeg4'],
  ['V_MPEG2', 'mpeg2'],
  ['V_MPEG1', 'mpeg1'],
  ['V_MJPEG', 'mjpeg'],
  ['V_PRORES', 'prores'],
  ['V_THEORA', 'theora'],
  ['V_FFV1', 'ffv1'],
  ['A_AAC', 'aac'],
  ['A_OPUS', 'opus'],
  ['A_VORBIS', 'vorbis'],
  ['A_EAC3', 'eac3'],
  ['A_AC3', 'ac3'],
  ['A_DTS', 'dts'],
  ['A_FLAC', 'flac'],
  ['A_MPEG/L3', 'mp3'],
  ['A_MPEG/L2', 'mp2'],
  ['A_PCM', 'pcm'],
  ['A_TRUEHD', 'truehd'],
];

function codecName(id: string): string {
  return codecNames.find(([prefix]) => id.startsWith(prefix))?.[1] ?? id.toLowerCase();
}

interface TrackInfo {
  type: number;
  codec?: string;
  width?: number;
  height?: number;
  frameNs?: number;
}

function readTracks(buf: Buffer, tracks: Element): TrackInfo[] {
  const end = tracks.data + (tracks.size ?? buf.length - tracks.data);
  const out: TrackInfo[] = [];
  for (const entry of elements(buf, tracks.data, end)) {
    if (entry.id !== ID.TrackEntry || entry.size === null) continue;
    const track: TrackInfo = { type: 0 };
    for (const el of elements(buf, entry.data, entry.data + entry.size)) {
      if (el.id === ID.TrackType) track.type = uint(buf, el);
      else if (el.id === ID.CodecID) track.codec = codecName(text(buf, el));
      else if (el.id === ID.DefaultDuration) track.frameNs = uint(buf, el);
      else if (el.id === ID.Video && el.size !== null) {
        for (const v of elements(buf, el.data, el.data + el.size)) {
          if (v.id === ID.PixelWidth) track.width = uint(buf, v);
          else if (v.id === ID.PixelHeight) track.height = uint(buf, v);
        }
      }
    }
    out.push(track);
  }
  return out;
}

/** The largest Info or Tracks element read into memory. */
const MAX_ELEMENT = 8 * 1024 * 1024;
/** Segment children walked at most before giving up on finding Info and Tracks. */
const MAX_CHILDREN = 256;

export async function readMatroska(reader: BoundedReader): Promise<MediaFacts> {
  const head = await reader.read(0, 64);
  const ebml = elementAt(head, 0);
  if (!ebml || ebml.id !== ID.EBML || ebml.size === null) throw new Refusal('unknown', 'has a damaged Matroska header');
  const ebmlBody = await reader.read(ebml.data, ebml.size);
  let docType = 'matroska';
  for (const el of elements(ebmlBody, 0, ebmlBody.length)) if (el.id === ID.DocType) docType = text(ebmlBody, el);
  const segmentAt = ebml.data + ebml.size;
  const segmentHead = await reader.read(segmentAt, 16);
  const segment = elementAt(segmentHead, 0);
  if (!segment || segment.id !== ID.Segment) {
    if (segmentHead.length === 0)
      throw new Refusal('truncated', 'is cut short: it ends right after its header (the copy may be unfinished)');
    throw new Refusal('unknown', 'has a damaged Matroska segment');
  }
  const segmentData = segmentAt + segment.headerLength;
  if (segment.size !== null && segmentData + segment.size > reader.size)
    throw new Refusal('truncated', 'is cut short: it ends before its declared length (the copy may be unfinished)');
  const segmentEnd = segment.size === null ? reader.size : segmentData + segment.size;

  let info: Buffer | undefined;
  let tracks: Buffer | undefined;
  const seekTargets = new Map<number, number>();
  const load = async (at: number, el: Element) => {
    if (el.size === null || el.size > MAX_ELEMENT)
      throw new Refusal('unknown', 'has Matroska headers larger than Convoy reads');
    if (at + el.size > reader.size)
      throw new Refusal(
        'truncated',
        'is cut short: its headers run past the end of the file (the copy may be unfinished)',
      );
    return reader.read(at, el.size);
  };
  const visit = async (at: number): Promise<Element | null> => {
    const el = elementAt(await reader.read(at, 16), 0);
    if (!el) return null;
    const data = at + el.data;
    if (el.id === ID.Info) info = await load(data, el);
    else if (el.id === ID.Tracks) tracks = await load(data, el);
    else if (el.id === ID.SeekHead) {
      const body = await load(data, el);
      for (const seek of elements(body, 0, body.length)) {
        if (seek.id !== ID.Seek || seek.size === null) continue;
        let target = 0;
        let position = -1;
        for (const s of elements(body, seek.data, seek.data + seek.size)) {
          if (s.id === ID.SeekID) target = uint(body, s);
          else if (s.id === ID.SeekPosition) position = uint(body, s);
        }
        if (position >= 0) seekTargets.set(target, segmentData + position);
      }
    }
    return { ...el, data };
  };

  let at = segmentData;
  for (let n = 0; n < MAX_CHILDREN && at < segmentEnd && !(info && tracks); n += 1) {
    const el = await visit(at);
    if (!el || el.id === ID.Cluster || el.size === null) break;
    at = el.data + el.size;
  }
  // Info or Tracks after the clusters: follow the SeekHead.
  for (const id of [ID.Info, ID.Tracks]) {
    const target = seekTargets.get(id);
    if ((id === ID.Info ? info : tracks) || target === undefined) continue;
    if (target >= reader.size)
      throw new Refusal(
        'truncated',
        'is cut short: its headers point past the end of the file (the copy may be unfinished)',
      );
    await visit(target);
  }
  const cues = seekTargets.get(ID.Cues);
  if (cues !== undefined && cues >= reader.size)
    throw new Refusal(
      'truncated',
      'is cut short: its index points past the end of the file (the copy may be unfinished)',
    );
  if (!tracks) throw new Refusal('unknown', 'has no track list Convoy could find');

  let durationSec: number | undefined;
  if (info) {
    let scale = 1_000_000;
    let duration: number | undefined;
    for (const el of elements(info, 0, info.length)) {
      if (el.id === ID.TimecodeScale) scale = uint(info, el);
      else if (el.id === ID.Duration) duration = float(info, el);
    }
    if (duration !== undefined) durationSec = (duration * scale) / 1e9;
  }
  const list = readTracks(tracks, { id: ID.Tracks, data: 0, size: tracks.length });
  const video = list.find((t) => t.type === 1);
  const audio = list.find((t) => t.type === 2);
  if (!video)
    throw new Refusal(
      'not-video',
      audio ? 'is not a video: it holds audio only' : 'is not a video: it holds no video track',
    );
  return cleanFacts({
    container: docType === 'webm' ? 'webm' : 'mkv',
    durationSec,
    width: video.width,
    height: video.height,
    fps: video.frameNs ? 1e9 / video.frameNs : undefined,
    videoCodec: video.codec,
    audioCodec: audio?.codec,
  });
}
