// The run's closing report: a file given up on between attempts still says what went wrong.
import { describe, expect, it } from 'vitest';
import type { JobView } from '../../../common/contract/queue';
import { notArrived, rememberProblems } from '../../../main/cli/run-report';
import { fakeEvents } from './fake-events';

const job = (over: Partial<JobView>): JobView => ({
  id: 'j1',
  path: '/media/a.mp4',
  name: 'a.mp4',
  size: 10,
  state: 'uploading',
  confirmedBytes: 0,
  profileId: 'p',
  createdAt: 0,
  title: 'a',
  description: '',
  tags: [],
  public: true,
  ...over,
});

describe('the closing report of a run that gave up', () => {
  it('names the last problem of a file caught between attempts', () => {
    const events = fakeEvents();
    const seen = rememberProblems(events.source);
    events.emit(job({ state: 'retrying', reason: 'The server began answering POST /x, then the reply broke off.' }));
    events.emit(job({ state: 'uploading' })); // the next attempt clears the reason on the job
    const [outcome] = notArrived([job({ state: 'uploading' })], 'gave-up', undefined, seen.problems);
    expect(outcome!.reason).toBe(
      'was uploading; the last attempt: The server began answering POST /x, then the reply broke off; saved, resumes on the next run',
    );
    seen.stop();
  });

  it('keeps the plain state when nothing went wrong, and the job’s own reason when it has one', () => {
    const events = fakeEvents();
    const seen = rememberProblems(events.source);
    const [quiet] = notArrived([job({ state: 'uploading' })], 'gave-up', undefined, seen.problems);
    expect(quiet!.reason).toBe('was uploading; saved, resumes on the next run');
    events.emit(job({ state: 'retrying', reason: 'Old problem.' }));
    const [own] = notArrived([job({ state: 'retrying', reason: 'New problem.' })], 'gave-up', undefined, seen.problems);
    expect(own!.reason).toBe('New problem; saved, resumes on the next run');
    const [finished] = notArrived([job({ state: 'uploading' })], 'finished', undefined, seen.problems);
    expect(finished!.reason).toBe('was uploading; saved, resumes on the next run');
  });
});
