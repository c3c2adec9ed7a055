// The engine's jobs as the watches need them: which job uploads which path of which profile, and its state, kept
// current from the engine's own `jobs` events (one snapshot at start, then O(changes)).
import type { JobState, JobView } from '../../common/contract/queue';
import type { UploadEngine } from '../uploads/index';

export interface IndexedJob {
  id: string;
  profileId: string;
  path: string;
  state: JobState;
  /** When the job was added (epoch ms): a file not modified since is the file it took. */
  createdAt: number;
}

/** A job that has nothing more to do by itself: a new file at its path is a new job. */
export function isFinished(state: JobState): boolean {
  return state === 'done' || state === 'skipped' || state === 'failed' || state === 'cancelled';
}

export type JobChange = (job: IndexedJob, before: JobState | undefined) => void;

export class JobIndex {
  private readonly byPath = new Map<string, IndexedJob>();
  private readonly byId = new Map<string, IndexedJob>();
  private readonly listeners = new Set<JobChange>();
  private readonly removedListeners = new Set<(job: IndexedJob) => void>();
  private readonly stop: () => void;

  constructor(engine: Pick<UploadEngine, 'snapshot' | 'on'>) {
    this.stop = engine.on('jobs', ({ upserts, removed }) => {
      for (const view of upserts) this.upsert(view);
      for (const id of removed) {
        const job = this.byId.get(id);
        if (!job) continue;
        this.byId.delete(id);
        if (this.byPath.get(pathKey(job.profileId, job.path)) === job)
          this.byPath.delete(pathKey(job.profileId, job.path));
        for (const listener of this.removedListeners) listener(job);
      }
    });
    for (const view of engine.snapshot().jobs) this.upsert(view, true);
  }

  at(profileId: string, path: string): IndexedJob | undefined {
    return this.byPath.get(pathKey(profileId, path));
  }

  get(id: string): IndexedJob | undefined {
    return this.byId.get(id);
  }

  /** Called for every job added or changed (not for those found at start). */
  onChange(listener: JobChange): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onRemoved(listener: (job: IndexedJob) => void): () => void {
    this.removedListeners.add(listener);
    return () => this.removedListeners.delete(listener);
  }

  close(): void {
    this.stop();
    this.listeners.clear();
    this.removedListeners.clear();
  }

  private upsert(view: JobView, quiet = false): void {
    const known = this.byId.get(view.id);
    const before = known?.state;
    const job: IndexedJob = {
      id: view.id,
      profileId: view.profileId,
      path: view.path,
      state: view.state,
      createdAt: view.createdAt,
    };
    this.byId.set(job.id, job);
    this.byPath.set(pathKey(job.profileId, job.path), job);
    if (!quiet && before !== job.state) for (const listener of this.listeners) listener(job, before);
  }
}

function pathKey(profileId: string, path: string): string {
  return `${profileId}\u0000${path}`;
}
