// GET /videos/{id}/status: ingest progress (received parts / byte ranges) and a simulated encoding that tells the
// truth about the bytes: a recognised video becomes playable a few seconds of sandbox clock after its source is
// complete, anything else ends with its qualities failed; metadata holds what the container states.
import type { SandboxContext } from './context';
import type { VideoRecord } from './state';
import type { ProbeResult, VideoFacts } from './container-probe';

export const ENCODING_SECONDS = 3;
/** the quality rungs of the status schema, by picture height */
const RUNGS = [
  [240, '240p'],
  [360, '360p'],
  [480, '480p'],
  [720, '720p'],
  [1080, '1080p'],
  [2160, '2160p'],
] as const;
/** the rung said for a video whose container does not state its picture height cheaply (MPEG-TS, MXF) */
const UNKNOWN_HEIGHT_RUNG = '720p';

export type EncodingState = 'none' | 'encoding' | 'encoded' | 'failed';

export interface Encoding {
  state: EncodingState;
  /** what the source was probed to be; null without source bytes */
  probe: ProbeResult | null;
}

/**
 * Where the video's encoding stands: nothing before its source is complete and assembled, then `encoding` for
 * ENCODING_SECONDS, then `encoded` for a recognised video and `failed` for anything else. A URL source, whose bytes
 * the sandbox never fetches, is taken on trust.
 */
export function encodingOf(ctx: SandboxContext, video: VideoRecord): Encoding {
  const { completedAt, assembled } = video.upload;
  if (completedAt === null || !assembled) return { state: 'none', probe: null };
  const probe = video.sourceKind === 'downloaded' ? null : ctx.storage.sourceProbe(video.videoId);
  if (ctx.clock.now() < completedAt + ENCODING_SECONDS * 1000) return { state: 'encoding', probe };
  if (video.sourceKind === 'downloaded') return { state: 'encoded', probe };
  return { state: probe?.kind === 'video' ? 'encoded' : 'failed', probe };
}

export function isPlayable(ctx: SandboxContext, video: VideoRecord): boolean {
  return encodingOf(ctx, video).state === 'encoded';
}

/** The one quality the sandbox encodes (its HLS manifest has one rendition): the highest rung the picture reaches. */
export function qualityOf(facts: VideoFacts | null): string {
  const height = facts?.height ?? null;
  if (height === null) return UNKNOWN_HEIGHT_RUNG;
  return RUNGS.filter(([rung]) => rung <= height).at(-1)?.[1] ?? RUNGS[0][1];
}

function ingestStatus(video: VideoRecord, state: EncodingState) {
  if (video.sourceKind !== 'upload') return state === 'encoded' || state === 'failed' ? 'ingested' : 'ingesting';
  return video.upload.completedAt === null ? 'uploading' : 'uploaded';
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

function metadataOf(facts: VideoFacts | null, filesize: number | null) {
  const duration = facts?.duration ?? null;
  const { width = null, height = null } = facts ?? {};
  return {
    width,
    height,
    bitrate: duration && filesize ? Math.round((filesize * 8) / duration) / 1000 : null,
    duration: duration === null ? null : Math.round(duration),
    framerate: facts?.framerate ? Math.round(facts.framerate) : null,
    samplerate: null,
    videoCodec: null,
    audioCodec: null,
    aspectRatio: width && height ? `${width / gcd(width, height)}/${height / gcd(width, height)}` : null,
  };
}

const QUALITY_STATUS = { encoding: 'encoding', encoded: 'encoded', failed: 'failed' } as const;

export function presentStatus(ctx: SandboxContext, video: VideoRecord) {
  const upload = video.upload;
  const { state, probe } = encodingOf(ctx, video);
  const facts = probe?.kind === 'video' ? probe.facts : null;
  const quality = qualityOf(facts);
  const qualities =
    state === 'none'
      ? []
      : [
          { type: 'hls', quality, status: QUALITY_STATUS[state] },
          ...(video.mp4Support ? [{ type: 'mp4', quality, status: QUALITY_STATUS[state] }] : []),
        ];
  return {
    ingest: {
      status: ingestStatus(video, state),
      filesize: upload.filesize,
      receivedBytes: upload.ranges.map((range) => ({ from: range.from, to: range.to, total: upload.totalBytes ?? 0 })),
      receivedParts: { parts: upload.parts.map((part) => part.n), total: upload.totalParts },
    },
    encoding: {
      playable: state === 'encoded',
      qualities,
      metadata: metadataOf(facts, upload.filesize),
    },
  };
}
