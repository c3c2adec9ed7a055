// The job state rules as a table: for every state, what pause, resume, retry and cancel do, which removals
// abandon a video, and what a job becomes when the engine starts again.
import { describe, expect, it } from 'vitest';
import { jobStates, type JobState } from '../../../common/contract/queue';
import {
  cancelChange,
  pauseChange,
  removalAbandons,
  restoreChange,
  resumeChange,
  retryChange,
} from '../../../main/uploads/job-rules';
import type { JobRecord } from '../../../main/uploads/records';

function job(state: JobState, extra: Partial<JobRecord> = {}): JobRecord {
  return {
    id: 'j',
    seq: 0,
    path: '/v/a.mp4',
    name: 'a.mp4',
    size: 1,
    mtimeMs: 0,
    profileId: 'p',
    title: 'a',
    description: '',
    tags: [],
    public: true,
    state,
    createdAt: 0,
    acked: new Set(),
    restarts: 0,
    ...extra,
  };
}

// state → [pause, resume, retry, cancel, removal abandons, after a restart]
const table: Record<
  JobState,
  [JobState | null, JobState | null, JobState | null, JobState | null, boolean, JobState | null]
> = {
  queued: ['paused', null, null, 'cancelled', true, null],
  uploading: ['paused', null, null, 'cancelled', true, 'queued'],
  retrying: ['paused', null, null, 'cancelled', true, 'queued'],
  offline: ['paused', null, null, 'cancelled', true, 'queued'],
  finalizing: [null, null, null, null, false, 'queued'],
  paused: [null, 'queued', null, 'cancelled', true, null],
  done: [null, null, null, null, false, null],
  failed: [null, null, 'queued', 'cancelled', true, null],
  cancelled: [null, null, 'queued', null, true, null],
  skipped: [null, null, 'queued', null, false, null],
};

describe('job rules', () => {
  it('covers every state', () => {
    expect(Object.keys(table).sort()).toEqual([...jobStates].sort());
  });

  it.each(Object.entries(table) as [JobState, (typeof table)[JobState]][])(
    '%s',
    (state, [pause, resume, retry, cancel, abandons, restored]) => {
      const j = job(state);
      expect(pauseChange(j)?.patch.state ?? null).toBe(pause);
      expect(resumeChange(j)?.patch.state ?? null).toBe(resume);
      expect(retryChange(j)?.patch.state ?? null).toBe(retry);
      expect(cancelChange(j)?.patch.state ?? null).toBe(cancel);
      expect(removalAbandons(j)).toBe(abandons);
      expect(restoreChange(j)?.patch.state ?? null).toBe(restored);
    },
  );

  it('retrying a skipped duplicate forces the upload and forgets the video it pointed at', () => {
    const change = retryChange(job('skipped', { videoId: 'vi1', playerUrl: 'p' }))!;
    expect(change.patch).toEqual({ state: 'queued', force: true });
    expect(change.clear).toEqual(expect.arrayContaining(['reason', 'videoId', 'playerUrl']));
    expect(retryChange(job('failed'))).toEqual({ patch: { state: 'queued' }, clear: ['reason'] });
  });

  it('a job waiting for its key asks again after a restart, and forgets why when resumed', () => {
    expect(restoreChange(job('paused', { waitingForKey: true }))).toEqual({
      patch: { state: 'queued' },
      clear: ['reason', 'waitingForKey'],
    });
    expect(resumeChange(job('paused', { waitingForKey: true }))?.clear).toEqual(['reason']);
    expect(resumeChange(job('paused'))?.clear).toEqual([]);
  });
});
