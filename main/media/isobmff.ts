// Reads MP4, MOV and M4V (ISO base media / QuickTime) from their box headers and their index (moov) alone:
// brand, duration, picture size, frame rate and codecs; an index that is missing or points past the end is
// refused as a file cut short.
import type { BoundedReader } from './bounded-reader';
import type { MediaFacts } from './media-facts';
import { Refusal, cleanFacts } from './media-facts';

interface Box {
  type: string;
  /** Offset of the box's first byte, and of its payload. */
  start: number;
  payload: number;
  /** End offset; Infinity for a size-0 box (it runs to the end of the file). */
  end: number;
}

/** Top-level boxes walked at most (a fragmented file has a moof/mdat pair per fragment; the moov comes first). */
const MAX_TOP_BOXES = 4096;
/** A moov bigger than this is refused (long films have a few MiB; a damaged size field would ask for GiBs). */
const MAX_MOOV = 48 * 1024 * 1024;

async function boxAt(reader: BoundedReader, offset: number): Promise<Box | null> {
  const head = await reader.read(offset, 16);
  if (head.length < 8) return null;
  let size = head.readUInt32BE(0);
  const type = head.toString('latin1', 4, 8);
  let payload = offset + 8;
  if (size === 1) {
    if (head.length < 16) return null;
    size = Number(head.readBigUInt64BE(8));
    payload = offset + 16;
  }
  const end = size === 0 ? Infinity : offset + size;
  if (size !== 0 && end < payload) return null;
  return { type, start: offset, payload, end };
}

/** Children of a box held in memory, from `from` to `to`. */
function* children(buf: Buffer, from: number, to: number): Generator<Box> {
  let at = from;
  while (at + 8 <= to) {
    let size = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    let payload = at + 8;
    if (size === 1) {
      if (at + 16 > to) return;
      size = Number(buf.readBigUInt64BE(at + 8));
      payload = at + 16;
    } else if (size === 0) size = to - at;
    if (size < payload - at || at + size > to) return;
    yield { type, start: at, payload, end: at + size };
    at += size;
  }
}

function child(buf: Buffer, parent: Box, type: string): Box | undefined {
  for (const box of children(buf, parent.payload, parent.end)) if (box.type === type) return box;
  return undefined;
}

function path(buf: Buffer, parent: Box, ...types: string[]): Box | undefined {
  let box: Box | undefined = parent;
  for (const type of types) box = box && child(buf, box, type);
  return box;
}

const videoCodecs: Record<string, string> = {
  avc1: 'h264',
  avc3: 'h264',
  hvc1: 'hevc',
  hev1: 'hevc',
  dvh1: 'hevc',
  dvhe: 'hevc',
  av01: 'av1',
  vp09: 'vp9',
  vp08: 'vp8',
  mp4v: 'mpeg4',
  s263: 'h263',
  apch: 'prores',
  apcn: 'prores',
  apcs: 'prores',
  apco: 'prores',
  ap4h: 'prores',
  ap4x: 'prores',
  jpeg: 'mjpeg',
  mjpa: 'mjpeg',
  mjpb: 'mjpeg',
  dvc: 'dv',
  'dvc ': 'dv',
  dvcp: 'dv',
  dv5n: 'dv',
  dv5p: 'dv',
  mx5p: 'mpeg2',
  xdvc: 'mpeg2',
  m2v1: 'mpeg2',
};

const audioCodecs: Record<string, string> = {
  mp4a: 'aac',
  'ac-3': 'ac3',
  'ec-3': 'eac3',
  Opus: 'opus',
  fLaC: 'flac',
  alac: 'alac',
  '.mp3': 'mp3',
  sowt: 'pcm',
  twos: 'pcm',
  lpcm: 'pcm',
  ipcm: 'pcm',
  fpcm: 'pcm',
  in24: 'pcm',
  in32: 'pcm',
  samr: 'amr',
};

interface Track {
  handler: string;
  fourcc?: string;
  width?: number;
  height?: number;
  timescale?: number;
  duration?: number;
  samples?: number;
  sampleTime?: number;
  lastChunkOffset?: number;
  mp3InMp4?: boolean;
}

