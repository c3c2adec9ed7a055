// Actions over many files at once: on the selection when there is one, otherwise on everything.
import { useState, type ReactElement } from 'react';
import { controlJobs, selectAll, useQueue, type ControlAction } from '../../stores/queue';
import { Button, ConfirmDialog } from '../../ui/controls';

export function QueueToolbar({ onEditSelection, onImportCsv }: { onEditSelection: () => void; onImportCsv: () => void }): ReactElement {
  const selection = useQueue((s) => s.selection);
  const count = selection.size;
  const [confirm, setConfirm] = useState<'cancel' | 'remove' | null>(null);
  const scope = count > 0 ? '' : ' all';
  const run = (action: ControlAction) => void controlJobs(action, count > 0 ? [...selection] : undefined);

  return (
    <div className="queue-toolbar" role="toolbar" aria-label="Queue actions">
      <div className="toolbar-group">
        <span className="selection-count" aria-live="polite">{count > 0 ? `${count} selected` : 'All files'}</span>
        <Button variant="secondary" icon="pause" onClick={() => run('pause')}>Pause{scope}</Button>
        <Button variant="secondary" icon="play" onClick={() => run('resume')}>Resume{scope}</Button>
        <Button variant="secondary" icon="retry" onClick={() => run('retry')}>{count > 0 ? 'Retry' : 'Retry failed'}</Button>
        <Button variant="ghost" icon="stop" onClick={() => setConfirm('cancel')}>Cancel{scope}</Button>
        {count > 0 ? <Button variant="ghost" icon="trash" onClick={() => setConfirm('remove')}>Remove</Button> : null}
        {count > 0 ? <Button variant="ghost" onClick={() => selectAll(false)}>Clear</Button> : null}
      </div>
      <div className="toolbar-group">
        <Button variant="secondary" icon="settings" onClick={onEditSelection} disabled={count === 0}
          title={count === 0 ? 'Select files first' : undefined}>Edit details{count > 0 ? ` (${count})` : ''}</Button>
        <Button variant="secondary" icon="file" onClick={onImportCsv}>Import CSV</Button>
      </div>
      <ConfirmDialog open={confirm !== null}
        title={confirm === 'remove' ? 'Remove from the queue?' : 'Cancel uploads?'}
        message={confirm === 'remove'
          ? `The ${count} selected files leave the queue. Files already uploaded stay on the server.`
          : `Uploads of ${count > 0 ? `the ${count} selected files` : 'every file in the queue'} stop. You can retry them later; a cancelled upload starts over.`}
        confirmLabel={confirm === 'remove' ? 'Remove' : 'Cancel uploads'}
        onCancel={() => setConfirm(null)}
        onConfirm={() => {
          if (confirm) run(confirm);
          setConfirm(null);
        }} />
    </div>
  );
}
