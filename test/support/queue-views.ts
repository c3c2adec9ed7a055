// Test helper: the queue as the renderer sees it (common/api views): a queued job row and totals with every count zero.
import { jobStates, type JobView, type QueueTotals } from '../../common/api';

/** A queued 100-byte job `id` of profile 'p', with `patch` on top. */
export function jobView(id: string, patch: Partial<JobView> = {}): JobView {
  return {
    id,
    path: `/v/${id}.mp4`,
    name: `${id}.mp4`,
    size: 100,
    state: 'queued',
    title: id,
    description: '',
    tags: [],
    public: true,
    confirmedBytes: 0,
    profileId: 'p',
    createdAt: 0,
    ...patch,
  };
}

/** Queue totals with every count zero (no job in any state), with `patch` on top. */
export function queueTotals(patch: Partial<QueueTotals> = {}): QueueTotals {
  return {
    files: 0,
    bytes: 0,
    confirmedBytes: 0,
    inflightBytes: 0,
    speed: 0,
    eta: null,
    needsKey: 0,
    refused: 0,
    byState: Object.fromEntries(jobStates.map((s) => [s, 0])) as QueueTotals['byState'],
    ...patch,
  };
}
