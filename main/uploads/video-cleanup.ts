// Deletes the unfinished videos the engine abandons (cancelled, removed, restarted, a late first reply) with an
// API key where one allows, and keeps track of those deletions so idle() and close() can wait for them.
import type { Credentials } from './credentials';
import type { LogFn } from './engine-types';
import { uploadFields, videoFields } from './job-rules';
import type { JobStore } from './job-store';
import type { JobRecord } from './records';

export class VideoCleanup {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly store: JobStore,
    private readonly credentials: Credentials,
    private readonly log: LogFn,
  ) {}

  /** Forgets the job's unfinished video and deletes its container where the API key allows. */
  abandon(job: JobRecord, why: string): Promise<void> {
    const videoId = job.videoId;
    const mode = job.mode;
    this.store.replaceAcks(job, []);
    this.store.set(job, {}, [...uploadFields, ...videoFields]);
    return videoId && mode ? this.deleteVideo(job, mode, videoId, why) : Promise.resolve();
  }

  /** Deletes an unfinished video with the job's API key, or for a token upload with a key lent for it, if any. */
  deleteVideo(job: JobRecord, mode: 'container' | 'token', videoId: string, why: string): Promise<void> {
    // A token cannot delete; an API-key profile of the same account can.
    const client = this.credentials.videoClientOf(job, mode);
    if (!client) {
      this.log('info', `left the unfinished video ${videoId} of ${job.path} (${why}): no API key to delete it with`);
      return Promise.resolve();
    }
    return this.track(
      client.videos.delete(videoId).then(
        () => this.log('info', `deleted the unfinished video ${videoId} of ${job.path} (${why})`),
        (error: unknown) =>
          this.log('warn', `could not delete the unfinished video ${videoId} of ${job.path}: ${String(error)}`),
      ),
    );
  }

  /** A deletion idle() and close() wait for. */
  track(promise: Promise<void>): Promise<void> {
    this.pending.add(promise);
    return promise.finally(() => this.pending.delete(promise));
  }

  /** Resolves when every deletion under way has settled. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }
}
