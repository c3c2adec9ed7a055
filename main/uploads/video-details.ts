// A job's video details (title, description, tags, privacy) as sent to api.video, and what the job says when the
// server does not hold them: an upload token can only send the file, and an update can be refused.
import type { ApiVideoClient, Video } from '../apivideo/index';
import { FINGERPRINT_KEY } from './engine-types';
import { withoutExtension } from './metadata-csv';
import type { JobPatch, JobRecord } from './records';

/**
 * Why a token upload with no API key of its account differs on the server, or undefined when the user asked for
 * nothing a token upload lacks (a public video titled after its file).
 */
export function tokenOnlyProblem(job: JobRecord): string | undefined {
  const titled = job.title !== job.name && job.title !== withoutExtension(job.name);
  if (job.public && !job.description && job.tags.length === 0 && !titled) return undefined;
  return `An upload token can only send the file: on the server this video is titled "${job.name}" and is public, with no description or tags. Add an API-key profile of the same account and save the details again to set them.`;
}

/** The job's patch for a problem, or for none (which clears an earlier one). */
export function problemPatch(problem: string | undefined): [JobPatch, (keyof JobRecord)[]] {
  return problem ? [{ detailsProblem: problem }, []] : [{}, ['detailsProblem']];
}

/** Why the details shown are not on the server after an update failed. */
export function refusedProblem(error: unknown): string {
  return `The server did not take this video's details: ${error instanceof Error ? error.message : String(error)} Save them again to retry.`;
}

/**
 * Sets the job's details on its video through `client` (an API-key client; for a token upload, one of the same
 * account, which also stores the content fingerprint for later dedupe). Resolves with the updated video.
 */
export function pushDetails(client: ApiVideoClient, job: JobRecord, videoId: string, withFingerprint: boolean): Promise<Video> {
  const fingerprint = withFingerprint && job.fingerprint ? { metadata: [{ key: FINGERPRINT_KEY, value: job.fingerprint }] } : {};
  return client.videos.update(videoId, { title: job.title, description: job.description, tags: job.tags, public: job.public, ...fingerprint });
}
