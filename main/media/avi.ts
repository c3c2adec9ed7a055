// Reads AVI from its RIFF header list (hdrl: avih, each stream's strh and strf, OpenDML's dmlh): duration,
// picture size, frame rate and codecs; a RIFF that declares more bytes than the file holds is cut short.
import type { BoundedReader } from './bounded-reader';
import type { MediaFacts } from './media-facts';
import { Refusal, cleanFacts } from './media-facts';

interface Chunk {
  id: string;
  data: number;
  size: number;
}

function* chunks(buf: Buffer, from: number, to: number): Generator<Chunk> {
  let at = from;
  while (at + 8 <= to) {
    const id = buf.toString('latin1', at, at + 4);
    const size = buf.readUInt32LE(at + 4);
    yield { id, data: at + 8, size: Math.min(size, to - at - 8) };
    at += 8 + size + (size & 1);
  }
}

const videoCodecs: Record<string, string> = {
  H264: 'h264',
  X264: 'h264',
  AVC1: 'h264',
  HEVC: 'hevc',
  H265: 'hevc',
  FMP4: 'mpeg4',
  XVID: 'mpeg4',
  DIVX: 'mpeg4',
  DX50: 'mpeg4',
  MP4V: 'mpeg4',
  MJPG: 'mjpeg',
  DVSD: 'dv',
  MPG2: 'mpeg2',
  VP80: 'vp8',
  VP90: 'vp9',
};

const audioCodecs: Record<number, string> = {
  0x0001: 'pcm',
  0x0003: 'pcm',
  0x0050: 'mp2',
  0x0055: 'mp3',
  0x00ff: 'aac',
  0x1600: 'aac',
  0x706d: 'aac',
  0x2000: 'ac3',
  0x2001: 'dts',
};

/** The header list is small (a few KiB); more than this is not an AVI header Convoy reads. */
const MAX_HDRL = 1024 * 1024;

export async function readAvi(reader: BoundedReader): Promise<MediaFacts> {
  const head = await reader.read(0, 24);
  const riffSize = head.readUInt32LE(4);
  if (riffSize + 8 > reader.size)
    throw new Refusal('truncated', 'is cut short: it ends before its declared length (the copy may be unfinished)');
  if (head.toString('latin1', 12, 16) !== 'LIST' || head.toString('latin1', 20, 24) !== 'hdrl')
    throw new Refusal('unknown', 'has no AVI header list where one belongs');
  const hdrlSize = head.readUInt32LE(16) - 4;
  if (hdrlSize > MAX_HDRL) throw new Refusal('unknown', 'has an AVI header larger than Convoy reads');
  const hdrl = await reader.read(24, hdrlSize);
  let width: number | undefined;
  let height: number | undefined;
  let totalFrames = 0;
  let microSecPerFrame = 0;
  let videoCodec: string | undefined;
  let audioCodec: string | undefined;
  let fps: number | undefined;
  let videoFrames = 0;
  let sawVideo = false;
  let sawAudio = false;
  for (const chunk of chunks(hdrl, 0, hdrl.length)) {
    if (chunk.id === 'avih' && chunk.size >= 40) {
      microSecPerFrame = hdrl.readUInt32LE(chunk.data);
      totalFrames = hdrl.readUInt32LE(chunk.data + 16);
      width = hdrl.readUInt32LE(chunk.data + 32);
      height = hdrl.readUInt32LE(chunk.data + 36);
    } else if (chunk.id === 'LIST' && hdrl.toString('latin1', chunk.data, chunk.data + 4) === 'strl') {
      let type = '';
      for (const part of chunks(hdrl, chunk.data + 4, chunk.data + chunk.size)) {
        if (part.id === 'strh' && part.size >= 36) {
          type = hdrl.toString('latin1', part.data, part.data + 4);
          const scale = hdrl.readUInt32LE(part.data + 20);
          const rate = hdrl.readUInt32LE(part.data + 24);
          const length = hdrl.readUInt32LE(part.data + 32);
          if (type === 'vids' && !sawVideo && scale > 0 && rate > 0) {
            fps = rate / scale;
            videoFrames = length;
          }
        } else if (part.id === 'strf' && type === 'vids' && !sawVideo && part.size >= 20) {
          sawVideo = true;
          const compression = hdrl.toString('latin1', part.data + 16, part.data + 20);
          const code = compression.toUpperCase().replace(/\0/g, '');
          videoCodec = code === '' ? 'raw' : (videoCodecs[code] ?? code.trim().toLowerCase());
          width ||= hdrl.readInt32LE(part.data + 4);
          height ||= Math.abs(hdrl.readInt32LE(part.data + 8));
        } else if (part.id === 'strf' && type === 'auds' && !sawAudio && part.size >= 2) {
          sawAudio = true;
          const tag = hdrl.readUInt16LE(part.data);
          audioCodec = audioCodecs[tag] ?? `0x${tag.toString(16).padStart(4, '0')}`;
        }
      }
    } else if (chunk.id === 'LIST' && hdrl.toString('latin1', chunk.data, chunk.data + 4) === 'odml') {
      // OpenDML (files over 1 GiB): dmlh holds the frame count of every RIFF, not only the first.
      for (const part of chunks(hdrl, chunk.data + 4, chunk.data + chunk.size)) {
        if (part.id === 'dmlh' && part.size >= 4) totalFrames = Math.max(totalFrames, hdrl.readUInt32LE(part.data));
      }
    }
  }
  if (!sawVideo)
    throw new Refusal(
      'not-video',
      sawAudio ? 'is not a video: it holds audio only' : 'is not a video: it holds no video stream',
    );
  const frames = Math.max(totalFrames, videoFrames);
  return cleanFacts({
    container: 'avi',
    durationSec: fps ? frames / fps : (frames * microSecPerFrame) / 1e6,
    width,
    height,
    fps: fps ?? (microSecPerFrame > 0 ? 1e6 / microSecPerFrame : undefined),
    videoCodec,
    audioCodec,
  });
}
