// Browser mode's folder picker: the page cannot see the disk, so main lists folders and the person walks them;
// each level says how many videos sit directly in it, and "Add this folder" queues it (with everything inside).
import { useEffect, useState, type ReactElement } from 'react';
import type { FolderListing } from '../../../common/api';
import { appActions } from '../../stores/app';
import { Button, Dialog, ErrorNote } from '../../ui/controls';
import { Icon } from '../../ui/icons';
import { messageOf } from '../../ui/fieldErrors';

export function FolderBrowserDialog({
  open,
  onClose,
  onChoose,
}: {
  open: boolean;
  onClose: () => void;
  onChoose: (path: string) => void;
}): ReactElement {
  const [listing, setListing] = useState<FolderListing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const go = async (path?: string) => {
    setBusy(true);
    try {
      setListing(await appActions.listFolder(path));
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    if (open && listing === null) queueMicrotask(() => void go());
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the first opening starts at the home folder.
  }, [open]);

  const videos = listing?.videoFiles ?? 0;
  return (
    <Dialog
      open={open}
      title="Choose a folder"
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button
            variant="primary"
            icon="plus"
            disabled={!listing || busy}
            onClick={() => {
              if (listing) onChoose(listing.path);
            }}
            data-testid="folder-add"
          >
            Add this folder
          </Button>
        </>
      }
    >
      <div className="folder-browser" data-testid="folder-browser" aria-busy={busy}>
        <p className="folder-path">
          <Icon name="folder" size={14} /> <code data-testid="folder-path">{listing?.path ?? '…'}</code>
        </p>
        <p className="muted" aria-live="polite">
          {listing
            ? `${videos === 0 ? 'No' : videos} video ${videos === 1 ? 'file' : 'files'} directly in this folder; adding it also takes every folder inside.`
            : 'Loading…'}
        </p>
        {error ? <ErrorNote message={error} testId="folder-error" /> : null}
        <ul className="folder-list" aria-label="Folders inside">
          {listing?.parent ? (
            <li>
              <button type="button" className="folder-item" onClick={() => void go(listing.parent)}>
                <Icon name="chevron" size={14} /> Up to {listing.parent}
              </button>
            </li>
          ) : null}
          {listing?.folders.map((f) => (
            <li key={f.path}>
              <button type="button" className="folder-item" onClick={() => void go(f.path)}>
                <Icon name="folder" size={14} /> {f.name}
              </button>
            </li>
          ))}
          {listing && listing.folders.length === 0 ? <li className="muted">No folders inside.</li> : null}
          {listing && listing.moreFolders > 0 ? (
            <li className="muted">…and {listing.moreFolders} more: type the path instead.</li>
          ) : null}
        </ul>
      </div>
    </Dialog>
  );
}
