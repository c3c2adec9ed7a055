// The queue as a virtualized grid: only the rows in view are mounted, so 10,000 files scroll smoothly. The grid
// is one tab stop with a roving focus: arrows and Home/End move, Space selects (Shift extends), Enter opens the
// details, Delete cancels (asking first when bytes were sent); Ctrl/Cmd+A selects every row, Escape clears.
import {
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
  type ReactElement,
} from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { filteredOrder, jobBytes, queueActions, useQueue } from '../../stores/queue';
import { ConfirmDialog } from '../../ui/controls';
import { formatBytes } from '../../ui/format';
import { canAct } from './jobStatus';
import { QueueRow, ROW_HEIGHT } from './QueueRow';
import { addRoots } from './rowText';

/** Cancels one file at once when nothing of it was sent; otherwise asks, saying how much would be thrown away. */
function useCancelOne(onDone: () => void): { ask: (id: string) => void; dialog: ReactElement } {
  const [pending, setPending] = useState<{ id: string; name: string; sent: number } | null>(null);
  const ask = useCallback((id: string) => {
    const { jobs, progress } = useQueue.getState();
    const job = jobs.get(id);
    if (!job || !canAct.cancel(job.state)) return;
    const sent = jobBytes(job, progress.get(id));
    if (sent > 0) setPending({ id, name: job.name, sent });
    else void queueActions.control('cancel', [id]);
  }, []);
  const dialog = (
    <ConfirmDialog
      open={pending !== null}
      title="Cancel this upload?"
      message={
        pending
          ? `${formatBytes(pending.sent)} of ${pending.name} were already sent. Cancelling throws that away: if you retry later, the file starts over from the beginning.`
          : ''
      }
      confirmLabel="Cancel upload"
      dismissLabel="Keep uploading"
      onCancel={() => {
        setPending(null);
        onDone();
      }}
      onConfirm={async () => {
        if (pending) await queueActions.control('cancel', [pending.id]);
      }}
    />
  );
  return { ask, dialog };
}

function SelectAllBox(): ReactElement {
  const ref = useRef<HTMLInputElement>(null);
  const count = useQueue((s) => s.order.length);
  const selected = useQueue((s) => s.selection.size);
  const all = count > 0 && selected === count;
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = selected > 0 && !all;
  }, [selected, all]);
  return (
    <input
      ref={ref}
      type="checkbox"
      tabIndex={-1}
      checked={all}
      onChange={() => queueActions.selectAll(!all)}
      aria-label="Select all files (Ctrl+A)"
      disabled={count === 0}
    />
  );
}

/** The rows shown under the state filter, recomputed only when the jobs or the filter change. */
function useShownOrder(): string[] {
  const order = useQueue((s) => s.order);
  const filter = useQueue((s) => s.filter);
  const jobsRev = useQueue((s) => s.jobsRev);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- jobsRev is the signal that the mutable job map changed.
  return useMemo(() => filteredOrder(useQueue.getState(), filter), [order, filter, jobsRev]);
}

/** The folder each queued file was added from, by path; recomputed when the queue's membership changes. */
function useRoots(): Map<string, string> {
  const order = useQueue((s) => s.order);
  return useMemo(() => {
    const { jobs } = useQueue.getState();
    return addRoots(order.map((id) => jobs.get(id)?.path ?? '').filter(Boolean));
  }, [order]);
}

