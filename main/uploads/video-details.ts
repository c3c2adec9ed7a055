// A job's video details (title, description, tags, privacy) set on its video, one save per job at a time so the
// newest details win; and what the job says when the server does not hold them (an upload token can only send
// the file, a key is missing this session, or the update was refused).
import { ApiVideoError, type ApiVideoClient } from '../apivideo/index';
import { withoutExtension } from '../lib/file-name';
import { sleep } from '../lib/sleep';
import { backoffCeiling, type RetryPolicy } from './backoff';
import { CONTENT_KEY } from './content-hash';
import { FINGERPRINT_KEY, type LogFn } from './engine-types';
import type { JobPatch, JobRecord } from './records';
import { assetsOf } from './video-facts';

/**
 * Why a token upload with no usable API key of its account differs on the server, or undefined when the user
 * asked for nothing a token upload lacks (a public video titled after its file).
 */
export function tokenOnlyProblem(job: JobRecord): string | undefined {
  const titled = job.title !== job.name && job.title !== withoutExtension(job.name);
  if (job.public && !job.description && job.tags.length === 0 && !titled) return undefined;
  return `An upload token can only send the file: on the server this video is titled "${job.name}" and is public, with no description or tags. Setting them takes an API key of the same account: add such a profile (or enter its key, if it asks for it), then save the details again.`;
}

const KEY_MISSING =
  "Saved here only: the profile's key is not entered this session. Enter it, then save the details again.";

/** Why the details shown are not on the server after an update failed. */
function refusedProblem(error: unknown): string {
  return `The server did not take this video's details: ${error instanceof Error ? error.message : String(error)} Save them again to retry.`;
}

/** The job's patch for a problem, or for none (which clears an earlier one). */
function problemPatch(problem: string | undefined): [JobPatch, (keyof JobRecord)[]] {
  return problem ? [{ detailsProblem: problem }, []] : [{}, ['detailsProblem']];
}

export interface DetailsDeps {
  /** The API-key client that may edit the job's video: its profile's, or for a token upload one of the same account. */
  clientFor(job: JobRecord): ApiVideoClient | null;
  /** Whether the job is still in the journal (not removed meanwhile, the engine not closed). */
  alive(job: JobRecord): boolean;
  setJob(job: JobRecord, patch: JobPatch, clear?: (keyof JobRecord)[]): void;
  log: LogFn;
  /** The engine's back-off: the wait before another try of a save that failed on a blip. */
  retry: RetryPolicy;
}

/** Tries of one save, when the failures are blips (network, 5xx, 429). */
const DETAILS_ATTEMPTS = 4;

/** Whether a job's details can go to its video now: a token upload's only from its end on (finalize sends them first). */
function editable(job: JobRecord): boolean {
  if (job.state === 'skipped') return false; // the video is another file's
  return job.mode !== 'token' || job.state === 'finalizing' || job.state === 'done';
}

export class DetailsSaver {
  private readonly chains = new Map<string, Promise<ApiVideoClient | null>>();

  constructor(private readonly deps: DetailsDeps) {}

  /**
   * Sets the job's details on `videoId` once any earlier save of this job has settled, reading them when it is
   * sent (so the newest edit wins, in order). Resolves with the client that set them; null when the server does
   * not hold them (the job then says what it lacks) or they cannot be sent yet. Never rejects.
   */
  save(job: JobRecord, videoId: string): Promise<ApiVideoClient | null> {
    const next = (this.chains.get(job.id) ?? Promise.resolve(null))
      .then(() => this.saveNow(job, videoId))
      .catch((error: unknown) => {
        this.deps.log('error', `${job.path}: saving the details failed: ${String(error)}`);
        return null;
      });
    this.chains.set(job.id, next);
    void next.then(() => {
      if (this.chains.get(job.id) === next) this.chains.delete(job.id);
    });
    return next;
  }

  private async saveNow(job: JobRecord, videoId: string): Promise<ApiVideoClient | null> {
    const mine = () => this.deps.alive(job) && job.videoId === videoId; // not removed, nor restarted as another video
    if (!mine() || !editable(job)) return null;
    const client = this.deps.clientFor(job);
    if (!client) {
      this.deps.setJob(job, ...problemPatch(job.mode === 'token' ? tokenOnlyProblem(job) : KEY_MISSING));
      return null;
    }
    // A token upload cannot carry metadata: the fingerprint and content hash go with the details, for later dedupe.
    const fingerprint =
      job.mode === 'token' && job.fingerprint
        ? {
            metadata: [
              { key: FINGERPRINT_KEY, value: job.fingerprint },
              ...(job.contentHash ? [{ key: CONTENT_KEY, value: job.contentHash }] : []),
            ],
          }
        : {};
    for (let attempt = 1; ; attempt += 1) {
      try {
        const video = await client.videos.update(videoId, {
          title: job.title,
          description: job.description,
          tags: job.tags,
          public: job.public,
          ...(job.choices?.playerId ? { playerId: job.choices.playerId } : {}),
          ...fingerprint,
        });
        if (mine()) this.deps.setJob(job, assetsOf(video), ['detailsProblem']); // a private video's links carry a token
        return client;
      } catch (error) {
        // A blip (network, 5xx, 429) is tried again a few times; a refusal is said at once.
        const retryable = error instanceof ApiVideoError && error.retryable;
        if (retryable && attempt < DETAILS_ATTEMPTS && mine()) {
          await sleep(backoffCeiling(this.deps.retry, attempt));
          continue;
        }
        this.deps.log('warn', `${job.path}: could not set the details of video ${videoId}: ${String(error)}`);
        if (mine()) this.deps.setJob(job, { detailsProblem: refusedProblem(error) });
        return null;
      }
    }
  }
}
