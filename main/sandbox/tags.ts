// GET /tags: every tag of the account's videos with the number of videos carrying it; `value` finds tags containing
// it (ignoring case and accents), sorted by value or videoCount.
import type { SandboxContext } from './context';
import { enumParam } from './http';
import { paginate } from './pagination';

/** Lower case without diacritics: "Éclair" and "eclair" compare equal. */
const folded = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

export function listTags(ctx: SandboxContext, query: URLSearchParams) {
  const sortBy = enumParam(query, 'sortBy', ['value', 'videoCount'] as const, 'value');
  const direction = enumParam(query, 'sortOrder', ['asc', 'desc'] as const, 'asc') === 'asc' ? 1 : -1;
  const search = folded(query.get('value') ?? '');
  const counts = new Map<string, number>();
  for (const video of Object.values(ctx.state.videos))
    for (const tag of video.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  const tags = [...counts]
    .filter(([value]) => folded(value).includes(search))
    .map(([value, videoCount]) => ({ value, videoCount }));
  const byValue = (a: { value: string }, b: { value: string }) => a.value.localeCompare(b.value);
  tags.sort((a, b) =>
    sortBy === 'value' ? direction * byValue(a, b) : direction * (a.videoCount - b.videoCount) || byValue(a, b),
  );
  return paginate(tags, ctx.baseUrl, '/tags', query);
}
