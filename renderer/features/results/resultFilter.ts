// Which finished videos Results shows: a search over title, file name, path and videoId, and a filter by
// encoding state. Pure, so the screen and the tests share one rule.
import type { JobView } from '../../../common/api';
import { isEncoding } from '../uploads/jobStatus';

export const encodingFilters = ['all', 'playable', 'encoding', 'failed'] as const;
export type EncodingFilter = (typeof encodingFilters)[number];

/** The filter a video falls under, or null when nothing is known of its encoding (it is shown under "all" only). */
export function encodingClass(job: Pick<JobView, 'state' | 'encoding'>): Exclude<EncodingFilter, 'all'> | null {
  if (job.encoding === 'playable') return 'playable';
  if (job.encoding === 'failed') return 'failed';
  if (isEncoding(job)) return 'encoding';
  return null;
}

type Searchable = Pick<JobView, 'title' | 'name' | 'path' | 'videoId' | 'state' | 'encoding'>;

/** True when every word of the query is in the title, file name, path or videoId, case aside. */
export function matchesSearch(job: Searchable, query: string): boolean {
  const words = query.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = [job.title, job.name, job.path, job.videoId ?? ''].join('\n').toLocaleLowerCase();
  return words.every((word) => haystack.includes(word));
}

export function filterResults<J extends Searchable>(jobs: readonly J[], query: string, filter: EncodingFilter): J[] {
  return jobs.filter((job) => (filter === 'all' || encodingClass(job) === filter) && matchesSearch(job, query));
}

/** How many videos each filter shows (before the search narrows them). */
export function encodingCounts(jobs: readonly Pick<JobView, 'state' | 'encoding'>[]): Record<EncodingFilter, number> {
  const counts: Record<EncodingFilter, number> = { all: jobs.length, playable: 0, encoding: 0, failed: 0 };
  for (const job of jobs) {
    const kind = encodingClass(job);
    if (kind) counts[kind] += 1;
  }
  return counts;
}

/** What the polite live region says after the search or filter changed. */
export function matchesText(shown: number, total: number, narrowed: boolean): string {
  const noun = (n: number) => (n === 1 ? 'video' : 'videos');
  if (!narrowed) return `${total} ${noun(total)} uploaded`;
  return `${shown} of ${total} ${noun(total)} shown`;
}
