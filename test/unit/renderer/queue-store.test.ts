// The renderer's queue store: events patch it in place (10,000 rows stay cheap), selection ranges follow
// the queue order, and the bytes shown are what the server confirmed plus what is on the wire.
import { beforeEach, describe, expect, it } from 'vitest';
import type { JobProgress, JobView, QueueSnapshot } from '../../../common/api';
import { finishedJobs, jobBytes, queueActions, useQueue } from '../../../renderer/stores/queue';
import { jobView, queueTotals } from '../../support/queue-views';

const { applyJobs, applyProgress, applySnapshot, selectAll, toggleSelect } = queueActions;

const totals = queueTotals();
const job = jobView;

function snapshot(jobs: JobView[]): QueueSnapshot {
  return {
    jobs,
    totals,
    settings: { concurrency: 4, bandwidthLimit: null, chunkSize: 50 * 1024 * 1024, waitForPlayable: false },
    network: { online: true, message: 'Connected.' },
  };
}

beforeEach(() => {
  applySnapshot(snapshot(['a', 'b', 'c', 'd', 'e'].map((id) => job(id))));
  selectAll(false);
});

describe('queue store', () => {
  it('upserts and removes jobs, keeping queue order and pruning the selection', () => {
    selectAll(true);
    applyJobs([job('b', { state: 'uploading' }), job('f')], ['c']);
    const s = useQueue.getState();
    expect(s.order).toEqual(['a', 'b', 'd', 'e', 'f']);
    expect(s.jobs.get('b')?.state).toBe('uploading');
    expect([...s.selection].sort()).toEqual(['a', 'b', 'd', 'e']);
  });

  it('patches progress without copying the queue, and ignores unknown ids', () => {
    const before = useQueue.getState();
    const order = before.order;
    const p: JobProgress = { id: 'a', confirmedBytes: 20, inflightBytes: 30, speed: 5, eta: 10 };
    applyProgress([p, { ...p, id: 'ghost' }], { ...totals, files: 5 });
    const after = useQueue.getState();
    expect(after.order).toBe(order);
    expect(after.progress.get('a')).toEqual(p);
    expect(after.progress.has('ghost')).toBe(false);
    expect(after.progressRev).toBe(before.progressRev + 1);
    expect(after.totals.files).toBe(5);
  });

  it('clears bytes in flight when a job stops uploading', () => {
    applyProgress([{ id: 'a', confirmedBytes: 20, inflightBytes: 30, speed: 5, eta: 10 }], totals);
    applyJobs([job('a', { state: 'paused', confirmedBytes: 20 })], []);
    expect(useQueue.getState().progress.get('a')).toMatchObject({ inflightBytes: 0, speed: 0, eta: null });
  });

  it('selects ranges from the anchor with shift, in either direction', () => {
    toggleSelect('b', false);
    toggleSelect('d', true);
    expect([...useQueue.getState().selection].sort()).toEqual(['b', 'c', 'd']);
    toggleSelect('a', true);
    expect([...useQueue.getState().selection].sort()).toEqual(['a', 'b', 'c', 'd']);
    toggleSelect('b', false); // plain click toggles one row and moves the anchor
    expect(useQueue.getState().selection.has('b')).toBe(false);
  });

  it('counts confirmed plus in-flight bytes, capped at the size; finished jobs in order', () => {
    expect(
      jobBytes(job('x', { confirmedBytes: 40 }), {
        id: 'x',
        confirmedBytes: 50,
        inflightBytes: 80,
        speed: 0,
        eta: null,
      }),
    ).toBe(100);
    expect(
      jobBytes(job('x', { confirmedBytes: 40 }), {
        id: 'x',
        confirmedBytes: 10,
        inflightBytes: 5,
        speed: 0,
        eta: null,
      }),
    ).toBe(45);
    expect(jobBytes(job('x', { state: 'done' }), undefined)).toBe(100);
    applyJobs(
      [
        job('d', { state: 'done', videoId: 'vi1' }),
        job('b', { state: 'finalizing', videoId: 'vi2' }),
        job('c', { state: 'done' }),
      ],
      [],
    );
    expect(finishedJobs(useQueue.getState()).map((j) => j.id)).toEqual(['b', 'd']);
  });
});
