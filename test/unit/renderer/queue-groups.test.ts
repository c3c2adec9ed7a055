// The queue grouped by added folder: headers only when files came from more than one, each with its count and
// summary by state; the state filter applies inside groups; a collapsed group keeps its header and hides its files.
import { describe, expect, it } from 'vitest';
import type { JobState, JobView } from '../../../common/api';
import { groupName, groupSummary, queueItems } from '../../../renderer/features/uploads/queueGroups';

function job(id: string, path: string, state: JobState, addedFrom?: string): JobView {
  return {
    id,
    path,
    name: path.split('/').pop()!,
    title: id,
    size: 1,
    state,
    confirmedBytes: 0,
    profileId: 'p',
    createdAt: 0,
    public: true,
    ...(addedFrom ? { addedFrom } : {}),
  } as JobView;
}

function queue(jobs: JobView[]) {
  return { order: jobs.map((j) => j.id), jobs: new Map(jobs.map((j) => [j.id, j])) };
}

const none = new Map<string, string>();
const open = new Set<string>();

describe('queue groups', () => {
  const q = queue([
    job('a1', '/v/shoot/a1.mp4', 'done', '/v/shoot'),
    job('b1', '/v/broll/drone/b1.mp4', 'failed', '/v/broll'),
    job('a2', '/v/shoot/day2/a2.mp4', 'uploading', '/v/shoot'),
    job('a3', '/v/shoot/a3.mp4', 'done', '/v/shoot'),
  ]);

  it('one added folder: rows only, no header', () => {
    const one = queue([job('x', '/v/s/x.mp4', 'done', '/v/s'), job('y', '/v/s/d/y.mp4', 'queued', '/v/s')]);
    const items = queueItems(one.order, one.jobs, 'all', none, open);
    expect(items.map((i) => i.kind)).toEqual(['job', 'job']);
  });

  it('two added folders: a header per folder, in first-queued order, its files under it', () => {
    const items = queueItems(q.order, q.jobs, 'all', none, open);
    expect(items.map((i) => (i.kind === 'group' ? `[${i.group.name}]` : i.id))).toEqual([
      '[shoot]',
      'a1',
      'a2',
      'a3',
      '[broll]',
      'b1',
    ]);
    const shoot = items[0]!.kind === 'group' ? items[0]!.group : null;
    expect(shoot && groupSummary(shoot)).toBe('3 files · 1 active · 2 done');
  });

  it('the filter applies inside groups; a group with nothing under it is left out; counts stay whole', () => {
    const items = queueItems(q.order, q.jobs, 'done', none, open);
    expect(items.map((i) => (i.kind === 'group' ? `[${i.group.name}]` : i.id))).toEqual(['[shoot]', 'a1', 'a3']);
    const shoot = items[0]!.kind === 'group' ? items[0]!.group : null;
    expect(shoot?.files).toBe(3);
  });

  it('a collapsed group shows its header only', () => {
    const items = queueItems(q.order, q.jobs, 'all', none, new Set(['/v/shoot']));
    expect(items.map((i) => (i.kind === 'group' ? `[${i.group.name}${i.group.collapsed ? '+' : ''}]` : i.id))).toEqual([
      '[shoot+]',
      '[broll]',
      'b1',
    ]);
  });

  it('jobs that do not say where they were added from group by the guessed root', () => {
    const old = queue([job('o1', '/t/a/o1.mp4', 'done'), job('o2', '/t/b/o2.mp4', 'done')]);
    const roots = new Map([
      ['/t/a/o1.mp4', '/t/a'],
      ['/t/b/o2.mp4', '/t/b'],
    ]);
    const items = queueItems(old.order, old.jobs, 'all', roots, open);
    expect(items.filter((i) => i.kind === 'group').length).toBe(2);
  });

  it('names and summaries', () => {
    expect(groupName('/v/shoot/')).toBe('shoot');
    expect(groupName('C:\\Videos\\Trip')).toBe('Trip');
    expect(groupName('/')).toBe('/');
    expect(groupSummary({ files: 12, active: 0, done: 3, failed: 1 })).toBe('12 files · 3 done · 1 failed');
    expect(groupSummary({ files: 1, active: 1, done: 0, failed: 0 })).toBe('1 file · 1 active');
  });
});

describe('queue store: what the view keeps for the session', () => {
  it('folds and unfolds a group; a forced side is idempotent', async () => {
    const { queueActions, useQueue } = await import('../../../renderer/stores/queue');
    queueActions.toggleGroup('/v/shoot');
    expect(useQueue.getState().collapsedGroups.has('/v/shoot')).toBe(true);
    queueActions.toggleGroup('/v/shoot', false);
    expect(useQueue.getState().collapsedGroups.has('/v/shoot')).toBe(true);
    queueActions.toggleGroup('/v/shoot', true);
    expect(useQueue.getState().collapsedGroups.has('/v/shoot')).toBe(false);
  });
  it('keeps the typed path', async () => {
    const { queueActions, useQueue } = await import('../../../renderer/stores/queue');
    queueActions.setAddPathText('/v/typed');
    expect(useQueue.getState().addPathText).toBe('/v/typed');
  });
});
