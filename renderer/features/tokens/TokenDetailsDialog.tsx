// Details of one upload token, fetched fresh from the server: lifetime, dates, live time left, and a
// ready-to-use upload URL (with a curl example) that anyone can upload to without the API key.
import { useEffect, useState, type ReactElement } from 'react';
import type { UploadTokenView } from '../../../common/api';
import { Badge, Banner, Button, Dialog } from '../../ui/controls';
import { formatDate } from '../../ui/format';
import { tokenActions, useTokens } from '../../stores/tokens';
import { messageOf } from '../../ui/fieldErrors';
import { CopyButton } from './CopyButton';
import { describeTtl, tokenTimeLeft } from './ttl';
import { useNow } from '../../ui/useNow';

export function uploadUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/upload?token=${encodeURIComponent(token)}`;
}

export function TokenDetailsDialog({
  token,
  baseUrl,
  onClose,
  onDelete,
}: {
  token: UploadTokenView | null;
  baseUrl: string;
  onClose: () => void;
  onDelete: (token: UploadTokenView) => void;
}): ReactElement {
  return (
    <Dialog open={token !== null} title="Upload token" onClose={onClose}>
      {token ? (
        <Details key={token.token} listed={token} baseUrl={baseUrl} onClose={onClose} onDelete={onDelete} />
      ) : null}
    </Dialog>
  );
}

function Details({
  listed,
  baseUrl,
  onClose,
  onDelete,
}: {
  listed: UploadTokenView;
  baseUrl: string;
  onClose: () => void;
  onDelete: (token: UploadTokenView) => void;
}): ReactElement {
  const [fresh, setFresh] = useState<UploadTokenView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const now = useNow();
  const skewMs = useTokens((s) => s.skewMs);

  useEffect(() => {
    let live = true;
    tokenActions.get(listed.token).then(
      (t) => live && setFresh(t),
      (e: unknown) => live && setError(messageOf(e)),
    );
    return () => {
      live = false;
    };
  }, [listed.token]);

  const token = fresh ?? listed;
  const left = tokenTimeLeft(token, now + skewMs);
  const url = uploadUrl(baseUrl, token.token);
  const curl = `curl -F "file=@video.mp4" "${url}"`;

  return (
    <div className="token-details" data-testid="token-details-dialog">
      {error ? (
        <Banner tone="danger" icon="alert">
          {error}
        </Banner>
      ) : null}
      <dl className="details-grid">
        <dt>Token</dt>
        <dd className="with-copy">
          <code data-testid="details-token">{token.token}</code>
          <CopyButton compact text={token.token} label="Copy token" />
        </dd>
        <dt>Lifetime</dt>
        <dd>{describeTtl(token.ttl)}</dd>
        <dt>Created</dt>
        <dd>{formatDate(token.createdAt)}</dd>
        <dt>Expires</dt>
        <dd data-testid="details-expires">
          {left.fraction === null ? (
            <span>Never: it works until you delete it</span>
          ) : (
            <>
              {token.expiresAt ? <>{formatDate(token.expiresAt)} · </> : null}
              {left.expired ? <Badge tone="neutral">Expired</Badge> : <span className="countdown">{left.text}</span>}
            </>
          )}
        </dd>
      </dl>
      <div className="upload-url">
        <div className="upload-url-head">
          <h3>Upload URL</h3>
          <CopyButton text={url} what="upload URL" label="Copy upload URL" testId="copy-upload-url" />
        </div>
        <code className="code-block" data-testid="upload-url">
          {url}
        </code>
        <p className="subtle">
          POST a video to it as multipart field <code>file</code>, no API key needed. For example:
        </p>
        <code className="code-block">{curl}</code>
      </div>
      <div className="details-actions">
        <Button variant="ghost" icon="trash" onClick={() => onDelete(token)} className="details-delete">
          Delete token
        </Button>
        <Button variant="primary" onClick={onClose}>
          Close
        </Button>
      </div>
    </div>
  );
}
