// The same file on the server: another video with the same content (proved by its content hash, never by the sampled
// fingerprint alone, which only nominates candidates), and containers of the same file on this machine (the same
// identity) that a run which lost its journal, or a second run over the same folder, may continue or must defer to.
import type { ApiVideoClient, Video } from '../apivideo/index';
import { CONTENT_KEY, type LocalContent } from './content-hash';
import { FINGERPRINT_KEY, JOB_KEY } from './engine-types';
import type { JobRecord } from './records';
import { isUploaded, metaValue } from './video-facts';

/**
 * Metadata of a container: the file's identity on this machine when it was created, and its cut: the chunk size
 * (sent `part n/T`), or `bytes:<unit>` for an upload sent with byte ranges over a grid of that unit (a version of
 * Convoy that predates byte ranges reads no cut there, and leaves such a container alone).
 */
export const FILE_KEY = 'convoy-file';
export const CHUNK_KEY = 'convoy-chunk';

/** Runs a request through the engine's gate (retries, offline waits). */
export type Call = <T>(fn: () => Promise<T>) => Promise<T>;

/** The metadata a new container carries. */
export function containerMetadata(job: JobRecord, fileKey: string): { key: string; value: string }[] {
  const cut = job.byteRanges ? `bytes:${job.chunkSize!}` : String(job.chunkSize!);
  return [
    { key: FINGERPRINT_KEY, value: job.fingerprint! },
    { key: JOB_KEY, value: `${job.id}:${job.restarts}` },
    { key: FILE_KEY, value: fileKey },
    { key: CHUNK_KEY, value: cut },
  ];
}

/** How a container's file is cut: its chunk size (or unit) and whether it is sent with byte ranges. */
export interface Cut {
  chunkSize: number;
  byteRanges: boolean;
}

/**
 * Videos whose sampled fingerprint matches the job's (candidates only), in the order the server created them: that
 * order, not the createdAt seconds, decides which of two claims came first.
 */
export async function candidatesOf(job: JobRecord, client: ApiVideoClient, call: Call): Promise<Video[]> {
  const page = await call(() =>
    client.videos.list({
      metadata: { [FINGERPRINT_KEY]: job.fingerprint! },
      sortBy: 'createdAt',
      sortOrder: 'asc',
      pageSize: 100,
    }),
  );
  return page.data;
}

/**
 * An uploaded video holding exactly this file's content, other than `exceptVideoId`: its content hash matches the
 * file's, hashed locally with the same cut. A candidate without a content hash proves nothing and is passed over.
 */
export async function provenTwins(
  candidates: Video[],
  local: LocalContent,
  client: ApiVideoClient,
  call: Call,
  exceptVideoId?: string,
): Promise<Video[]> {
  const twins: Video[] = [];
  for (const video of candidates) {
    if (video.videoId === exceptVideoId) continue;
    const content = metaValue(video, CONTENT_KEY);
    if (!content || !(await local.matches(content))) continue;
    const status = await call(() => client.videos.status(video.videoId));
    if (isUploaded(status)) twins.push(video);
  }
  return twins;
}

/** Containers of this very file (same identity on this machine) with a known cut: one of them is continued. */
export function sameFileContainers(candidates: Video[], fileKey: string): Video[] {
  return candidates.filter((video) => metaValue(video, FILE_KEY) === fileKey && cutOf(video) !== null);
}

/** The cut a container was made with. */
export function cutOf(video: Video): Cut | null {
  const match = /^(bytes:)?(\d+)$/.exec(metaValue(video, CHUNK_KEY) ?? '');
  const value = Number(match?.[2]);
  return match && Number.isSafeInteger(value) && value > 0 ? { chunkSize: value, byteRanges: !!match[1] } : null;
}

/**
 * The claim that wins among videos of the same content or file: the first the server created, as listed by
 * candidatesOf. A run that saw only its own claim made it first, so a later one always sees the same winner.
 */
export function earliest(listed: Video[]): Video | undefined {
  return listed[0];
}
