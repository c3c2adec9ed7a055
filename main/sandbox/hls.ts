// HLS for the sandbox CDN: one VOD media playlist (RFC 8216) over the stored source, cut into fixed-size byte
// ranges served as its segments. Durations share out the duration the container states, in proportion to each
// segment's bytes; without one they are nominal (a fixed bytes-per-second): the sandbox never decodes video.

export const HLS_CONTENT_TYPE = 'application/vnd.apple.mpegurl';
/** bytes per segment: every segment but the last is exactly this long */
const SEGMENT_BYTES = 2 * 1024 * 1024;
/** the nominal rate that turns bytes into EXTINF seconds: a full segment lasts 4 s */
const NOMINAL_BYTES_PER_SECOND = SEGMENT_BYTES / 4;

export interface ByteRange {
  start: number;
  /** inclusive */
  end: number;
}

function segmentCount(sourceSize: number): number {
  return Math.ceil(sourceSize / SEGMENT_BYTES);
}

/** The source bytes of segment `index`, or null when the source has no such segment. */
export function segmentRange(sourceSize: number, index: number): ByteRange | null {
  if (!Number.isSafeInteger(index) || index < 0 || index >= segmentCount(sourceSize)) return null;
  const start = index * SEGMENT_BYTES;
  return { start, end: Math.min(sourceSize, start + SEGMENT_BYTES) - 1 };
}

/**
 * The media playlist for a source of `sourceSize` bytes; `uriOf(index)` gives each segment's URI. With
 * `durationSeconds` (what the container states) the segments' EXTINF durations add up to it.
 */
export function mediaPlaylist(
  sourceSize: number,
  uriOf: (index: number) => string,
  durationSeconds: number | null = null,
): string {
  const lines: string[] = [];
  let longest = 0;
  const bytesPerSecond = durationSeconds ? sourceSize / durationSeconds : NOMINAL_BYTES_PER_SECOND;
  for (let index = 0; index < segmentCount(sourceSize); index += 1) {
    const { start, end } = segmentRange(sourceSize, index)!;
    const seconds = (end - start + 1) / bytesPerSecond;
    longest = Math.max(longest, seconds);
    lines.push(`#EXTINF:${seconds.toFixed(3)},`, uriOf(index));
  }
  return [
    '#EXTM3U',
    '#EXT-X-VERSION:3',
    `#EXT-X-TARGETDURATION:${Math.max(1, Math.ceil(longest))}`,
    '#EXT-X-MEDIA-SEQUENCE:0',
    '#EXT-X-PLAYLIST-TYPE:VOD',
    ...lines,
    '#EXT-X-ENDLIST',
    '',
  ].join('\n');
}
