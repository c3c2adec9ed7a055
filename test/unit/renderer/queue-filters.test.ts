// The queue's state filters: a file the media check refused did not arrive and wants a look, so it shows and counts
// under Failed, not Done, and the overview does not call it a duplicate.
import { describe, expect, it } from 'vitest';
import { filterCounts, filteredOrder, inFilter } from '../../../renderer/stores/queue';
import { jobView, queueTotals } from '../../support/queue-views';

describe('queue filters', () => {
  const jobs = new Map(
    [
      jobView('done', { state: 'done' }),
      jobView('twin', { state: 'skipped' }),
      jobView('pdf', { state: 'skipped', refused: 'not-video' }),
      jobView('bad', { state: 'failed' }),
      jobView('next', { state: 'queued' }),
    ].map((job) => [job.id, job]),
  );
  const order = [...jobs.keys()];

  it('shows a refused file under Failed and a duplicate under Done', () => {
    expect(filteredOrder({ order, jobs }, 'failed')).toEqual(['pdf', 'bad']);
    expect(filteredOrder({ order, jobs }, 'done')).toEqual(['done', 'twin']);
    expect(filteredOrder({ order, jobs }, 'active')).toEqual(['next']);
    expect(inFilter('done', jobs.get('pdf')!)).toBe(false);
  });

  it('counts them the same way from the totals', () => {
    const byState = { ...queueTotals().byState, done: 1, skipped: 2, failed: 1, queued: 1 };
    expect(filterCounts(queueTotals({ files: 5, byState, refused: 1 }))).toEqual({
      all: 5,
      active: 1,
      failed: 2,
      done: 2,
    });
  });
});