function readTrack(buf: Buffer, trak: Box): Track {
  const track: Track = { handler: '' };
  const hdlr = path(buf, trak, 'mdia', 'hdlr');
  if (hdlr) track.handler = buf.toString('latin1', hdlr.payload + 8, hdlr.payload + 12);
  const mdhd = path(buf, trak, 'mdia', 'mdhd');
  if (mdhd) {
    const v1 = buf[mdhd.payload] === 1;
    track.timescale = buf.readUInt32BE(mdhd.payload + (v1 ? 20 : 12));
    track.duration = v1 ? Number(buf.readBigUInt64BE(mdhd.payload + 24)) : buf.readUInt32BE(mdhd.payload + 16);
  }
  const tkhd = child(buf, trak, 'tkhd');
  if (tkhd) {
    const v1 = buf[tkhd.payload] === 1;
    const at = tkhd.payload + (v1 ? 88 : 76);
    if (at + 8 <= tkhd.end) {
      track.width = buf.readUInt32BE(at) / 65536;
      track.height = buf.readUInt32BE(at + 4) / 65536;
    }
  }
  const stbl = path(buf, trak, 'mdia', 'minf', 'stbl');
  if (!stbl) return track;
  const stsd = child(buf, stbl, 'stsd');
  // stsd: version/flags (4), entry count (4), then the first sample entry box.
  if (stsd && stsd.payload + 16 <= stsd.end) {
    const entry = stsd.payload + 8;
    track.fourcc = buf.toString('latin1', entry + 4, entry + 8);
    if (track.handler === 'vide' && entry + 36 <= stsd.end) {
      // Visual sample entry: 8 box header, 6 reserved, 2 index, 16 pre-defined/reserved, then width and height.
      const w = buf.readUInt16BE(entry + 32);
      const h = buf.readUInt16BE(entry + 34);
      if (w > 0 && h > 0) {
        track.width = w;
        track.height = h;
      }
    }
    if (track.fourcc === 'mp4a') {
      // MPEG-1/2 layer 3 in an esds (object type 0x69 or 0x6B) is MP3, not AAC.
      const esds = buf.indexOf('esds', entry, 'latin1');
      if (esds > 0 && esds < stsd.end) {
        const dec = buf.indexOf(0x04, esds + 8);
        const oti = dec > 0 && dec < stsd.end ? skipDescriptorLength(buf, dec + 1) : -1;
        if (oti > 0 && (buf[oti] === 0x69 || buf[oti] === 0x6b)) track.mp3InMp4 = true;
      }
    }
  }
  const stts = child(buf, stbl, 'stts');
  if (stts) {
    const count = buf.readUInt32BE(stts.payload + 4);
    let samples = 0;
    let time = 0;
    for (let i = 0, at = stts.payload + 8; i < count && at + 8 <= stts.end; i += 1, at += 8) {
      const n = buf.readUInt32BE(at);
      samples += n;
      time += n * buf.readUInt32BE(at + 4);
    }
    track.samples = samples;
    track.sampleTime = time;
  }
  const stco = child(buf, stbl, 'stco');
  const co64 = child(buf, stbl, 'co64');
  const table = stco ?? co64;
  if (table) {
    const count = buf.readUInt32BE(table.payload + 4);
    const width = table === stco ? 4 : 8;
    const at = table.payload + 8 + (count - 1) * width;
    if (count > 0 && at + width <= table.end)
      track.lastChunkOffset = width === 4 ? buf.readUInt32BE(at) : Number(buf.readBigUInt64BE(at));
  }
  return track;
}

/** Skips a descriptor's variable-length size (1 to 4 bytes) and returns the offset of its payload. */
function skipDescriptorLength(buf: Buffer, at: number): number {
  for (let i = 0; i < 4 && at < buf.length; i += 1) if (((buf[at++] ?? 0) & 0x80) === 0) break;
  return at < buf.length ? at : -1;
}

function containerName(brand: string | undefined): string {
  if (brand === 'qt  ') return 'mov';
  if (brand === 'M4V ' || brand === 'M4VH' || brand === 'M4VP') return 'm4v';
  if (brand?.startsWith('3g')) return '3gp';
  return 'mp4';
}

