// The sandbox CDN's URL shapes (NOTES.md §5.2, §9): /vod/{videoId}[/token/{privateToken}]/<asset path>, with
// the asset paths of the spec's `video-assets` examples. One place for both the links and the route patterns.

export const ASSET_PATHS = {
  mp4: 'mp4/source.mp4',
  hls: 'hls/manifest.m3u8',
  thumbnail: 'thumbnail.jpg',
} as const;

/** The path of HLS segment `index`, and the route pattern matching it (the index captured). */
export const segmentPath = (index: number): string => `hls/segment-${index}.mp4`;
export const SEGMENT_PATTERN = 'hls/segment-(\\d+)\\.mp4';

/** `${base}/vod/{id}` for a public video; `${base}/vod/{id}/token/{t}` when a private token is given. */
export function vodPrefix(baseUrl: string, videoId: string, privateToken: string | null): string {
  const base = `${baseUrl}/vod/${videoId}`;
  return privateToken === null ? base : `${base}/token/${privateToken}`;
}

/** A literal asset path as a route-pattern fragment. */
export const literalPattern = (assetPath: string): string => assetPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The video (and private token) an asset request's path is for: mp4, thumbnail or HLS; null for other paths. */
export function assetTargetOf(pathname: string): { videoId: string; token: string | null } | null {
  const found = /^\/vod\/([^/]+)(?:\/token\/([^/]+))?\/(?:mp4\/|hls\/|thumbnail\.jpg$)/.exec(pathname);
  if (!found) return null;
  try {
    return {
      videoId: decodeURIComponent(found[1]!),
      token: found[2] === undefined ? null : decodeURIComponent(found[2]),
    };
  } catch {
    return null;
  }
}
