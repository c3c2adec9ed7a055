// Test helper: a plain queued job record for the journal's tests to store.
import type { JobRecord } from '../../main/uploads/records';

export function job(id: string, seq: number, title = id): JobRecord {
  return {
    id,
    seq,
    path: `/videos/${id}.mp4`,
    name: `${id}.mp4`,
    size: 100,
    mtimeMs: 1,
    profileId: 'p',
    title,
    description: '',
    tags: [],
    public: true,
    state: 'queued',
    createdAt: 1,
    acked: new Set(),
    restarts: 0,
  };
}