export async function readIsoBmff(reader: BoundedReader): Promise<MediaFacts> {
  let brand: string | undefined;
  let moov: Box | undefined;
  let mdat: Box | undefined;
  let offset = 0;
  for (let n = 0; n < MAX_TOP_BOXES && offset < reader.size; n += 1) {
    const box = await boxAt(reader, offset);
    if (!box) break;
    if (box.type === 'ftyp' && brand === undefined) {
      brand = (await reader.read(box.payload, 4)).toString('latin1');
    } else if (box.type === 'moov') moov = box;
    else if (box.type === 'mdat' && !mdat) mdat = box;
    if (box.end > reader.size) {
      if (box.type === 'moov')
        throw new Refusal(
          'truncated',
          'is cut short: its index ends past the end of the file (the copy may be unfinished)',
        );
      if (!moov) throw new Refusal('truncated', 'is cut short: its index is missing (the copy may be unfinished)');
      if (box.type === 'mdat' && box.end !== Infinity)
        throw new Refusal(
          'truncated',
          'is cut short: its video data ends past the end of the file (the copy may be unfinished)',
        );
      break;
    }
    // The index and the media data were both seen: what follows (more fragments, trailing space) is not needed.
    if (moov && mdat) break;
    offset = box.end;
  }
  if (!moov) {
    if (!mdat) throw new Refusal('not-video', 'is not a video: it holds no MP4 index or media data');
    throw new Refusal('truncated', 'is cut short: its index is missing (the copy may be unfinished)');
  }
  if (moov.end - moov.start > MAX_MOOV)
    throw new Refusal(
      'unknown',
      `has an index larger than Convoy reads (${Math.round((moov.end - moov.start) / 2 ** 20)} MiB)`,
    );
  const buf = await reader.read(moov.start, moov.end - moov.start);
  const root: Box = { type: 'moov', start: 0, payload: moov.payload - moov.start, end: buf.length };
  let durationSec: number | undefined;
  const mvhd = child(buf, root, 'mvhd');
  if (mvhd) {
    const v1 = buf[mvhd.payload] === 1;
    const timescale = buf.readUInt32BE(mvhd.payload + (v1 ? 20 : 12));
    const duration = v1 ? Number(buf.readBigUInt64BE(mvhd.payload + 24)) : buf.readUInt32BE(mvhd.payload + 16);
    if (timescale > 0 && duration > 0 && duration !== 0xffffffff) durationSec = duration / timescale;
  }
  const mehd = path(buf, root, 'mvex', 'mehd');
  if (mehd && durationSec === undefined && mvhd) {
    const v1 = buf[mehd.payload] === 1;
    const fragmentDuration = v1 ? Number(buf.readBigUInt64BE(mehd.payload + 4)) : buf.readUInt32BE(mehd.payload + 4);
    const timescale = buf.readUInt32BE(mvhd.payload + (buf[mvhd.payload] === 1 ? 20 : 12));
    if (timescale > 0) durationSec = fragmentDuration / timescale;
  }
  const tracks = [...children(buf, root.payload, root.end)]
    .filter((b) => b.type === 'trak')
    .map((t) => readTrack(buf, t));
  for (const track of tracks) {
    if (track.lastChunkOffset !== undefined && track.lastChunkOffset >= reader.size)
      throw new Refusal(
        'truncated',
        'is cut short: its index points past the end of the file (the copy may be unfinished)',
      );
  }
  const video = tracks.find((t) => t.handler === 'vide');
  const audio = tracks.find((t) => t.handler === 'soun');
  if (!video) {
    throw new Refusal(
      'not-video',
      audio ? 'is not a video: it holds audio only' : 'is not a video: it holds no video track',
    );
  }
  const fps =
    video.samples && video.sampleTime && video.timescale
      ? video.samples / (video.sampleTime / video.timescale)
      : undefined;
  if (durationSec === undefined && video.duration && video.timescale) durationSec = video.duration / video.timescale;
  const fourcc = (code: string | undefined, table: Record<string, string>) =>
    code === undefined ? undefined : (table[code] ?? code.trim().toLowerCase());
  return cleanFacts({
    container: containerName(brand),
    durationSec,
    width: video.width,
    height: video.height,
    fps,
    videoCodec: fourcc(video.fourcc, videoCodecs),
    audioCodec: audio?.mp3InMp4 ? 'mp3' : fourcc(audio?.fourcc, audioCodecs),
  });
}
