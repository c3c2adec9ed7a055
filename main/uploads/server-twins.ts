// The same file on the server: another video with the same content (proved by its content hash, never by the sampled
// fingerprint alone, which only nominates candidates), and containers of the same file on this machine (the same
// identity) that a run which lost its journal, or a second run over the same folder, may continue or must defer to.
import type { ApiVideoClient, Video } from '../apivideo/index';
import { CONTENT_KEY, type LocalContent } from './content-hash';
import { FINGERPRINT_KEY, JOB_KEY } from './engine-types';
import type { JobRecord } from './records';
import { isUploaded, metaValue } from './video-facts';

/** Metadata of a container: the file's identity on this machine when it was created, and its chunk size. */
export const FILE_KEY = 'convoy-file';
export const CHUNK_KEY = 'convoy-chunk';

/** Runs a request through the engine's gate (retries, offline waits). */
export type Call = <T>(fn: () => Promise<T>) => Promise<T>;

/** The metadata a new container carries. */
export function containerMetadata(
  job: JobRecord,
  fileKey: string,
  chunkSize: number,
): { key: string; value: string }[] {
  return [
    { key: FINGERPRINT_KEY, value: job.fingerprint! },
    { key: JOB_KEY, value: `${job.id}:${job.restarts}` },
    { key: FILE_KEY, value: fileKey },
    { key: CHUNK_KEY, value: String(chunkSize) },
  ];
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
  return candidates.filter((video) => metaValue(video, FILE_KEY) === fileKey && chunkOf(video) !== null);
}

/** The chunk size a container was cut with. */
export function chunkOf(video: Video): number | null {
  const value = Number(metaValue(video, CHUNK_KEY));
  return Number.isInteger(value) && value > 0 ? value : null;
}

/**
 * The claim that wins among videos of the same content or file: the first the server created, as listed by
 * candidatesOf. A run that saw only its own claim made it first, so a later one always sees the same winner.
 */
export function earliest(listed: Video[]): Video | undefined {
  return listed[0];
}
