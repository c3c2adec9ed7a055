// A finished video's links as they work now: links the local sandbox made point at the port it had then, so when
// it had to take another port (the stored one was held by another program) they are rebuilt on the one it has.
import type { JobView } from '../../common/contract/queue';

type Links = Pick<JobView, 'playerUrl' | 'embedCode' | 'mp4Url' | 'thumbnailUrl'>;

const loopback = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The links with a loopback origin (the local sandbox's) moved to `serverUrl`'s origin when that is loopback too;
 * every other link (api.video's own hosts) as it is. `serverUrl`: the profile's server now (undefined: unknown).
 */
export function currentLinks<T extends Links>(links: T, serverUrl: string | undefined): T {
  const now = serverUrl ? originOf(serverUrl) : null;
  if (!now || !loopback.has(now.hostname)) return links;
  const move = (text: string | undefined) =>
    text?.replace(/https?:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+/g, (found) =>
      found === now.origin ? found : now.origin,
    );
  const out = { ...links };
  if (links.playerUrl) out.playerUrl = move(links.playerUrl);
  if (links.embedCode) out.embedCode = move(links.embedCode);
  if (links.mp4Url) out.mp4Url = move(links.mp4Url);
  if (links.thumbnailUrl) out.thumbnailUrl = move(links.thumbnailUrl);
  return out;
}

function originOf(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
