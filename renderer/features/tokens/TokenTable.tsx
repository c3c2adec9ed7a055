// The token list (rows in the order given): sortable by creation time or lifetime, one live countdown per token (one shared
// one-second tick), expired tokens greyed with a badge, and per-row copy, details and delete.
import type { ReactElement } from 'react';
import type { UploadTokenView } from '../../../common/api';
import { Badge, Button, IconButton, ProgressBar } from '../../ui/controls';
import { Icon } from '../../ui/icons';
import { formatDate } from '../../ui/format';
import { tokenActions, useTokens, type TokensQuery } from '../../stores/tokens';
import { CopyButton } from './CopyButton';
import { shortTtl, tokenTimeLeft } from './ttl';
import { useNow } from '../../ui/useNow';

export function TokenTable({
  items,
  onDetails,
  onDelete,
}: {
  items: UploadTokenView[];
  onDetails: (token: UploadTokenView) => void;
  onDelete: (token: UploadTokenView) => void;
}): ReactElement {
  const now = useNow();
  const skewMs = useTokens((s) => s.skewMs);
  const lastCreated = useTokens((s) => s.lastCreated);
  return (
    <div className="token-table-wrap">
      <table className="table token-table" data-testid="token-table">
        <thead>
          <tr>
            <th scope="col">Token</th>
            <SortHeader column="createdAt" label="Created" />
            <SortHeader column="ttl" label="Lifetime" />
            <th scope="col">Expires</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((token) => {
            const left = tokenTimeLeft(token, now + skewMs);
            return (
              <tr
                key={token.token}
                className={`${left.expired ? 'expired' : ''} ${token.token === lastCreated ? 'fresh' : ''}`}
                data-testid="token-row"
                data-token={token.token}
              >
                <td>
                  <code className="token-value">{token.token}</code>
                </td>
                <td className="nowrap created-cell">{formatDate(token.createdAt)}</td>
                <td className="nowrap">{shortTtl(token.ttl)}</td>
                <td className="expires-cell">
                  <ExpiryCell left={left} />
                </td>
                <td className="row-actions">
                  <CopyButton compact text={token.token} label={`Copy token ${token.token}`} testId="copy-token" />
                  <Button
                    variant="ghost"
                    className="token-details-btn"
                    onClick={() => onDetails(token)}
                    aria-label={`Details of token ${token.token}`}
                    data-testid="token-details"
                  >
                    Details
                  </Button>
                  <IconButton
                    icon="trash"
                    label={`Delete token ${token.token}`}
                    onClick={() => onDelete(token)}
                    data-testid="delete-token"
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function ExpiryCell({ left }: { left: ReturnType<typeof tokenTimeLeft> }): ReactElement {
  if (left.fraction === null) {
    return (
      <span className="expiry never">
        <Icon name="clock" size={14} /> Never
      </span>
    );
  }
  if (left.expired) {
    return (
      <span className="expiry" data-testid="countdown">
        <Badge tone="neutral">Expired</Badge>
      </span>
    );
  }
  const tone = left.fraction < 0.1 ? 'danger' : left.fraction < 0.25 ? 'warning' : 'info';
  return (
    <span className="expiry">
      <span className="countdown" data-testid="countdown">
        {left.text}
      </span>
      <ProgressBar value={left.fraction} tone={tone} label="Lifetime left" />
    </span>
  );
}

function SortHeader({ column, label }: { column: TokensQuery['sortBy']; label: string }): ReactElement {
  const query = useTokens((s) => s.query);
  const active = query.sortBy === column;
  const next: TokensQuery['sortOrder'] = active && query.sortOrder === 'desc' ? 'asc' : 'desc';
  return (
    <th scope="col" aria-sort={active ? (query.sortOrder === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button
        type="button"
        className={`sort-btn ${active ? `active ${query.sortOrder}` : ''}`}
        onClick={() => void tokenActions.changeQuery({ sortBy: column, sortOrder: next, currentPage: 1 })}
        aria-label={`Sort by ${label.toLowerCase()}, ${next === 'asc' ? 'ascending' : 'descending'}`}
        data-testid={`sort-${column}`}
      >
        {label}
        <Icon name="chevron" size={14} />
      </button>
    </th>
  );
}
