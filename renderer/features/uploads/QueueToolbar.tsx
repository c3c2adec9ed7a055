// Actions over many files at once: on the selection when there is one, otherwise on everything; plus the
// live concurrency and bandwidth controls.
import { useState, type ReactElement } from 'react';
import { changeSettings, controlJobs, selectAll, useQueue, type ControlAction } from '../../stores/queue';
import { Button, ConfirmDialog } from '../../ui/controls';

const MiB = 1024 * 1024;
const bandwidthChoices: { label: string; value: number | null }[] = [
  { label: 'Unlimited', value: null },
  { label: '1 MB/s', value: 1 * MiB },
  { label: '2 MB/s', value: 2 * MiB },
  { label: '5 MB/s', value: 5 * MiB },
  { label: '10 MB/s', value: 10 * MiB },
  { label: '25 MB/s', value: 25 * MiB },
  { label: '50 MB/s', value: 50 * MiB },
];

function SettingsControls(): ReactElement | null {
  const settings = useQueue((s) => s.settings);
  if (!settings) return null;
  const knownLimit = bandwidthChoices.some((c) => c.value === settings.bandwidthLimit);
  return (
    <div className="queue-settings" aria-label="Upload settings" role="group">
      <label className="inline-field">
        <span>Parallel uploads</span>
        <select value={settings.concurrency} aria-label="Parallel uploads"
          onChange={(e) => void changeSettings({ concurrency: Number(e.target.value) })}>
          {[1, 2, 3, 4, 6, 8, 12, 16].map((n) => <option key={n} value={n}>{n}</option>)}
        </select>
      </label>
      <label className="inline-field">
        <span>Bandwidth</span>
        <select value={settings.bandwidthLimit ?? ''} aria-label="Bandwidth limit"
          onChange={(e) => void changeSettings({ bandwidthLimit: e.target.value === '' ? null : Number(e.target.value) })}>
          {bandwidthChoices.map((c) => <option key={c.label} value={c.value ?? ''}>{c.label}</option>)}
          {!knownLimit && settings.bandwidthLimit !== null
            ? <option value={settings.bandwidthLimit}>{(settings.bandwidthLimit / MiB).toFixed(1)} MB/s</option> : null}
        </select>
      </label>
    </div>
  );
}

export function QueueToolbar({ onEditSelection, onImportCsv }: { onEditSelection: () => void; onImportCsv: () => void }): ReactElement {
  const selection = useQueue((s) => s.selection);
  const count = selection.size;
  const [confirm, setConfirm] = useState<'cancel' | 'remove' | null>(null);
  const scope = count > 0 ? `${count} selected` : 'all';
  const run = (action: ControlAction) => void controlJobs(action, count > 0 ? [...selection] : undefined);

  return (
    <div className="queue-toolbar" role="toolbar" aria-label="Queue actions">
      <div className="toolbar-group">
        <span className="selection-count" aria-live="polite">{count > 0 ? `${count} selected` : 'No selection: actions apply to all'}</span>
        <Button variant="secondary" icon="pause" onClick={() => run('pause')}>Pause {scope}</Button>
        <Button variant="secondary" icon="play" onClick={() => run('resume')}>Resume {scope}</Button>
        <Button variant="secondary" icon="retry" onClick={() => run('retry')}>Retry {count > 0 ? 'selected' : 'failed'}</Button>
        <Button variant="ghost" icon="stop" onClick={() => setConfirm('cancel')}>Cancel {scope}</Button>
        {count > 0 ? <Button variant="ghost" icon="trash" onClick={() => setConfirm('remove')}>Remove</Button> : null}
        {count > 0 ? <Button variant="ghost" onClick={() => selectAll(false)}>Clear selection</Button> : null}
      </div>
      <div className="toolbar-group">
        <Button variant="secondary" icon="settings" onClick={onEditSelection} disabled={count === 0}
          title={count === 0 ? 'Select files first' : undefined}>Edit details{count > 0 ? ` (${count})` : ''}</Button>
        <Button variant="secondary" icon="file" onClick={onImportCsv}>Import CSV</Button>
        <SettingsControls />
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
