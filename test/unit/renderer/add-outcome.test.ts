// The add summary says what an add came to, from the files it queued as they are now: files uploaded before are
// "skipped as duplicates", not a green "Added"; files already queued are said apart (one the media check refused
// stays added: its row tells); the summary follows only the files of the last add, and leaves with them.
import { beforeEach, describe, expect, it } from 'vitest';
import type { AddResult } from '../../../common/api';
import { addOutcome } from '../../../renderer/features/uploads/addOutcome';
import { lastAddJobs, queueActions, useQueue } from '../../../renderer/stores/queue';
import { jobView, queueTotals } from '../../support/queue-views';

const result = (patch: Partial<AddResult> = {}): AddResult => ({ added: 0, skipped: [], alreadyQueued: 0, ...patch });
const queued = jobView('q');
const duplicate = jobView('d', { state: 'skipped', reason: 'Already uploaded as vi1' });
const notVideo = jobView('n', { state: 'skipped', refused: 'not-video' });

describe('addOutcome', () => {
  it('a clean add is a success that may leave by itself', () => {
    expect(addOutcome(result({ added: 2 }), [queued, queued])).toEqual({
      tone: 'success',
      headline: 'Added 2 files',
      clean: true,
    });
  });

  it('a re-add of files uploaded before is no "Added": it says they were skipped as duplicates', () => {
    const all = Array.from({ length: 13 }, () => duplicate);
    expect(addOutcome(result({ added: 13 }), all)).toEqual({
      tone: 'info',
      headline: 'Nothing new to upload · 13 files uploaded before, skipped as duplicates',
      clean: false,
    });
    expect(addOutcome(result({ added: 3 }), [queued, duplicate, notVideo])).toEqual({
      tone: 'success',
      headline: 'Added 2 files · 1 file uploaded before, skipped as a duplicate',
      clean: false,
    });
  });

  it('files already in the queue are said apart, as information; a scan with nothing to take warns', () => {
    expect(addOutcome(result({ alreadyQueued: 13 }), [])).toEqual({
      tone: 'info',
      headline: 'Nothing new to upload · 13 already in the queue',
      clean: false,
    });
    expect(addOutcome(result({ skipped: [{ path: '/v/a.txt', reason: 'not a video file' }] }), [])).toMatchObject({
      tone: 'warning',
      headline: 'Nothing was added · skipped 1',
    });
  });
});

describe('the files of the last add', () => {
  beforeEach(() => {
    queueActions.applySnapshot({
      jobs: [jobView('old')],
      totals: queueTotals(),
      settings: { concurrency: 4, bandwidthLimit: null, chunkSize: 'adaptive', waitForPlayable: false },
      network: { online: true, message: '' },
    });
  });

  it('are those the add put in the queue, as main reports them now; the summary leaves when files leave', async () => {
    Object.assign(globalThis, {
      window: {
        convoy: {
          queue: {
            add: async () => {
              queueActions.applyJobs([jobView('new1'), jobView('new2')], []);
              return result({ added: 2 });
            },
          },
        },
      },
    });
    await queueActions.add({ paths: ['/v'] });
    queueActions.applyJobs([jobView('new2', { state: 'skipped' })], []);
    expect(lastAddJobs(useQueue.getState()).map((j) => `${j.id} ${j.state}`)).toEqual(['new1 queued', 'new2 skipped']);
    expect(useQueue.getState().lastAdd).toEqual(result({ added: 2 }));
    queueActions.applyJobs([], ['old']);
    expect(useQueue.getState().lastAdd).toBeNull();
  });
});
