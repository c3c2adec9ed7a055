// The upload workspace: add files, watch and steer the queue, edit details, import a CSV.
import { useEffect, useRef, useState, type ReactElement } from 'react';
import { hydrate as hydrateQueue, useQueue } from '../../stores/queue';
import { Banner, Button, EmptyState, PageHeader } from '../../ui/controls';
import { AddPanel } from './AddPanel';
import { CsvImportDialog } from './CsvImportDialog';
import { MetadataDialog } from './MetadataDialog';
import { JournalBanner } from './JournalBanner';
import { KeyNeededBanner } from './KeyNeededBanner';
import { OfflineBanner } from './OfflineBanner';
import { StorageBanner } from './StorageBanner';
import { QueueList } from './QueueList';
import { QueueOverview } from './QueueOverview';
import { QueueToolbar } from './QueueToolbar';
import { SettingsControls } from './SettingsControls';
import './uploads.css';

function LoadingState(): ReactElement {
  return (
    <div className="queue-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> Loading the queue…
    </div>
  );
}

/**
 * The last files left the queue (Clear finished, Remove): the toolbar and list that held the focus are gone, so it
 * goes to the add panel's path field (or the heading), not to the page.
 */
function useFocusWhenEmptied(count: number): void {
  const before = useRef(count);
  useEffect(() => {
    const emptied = before.current > 0 && count === 0;
    before.current = count;
    if (!emptied) return;
    requestAnimationFrame(() => {
      const active = document.activeElement;
      if (active && active !== document.body) return;
      (
        document.querySelector<HTMLElement>('[aria-label="Add by path"], #content .add-panel textarea') ??
        document.querySelector<HTMLElement>('#content h1')
      )?.focus();
    });
  }, [count]);
}

export function UploadsScreen(): ReactElement {
  const loaded = useQueue((s) => s.loaded);
  const loadError = useQueue((s) => s.loadError);
  const count = useQueue((s) => s.order.length);
  const [editing, setEditing] = useState<string[] | null>(null);
  const [csvOpen, setCsvOpen] = useState(false);
  const [retrying, setRetrying] = useState(false);

  useFocusWhenEmptied(count);

  const retryLoad = async () => {
    setRetrying(true);
    await hydrateQueue();
    setRetrying(false);
  };

  return (
    <div className="uploads-screen">
      {/* The settings sit in the header so a limit can be set before the first file is added. */}
      <PageHeader
        title="Uploads"
        subtitle={
          count > 0 ? undefined : 'Whole folders to api.video. Uploads survive a dropped network, sleep and restarts.'
        }
        actions={<SettingsControls />}
      />
      <OfflineBanner />
      <StorageBanner />
      <JournalBanner />
      <KeyNeededBanner />
      {loadError ? (
        <Banner
          tone="danger"
          icon="alert"
          action={
            <Button onClick={() => void retryLoad()} busy={retrying}>
              Try again
            </Button>
          }
        >
          Could not load the queue: {loadError}
        </Banner>
      ) : null}
      <AddPanel compact={count > 0} />
      {!loaded && !loadError ? <LoadingState /> : null}
      {loaded && count === 0 ? (
        <EmptyState icon="cloud" title="No videos in the queue">
          Add a folder and Convoy uploads every video in it, in order, resuming where it stopped after any interruption.
        </EmptyState>
      ) : null}
      {count > 0 ? (
        <>
          <QueueOverview />
          <QueueToolbar
            onEditSelection={() => setEditing([...useQueue.getState().selection])}
            onImportCsv={() => setCsvOpen(true)}
          />
          <QueueList onEdit={(id) => setEditing([id])} />
        </>
      ) : null}
      <MetadataDialog ids={editing} onClose={() => setEditing(null)} />
      <CsvImportDialog open={csvOpen} onClose={() => setCsvOpen(false)} />
    </div>
  );
}
