// Actions over many files at once: on the selection when there is one, otherwise on everything. Each button
// names what it would act on and is disabled when that is nothing.
import { useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import type { JobState } from '../../../common/api';
import { jobIdsWhere, queueActions, useQueue, type ControlAction } from '../../stores/queue';
import { Button, ConfirmDialog } from '../../ui/controls';
import { canAct } from './jobStatus';

type Confirming = 'cancel' | 'remove' | 'clear' | null;
const confirmText = {
  cancel: { title: 'Cancel uploads?' },
  remove: { title: 'Remove from the queue?' },
  clear: { title: 'Clear finished files?' },
} as const;
const files = (n: number) => (n === 1 ? '1 file' : `${n} files`);

/** The ids each action would touch: in the selection, or in the whole queue ("Retry" there means failed files only). */
function useTargets(selection: ReadonlySet<string>) {
  const jobsRev = useQueue((s) => s.jobsRev);
  return useMemo(() => {
    const s = useQueue.getState();
    const within = selection.size > 0 ? selection : undefined;
    const where = (test: (state: JobState) => boolean) => jobIdsWhere(s, test, within);
    return {
      pause: where(canAct.pause),
      resume: where(canAct.resume),
      retry: where(within ? canAct.retry : (state) => state === 'failed'),
      cancel: where(canAct.cancel),
      remove: within ? [...within] : [],
      clear: jobIdsWhere(s, canAct.clear),
    } satisfies Record<ControlAction | 'clear', string[]>;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- jobsRev is the signal that the mutable job map changed.
  }, [jobsRev, selection]);
}

export function QueueToolbar({
  onEditSelection,
  onImportCsv,
}: {
  onEditSelection: () => void;
  onImportCsv: () => void;
}): ReactElement {
  const selection = useQueue((s) => s.selection);
  const count = selection.size;
  const targets = useTargets(selection);
  const [confirm, setConfirm] = useState<Confirming>(null);
  const scope = count > 0 ? '' : ' all';
  const toolbarRef = useRef<HTMLDivElement>(null);
  const lastFocused = useRef<HTMLButtonElement | null>(null);
  // A button that did its work is often disabled by it (Pause all, with nothing left to pause): focus then moves to
  // the first button still enabled, instead of falling to the page. Checked after every render, since the states
  // that disable it arrive as events after the request's answer.
  useEffect(() => {
    const button = lastFocused.current;
    if (!button?.disabled) return;
    const active = document.activeElement;
    if (active !== button && active !== document.body && active !== null) return;
    lastFocused.current = null;
    toolbarRef.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
  });
  const run = (action: ControlAction, ids: string[], clearing = false) =>
    ids.length > 0 ? queueActions.control(action, ids, clearing) : Promise.resolve(0);
  const none = (what: string) => `Nothing to ${what}${count > 0 ? ' in the selection' : ''}`;
  const retryLabel =
    count > 0 ? 'Retry' : targets.retry.length > 0 ? `Retry ${targets.retry.length} failed` : 'Retry failed';
  const cancelWhat = count > 0 ? `${files(targets.cancel.length)} of the selection` : files(targets.cancel.length);

  return (
    <div
      className="queue-toolbar"
      role="toolbar"
      aria-label="Queue actions"
      ref={toolbarRef}
      onFocus={(e) => {
        if (e.target instanceof HTMLButtonElement) lastFocused.current = e.target;
      }}
    >
      <div className="toolbar-group">
        {/* Without a selection the buttons say "all" themselves. */}
        <span className="selection-count" aria-live="polite">
          {count > 0 ? `${count} selected` : ''}
        </span>
        <Button
          variant="secondary"
          icon="pause"
          onClick={() => void run('pause', targets.pause)}
          disabled={targets.pause.length === 0}
          title={targets.pause.length === 0 ? none('pause') : `Pause ${files(targets.pause.length)}`}
        >
          Pause{scope}
        </Button>
        <Button
          variant="secondary"
          icon="play"
          onClick={() => void run('resume', targets.resume)}
          disabled={targets.resume.length === 0}
          title={targets.resume.length === 0 ? none('resume') : `Resume ${files(targets.resume.length)}`}
        >
          Resume{scope}
        </Button>
        <Button
          variant="secondary"
          icon="retry"
          onClick={() => void run('retry', targets.retry)}
          disabled={targets.retry.length === 0}
          title={targets.retry.length === 0 ? none('retry') : `Upload ${files(targets.retry.length)} again`}
        >
          {retryLabel}
        </Button>
        <Button
          variant="ghost"
          icon="stop"
          onClick={() => setConfirm('cancel')}
          disabled={targets.cancel.length === 0}
          title={targets.cancel.length === 0 ? none('cancel: every file is finished or stopped') : undefined}
        >
          Cancel{scope}
        </Button>
        {count > 0 ? (
          <Button variant="ghost" icon="trash" onClick={() => setConfirm('remove')}>
            Remove
          </Button>
        ) : null}
        {count > 0 ? (
          <Button variant="ghost" onClick={() => queueActions.selectAll(false)}>
            Deselect
          </Button>
        ) : null}
      </div>
      <div className="toolbar-group">
        <Button
          variant="ghost"
          icon="check"
          onClick={() => setConfirm('clear')}
          disabled={targets.clear.length === 0}
          title={
            targets.clear.length === 0
              ? 'No finished files to clear'
              : 'Takes uploaded files and skipped duplicates out of the queue'
          }
        >
          {targets.clear.length > 0 ? `Clear ${targets.clear.length} finished` : 'Clear finished'}
        </Button>
        <Button
          variant="secondary"
          icon="settings"
          onClick={onEditSelection}
          disabled={count === 0}
          title={count === 0 ? 'Select files first' : undefined}
        >
          Edit details{count > 0 ? ` (${count})` : ''}
        </Button>
        <Button variant="secondary" icon="file" onClick={onImportCsv}>
          Import CSV
        </Button>
      </div>
      <ConfirmDialog
        open={confirm !== null}
        title={confirm ? confirmText[confirm].title : ''}
        message={
          confirm === 'remove'
            ? `The ${files(count)} selected leave the queue; uploads not finished yet stop. Videos already uploaded stay on the server.`
            : confirm === 'clear'
              ? `${files(targets.clear.length)} (uploaded, or skipped as duplicates) leave the queue, Results and the manifest export. Their videos stay on the server. Export the manifest first if you need their links.`
              : `The ${cancelWhat} not finished yet stop uploading. Videos already uploaded are not touched. A cancelled file can be retried later; it then starts over from the beginning.`
        }
        confirmLabel={
          confirm === 'remove'
            ? 'Remove'
            : confirm === 'clear'
              ? `Clear ${files(targets.clear.length)}`
              : `Cancel ${files(targets.cancel.length)}`
        }
        dismissLabel={confirm === 'cancel' ? 'Keep uploading' : 'Cancel'}
        onCancel={() => setConfirm(null)}
        onConfirm={async () => {
          if (confirm) await run(confirm === 'clear' ? 'remove' : confirm, targets[confirm], confirm === 'clear');
        }}
      />
    </div>
  );
}
