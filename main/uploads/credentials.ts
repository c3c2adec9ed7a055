// The engine's view of its profiles' credentials: the client of a job's profile (or why there is none: a key to
// wait for, a profile that was removed), and the API-key client that may edit or delete a job's video.
import type { ApiVideoClient } from '../apivideo/index';
import type { EngineOptions } from './engine-types';
import { Failure, NoCredentials } from './outcomes';
import type { JobRecord } from './records';

/** The vault's code for a profile that no longer exists (VaultError.code); its jobs cannot go on. */
const PROFILE_GONE = 'not-found';

export class Credentials {
  constructor(private readonly options: Pick<EngineOptions, 'getClient' | 'keyClientFor'>) {}

  /** The profile's client; NoCredentials when its key is missing this session, Failure when it was removed. */
  clientFor(profileId: string): ApiVideoClient {
    try {
      return this.options.getClient(profileId);
    } catch (error) {
      if (codeOf(error) === PROFILE_GONE) throw new Failure('Its profile was removed.');
      throw new NoCredentials(error instanceof Error ? error.message : String(error));
    }
  }

  /** Whether the profile can upload now, waits for its key, or is gone for good (its jobs then fail). */
  availability(profileId: string): 'ready' | 'waiting' | 'gone' {
    try {
      this.options.getClient(profileId);
      return 'ready';
    } catch (error) {
      return codeOf(error) === PROFILE_GONE ? 'gone' : 'waiting';
    }
  }

  clientOrNull(profileId: string): ApiVideoClient | null {
    try {
      return this.options.getClient(profileId);
    } catch {
      return null;
    }
  }

  /** The API-key client that may edit or delete the job's video: its profile's, or a key of a token's account. */
  videoClientOf(job: JobRecord, mode: 'container' | 'token' | undefined = job.mode): ApiVideoClient | null {
    return mode === 'container'
      ? this.clientOrNull(job.profileId)
      : (this.options.keyClientFor?.(job.profileId) ?? null);
  }
}

function codeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? (error as { code: unknown }).code : undefined;
}
