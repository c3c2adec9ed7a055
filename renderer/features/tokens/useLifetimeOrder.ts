// Sorting by lifetime the way people read it: "No expiry" is the longest. The server ranks ttl 0 as the shortest,
// so when the list spans several pages this fetches every token once per list change and pages them here.
import { useEffect, useState } from 'react';
import type { PaginationView, UploadTokenView } from '../../../common/api';
import type { TokensQuery } from '../../stores/tokens';
import { orderByLifetime } from './ttl';

/** Enough for any real account (api.video keeps only active tokens); past this the page shows the server's order. */
const MAX_PAGES = 20;

async function fetchAllTokens(): Promise<UploadTokenView[]> {
  const all: UploadTokenView[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const { data, pagination } = await window.convoy.tokens.list({ currentPage: page, pageSize: 100, sortBy: 'ttl', sortOrder: 'asc' });
    all.push(...data);
    if (page >= pagination.pagesTotal) return all;
  }
  throw new Error('too many tokens to sort here');
}

/**
 * The rows to show for this page of `profileId`'s tokens: the server's page as is, or (sorted by lifetime) in
 * lifetime order. While the full list is refetched after a change, the previous one keeps the order steady.
 */
export function useLifetimeOrder(profileId: string, query: TokensQuery, items: UploadTokenView[], pagination: PaginationView | null): UploadTokenView[] {
  const byLifetime = query.sortBy === 'ttl';
  const spansPages = (pagination?.pagesTotal ?? 1) > 1;
  const [everything, setEverything] = useState<{ profileId: string; all: UploadTokenView[] } | null>(null);

  useEffect(() => {
    if (!byLifetime || !spansPages) return;
    let live = true;
    // Refetched whenever the store loads a page (create, delete, refresh, paging): `items` is then a new array.
    fetchAllTokens().then((all) => live && setEverything({ profileId, all }), () => live && setEverything(null));
    return () => { live = false; };
  }, [byLifetime, spansPages, items, profileId]);

  if (!byLifetime) return items;
  if (!spansPages) return orderByLifetime(items, query.sortOrder);
  if (everything?.profileId !== profileId) return items; // first fetch still running: the server's page meanwhile
  const start = (query.currentPage - 1) * query.pageSize;
  return orderByLifetime(everything.all, query.sortOrder).slice(start, start + query.pageSize);
}