export function QueueList({ onEdit }: { onEdit: (id: string) => void }): ReactElement {
  const order = useShownOrder();
  const roots = useRoots();
  const scrollRef = useRef<HTMLDivElement>(null);
  const [focusId, setFocusId] = useState<string | null>(null);
  const focusWanted = useRef(false);
  // The row the keyboard is on: the one last focused while it is shown, else the first.
  const activeId = focusId !== null && order.includes(focusId) ? focusId : (order[0] ?? null);
  const activeIndex = activeId === null ? -1 : order.indexOf(activeId);
  // After the cancel confirmation closes, the keyboard is back on its row.
  const refocus = useCallback(() => {
    requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>('.queue-row[tabindex="0"]')?.focus());
  }, []);
  const cancelOne = useCancelOne(refocus);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual is the list engine we chose.
  const virtualizer = useVirtualizer({
    count: order.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    getItemKey: (index) => order[index] ?? index,
  });

  // The tab stop sits on the active row while it is mounted, else on the first mounted one: never on none.
  const items = virtualizer.getVirtualItems();
  const tabStop = items.some((i) => order[i.index] === activeId) ? activeId : (order[items[0]?.index ?? 0] ?? null);

  // After a keyboard move the row is scrolled into view, mounted, then focused.
  useEffect(() => {
    if (!focusWanted.current || activeId === null) return;
    const row = scrollRef.current?.querySelector<HTMLElement>(`[data-job-id="${CSS.escape(activeId)}"]`);
    if (row) {
      focusWanted.current = false;
      row.focus({ preventScroll: true });
    }
  });

  const moveTo = (index: number) => {
    const at = Math.max(0, Math.min(order.length - 1, index));
    const id = order[at];
    if (id === undefined) return;
    virtualizer.scrollToIndex(at, { align: 'auto' });
    setFocusId(id);
    // A mounted row takes the focus now; one scrolled in from afar takes it once it is mounted (the effect above).
    const row = scrollRef.current?.querySelector<HTMLElement>(`[data-job-id="${CSS.escape(id)}"]`);
    if (row) row.focus({ preventScroll: true });
    else focusWanted.current = true;
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const target = event.target as HTMLElement;
    if (target.tagName === 'INPUT' && (target as HTMLInputElement).type !== 'checkbox') return;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT) / ROW_HEIGHT) - 1);
    const key = event.key;
    if ((event.ctrlKey || event.metaKey) && key.toLowerCase() === 'a') queueActions.selectAll(true);
    else if (key === 'Escape') queueActions.selectAll(false);
    // A row's own checkbox or button answers its own keys (Space ticks the box); the row's keys are the row's.
    else if (!target.classList.contains('queue-row')) return;
    else if (key === 'ArrowDown') moveTo(activeIndex + 1);
    else if (key === 'ArrowUp') moveTo(activeIndex - 1);
    else if (key === 'PageDown') moveTo(activeIndex + page);
    else if (key === 'PageUp') moveTo(activeIndex - page);
    else if (key === 'Home') moveTo(0);
    else if (key === 'End') moveTo(order.length - 1);
    else if (key === ' ' && activeId) queueActions.toggleSelect(activeId, event.shiftKey);
    else if (key === 'Enter' && activeId) onEdit(activeId);
    else if ((key === 'Delete' || key === 'Backspace') && activeId) cancelOne.ask(activeId);
    else return;
    event.preventDefault();
  };

  return (
    <>
      <div
        className="queue-grid"
        role="grid"
        aria-label="Upload queue"
        aria-rowcount={order.length + 1}
        aria-multiselectable="true"
        aria-describedby="queue-keys"
        onKeyDown={onKeyDown}
        style={{ '--list-height': `${virtualizer.getTotalSize()}px` } as CSSProperties}
      >
        <p id="queue-keys" className="sr-only">
          Arrow keys move between files, Space selects, Enter edits details, Delete cancels.
        </p>
        <div className="queue-row queue-head" role="row" aria-rowindex={1}>
          <div role="columnheader" className="q-check">
            <SelectAllBox />
          </div>
          <div role="columnheader" className="q-name">
            File
          </div>
          <div role="columnheader" className="q-size">
            Size
          </div>
          <div role="columnheader" className="q-state">
            State
          </div>
          <div role="columnheader" className="q-progress">
            Progress
          </div>
          <div role="columnheader" className="q-rate">
            Speed · time left
          </div>
          <div role="columnheader" className="q-actions">
            <span className="sr-only">Actions</span>
          </div>
        </div>
        <div ref={scrollRef} className="queue-scroll" data-testid="queue-scroll">
          <div className="queue-canvas" style={{ height: virtualizer.getTotalSize() }} role="rowgroup">
            {items.map((item) => {
              const id = order[item.index]!;
              return (
                <QueueRow
                  key={item.key}
                  id={id}
                  index={item.index}
                  top={item.start}
                  root={roots.get(useQueue.getState().jobs.get(id)?.path ?? '') ?? ''}
                  focused={id === tabStop}
                  onEdit={onEdit}
                  onCancel={cancelOne.ask}
                  onFocusRow={setFocusId}
                />
              );
            })}
          </div>
        </div>
        {order.length === 0 ? <p className="queue-none muted">No files in this view.</p> : null}
      </div>
      {cancelOne.dialog}
    </>
  );
}
