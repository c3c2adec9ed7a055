// The fallback parser for containers Convoy does not read itself (MPEG-TS, and others it recognises: FLV,
// MPEG-PS, ASF, Ogg, MXF): MediaInfoLib compiled to WebAssembly (mediainfo.js), fed through the bounded reader.
import type { MediaInfo, ReadChunkFunc, Track } from 'mediainfo.js';
import type { BoundedReader } from './bounded-reader';
import type { MediaFacts } from './media-facts';
import { Refusal, cleanFacts } from './media-facts';

let instance: Promise<MediaInfo<'object'>> | undefined;

/**
 * One MediaInfoLib instance per thread, made on first use (its WebAssembly takes 50-150 ms to start). Its module is
 * loaded then too, not when the worker starts: most folders never need it, and every run waits for the worker.
 */
function mediaInfo(): Promise<MediaInfo<'object'>> {
  instance ??= import('mediainfo.js').then(({ default: factory }) => factory({ format: 'object', full: false }));
  return instance;
}

const codecNames: Record<string, string> = {
  AVC: 'h264',
  HEVC: 'hevc',
  'MPEG Video': 'mpeg2',
  'MPEG-4 Visual': 'mpeg4',
  VP8: 'vp8',
  VP9: 'vp9',
  AV1: 'av1',
  'VC-1': 'vc1',
  Theora: 'theora',
  AAC: 'aac',
  'MPEG Audio': 'mp3',
  'AC-3': 'ac3',
  'E-AC-3': 'eac3',
  Opus: 'opus',
  Vorbis: 'vorbis',
  PCM: 'pcm',
  FLAC: 'flac',
  DTS: 'dts',
  WMA: 'wma',
};

const containerNames: Record<string, string> = {
  'MPEG-TS': 'mpeg-ts',
  BDAV: 'mpeg-ts',
  'MPEG-PS': 'mpeg-ps',
  'Flash Video': 'flv',
  'Windows Media': 'asf',
  Ogg: 'ogg',
  RealMedia: 'realmedia',
  MXF: 'mxf',
};

function num(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number.parseFloat(value) : typeof value === 'number' ? value : NaN;
  return Number.isFinite(n) ? n : undefined;
}

function codec(track: Track | undefined): string | undefined {
  const format = track?.Format;
  return typeof format === 'string' ? (codecNames[format] ?? format.toLowerCase()) : undefined;
}

/** The instance analyses one file at a time: the worker's other files wait their turn here. */
let turn: Promise<unknown> = Promise.resolve();

async function analyze(reader: BoundedReader) {
  const mi = await mediaInfo();
  const readChunk: ReadChunkFunc = (size, offset) => reader.read(offset, size);
  const run = turn.then(() => mi.analyzeData(reader.size, readChunk));
  turn = run.catch(() => {});
  return run;
}

export async function readWithMediaInfo(reader: BoundedReader, fallbackName: string): Promise<MediaFacts> {
  const result = await analyze(reader);
  const tracks = result.media?.track ?? [];
  const general = tracks.find((t) => t['@type'] === 'General');
  const video = tracks.find((t) => t['@type'] === 'Video');
  const audio = tracks.find((t) => t['@type'] === 'Audio');
  if (!video) {
    throw new Refusal(
      'not-video',
      audio ? 'is not a video: it holds audio only' : 'is not a video: no video stream was found in it',
    );
  }
  const format = typeof general?.Format === 'string' ? general.Format : undefined;
  return cleanFacts({
    container: (format && containerNames[format]) ?? fallbackName,
    durationSec: num(general?.Duration) ?? num(video.Duration),
    width: num(video.Width),
    height: num(video.Height),
    fps: num(video.FrameRate),
    videoCodec: codec(video),
    audioCodec: codec(audio),
  });
}
