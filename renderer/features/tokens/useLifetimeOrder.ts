// Sorting by lifetime the way people read it: "No expiry" is the longest. The server ranks ttl 0 as the shortest,
// so when the list spans several pages this fetches every token once per list change and pages them here.
import { useEffect, useState } from 'react';
import type { PaginationView, UploadTokenView } from '../../../common/api';
import { tokenActions, type TokensQuery } from '../../stores/tokens';
import { orderByLifetime } from './ttl';

/**
 * The rows to show for this page of `profileId`'s tokens: the server's page as is, or (sorted by lifetime) in
 * lifetime order. While the full list is refetched after a change, the previous one keeps the order steady.
 */
export function useLifetimeOrder(
  profileId: string,
  query: TokensQuery,
  items: UploadTokenView[],
  pagination: PaginationView | null,
): UploadTokenView[] {
  const byLifetime = query.sortBy === 'ttl';
  const spansPages = (pagination?.pagesTotal ?? 1) > 1;
  const [everything, setEverything] = useState<{ profileId: string; all: UploadTokenView[] } | null>(null);

  useEffect(() => {
    if (!byLifetime || !spansPages) return;
    let live = true;
    // Refetched whenever the store loads a page (create, delete, refresh, paging): `items` is then a new array.
    tokenActions.listAll().then(
      (all) => live && setEverything({ profileId, all }),
      () => live && setEverything(null),
    );
    return () => {
      live = false;
    };
  }, [byLifetime, spansPages, items, profileId]);

  if (!byLifetime) return items;
  if (!spansPages) return orderByLifetime(items, query.sortOrder);
  if (everything?.profileId !== profileId) return items; // first fetch still running: the server's page meanwhile
  const start = (query.currentPage - 1) * query.pageSize;
  return orderByLifetime(everything.all, query.sortOrder).slice(start, start + query.pageSize);
}
