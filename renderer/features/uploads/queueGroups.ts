// The queue grouped by what the user added (`addedFrom`, or the folder guessed from the paths when a job does not
// say): a header per group with its name, file count and a summary by state, then its files under the state filter.
// Groups show only when the queue holds files from more than one added folder.
import type { JobView } from '../../../common/api';
import { inFilter, type QueueFilter } from '../../stores/queue';
import { fileName } from './rowText';

export interface QueueGroup {
  /** The folder (or file) added: the group's identity, also what its collapsed state is remembered by. */
  path: string;
  /** Its last part ("footage"), or the whole path for a root ("/"). */
  name: string;
  files: number;
  active: number;
  done: number;
  failed: number;
  collapsed: boolean;
}

/** One line of the list: a group's header or a file's row. `key` is unique across both. */
export type QueueItem = { kind: 'group'; key: string; group: QueueGroup } | { kind: 'job'; key: string; id: string };

/** The key of a group header's line (job ids are UUIDs, never this shape). */
export function groupItemKey(path: string): string {
  return `group:${path}`;
}

/** The name a group is shown by: the last part of what was added. */
export function groupName(path: string): string {
  return fileName(path.replace(/[\\/]+$/, '')) || path;
}

/** "12 files · 3 active · 8 done · 1 failed": the count, then each state the filter buttons know, zeros left out. */
export function groupSummary(group: Pick<QueueGroup, 'files' | 'active' | 'done' | 'failed'>): string {
  return [
    `${group.files} ${group.files === 1 ? 'file' : 'files'}`,
    group.active ? `${group.active} active` : '',
    group.done ? `${group.done} done` : '',
    group.failed ? `${group.failed} failed` : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

/**
 * The lines of the list. One added folder (or none): the files under the filter, no headers. More: per group, in
 * the order each was first queued, its header and (unless collapsed) its files under the filter; a group with no
 * file under the filter is left out. `roots` maps a path to its guessed root, for jobs without `addedFrom`.
 */
export function queueItems(
  order: readonly string[],
  jobs: ReadonlyMap<string, JobView>,
  filter: QueueFilter,
  roots: ReadonlyMap<string, string>,
  collapsed: ReadonlySet<string>,
): QueueItem[] {
  const groups = new Map<string, { group: QueueGroup; shown: string[] }>();
  for (const id of order) {
    const job = jobs.get(id);
    if (!job) continue;
    const path = job.addedFrom ?? roots.get(job.path) ?? '';
    let entry = groups.get(path);
    if (!entry) {
      const group = { path, name: groupName(path), files: 0, active: 0, done: 0, failed: 0, collapsed: false };
      entry = { group: { ...group, collapsed: collapsed.has(path) }, shown: [] };
      groups.set(path, entry);
    }
    const { group, shown } = entry;
    group.files++;
    if (inFilter('active', job)) group.active++;
    else if (inFilter('failed', job)) group.failed++;
    else if (inFilter('done', job)) group.done++;
    if (inFilter(filter, job)) shown.push(id);
  }
  if (groups.size <= 1) return [...groups.values()].flatMap(({ shown }) => jobItems(shown));
  const items: QueueItem[] = [];
  for (const { group, shown } of groups.values()) {
    if (shown.length === 0) continue;
    items.push({ kind: 'group', key: groupItemKey(group.path), group });
    if (!group.collapsed) items.push(...jobItems(shown));
  }
  return items;
}

function jobItems(ids: string[]): QueueItem[] {
  return ids.map((id) => ({ kind: 'job', key: id, id }));
}
