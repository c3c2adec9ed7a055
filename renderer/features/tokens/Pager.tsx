// Paging for a server-paged list: page size, previous/next, and "Page X of Y · N tokens".
import type { ReactElement } from 'react';
import type { PaginationView } from '../../../common/api';
import { Button } from '../../ui/controls';

export const pageSizes = [10, 25, 50, 100] as const;

export function Pager({
  pagination,
  pageSize,
  busy,
  onPage,
  onPageSize,
  noun,
}: {
  pagination: PaginationView;
  pageSize: number;
  busy: boolean;
  onPage: (page: number) => void;
  onPageSize: (size: number) => void;
  /** Plural noun for the total, e.g. "tokens". */
  noun: [one: string, many: string];
}): ReactElement {
  const pages = Math.max(1, pagination.pagesTotal);
  const page = Math.min(pagination.currentPage, pages);
  return (
    <nav className="pager" aria-label="Pages">
      <label className="pager-size">
        <span>Per page</span>
        <select value={pageSize} onChange={(e) => onPageSize(Number(e.target.value))} data-testid="page-size">
          {pageSizes.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </label>
      <span className="pager-status" aria-live="polite" data-testid="pager-status">
        Page {page} of {pages} · {pagination.itemsTotal} {pagination.itemsTotal === 1 ? noun[0] : noun[1]}
      </span>
      <div className="pager-buttons">
        <Button
          variant="secondary"
          onClick={() => onPage(page - 1)}
          disabled={busy || page <= 1}
          data-testid="page-prev"
        >
          Previous
        </Button>
        <Button
          variant="secondary"
          onClick={() => onPage(page + 1)}
          disabled={busy || page >= pages}
          data-testid="page-next"
        >
          Next
        </Button>
      </div>
    </nav>
  );
}
