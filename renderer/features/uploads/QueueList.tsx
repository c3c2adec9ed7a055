// The queue as a virtualized grid: only the rows in view are mounted, so 10,000 files scroll smoothly.
// Ctrl/Cmd+A selects every row, Escape clears the selection. Cancelling a file that has made progress asks first.
import {
  useCallback,
  useEffect,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
  type ReactElement,
} from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { jobBytes, queueActions, useQueue } from '../../stores/queue';
import { ConfirmDialog } from '../../ui/controls';
import { formatBytes } from '../../ui/format';
import { QueueRow, ROW_HEIGHT } from './QueueRow';

/** Cancels one file at once when nothing of it was sent; otherwise asks, saying how much would be thrown away. */
function useCancelOne(): { ask: (id: string) => void; dialog: ReactElement } {
  const [pending, setPending] = useState<{ id: string; name: string; sent: number } | null>(null);
  const ask = useCallback((id: string) => {
    const { jobs, progress } = useQueue.getState();
    const job = jobs.get(id);
    if (!job) return;
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
      onCancel={() => setPending(null)}
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
      checked={all}
      onChange={() => queueActions.selectAll(!all)}
      aria-label="Select all files"
      disabled={count === 0}
    />
  );
}

export function QueueList({ onEdit }: { onEdit: (id: string) => void }): ReactElement {
  const order = useQueue((s) => s.order);
  const scrollRef = useRef<HTMLDivElement>(null);
  const cancelOne = useCancelOne();
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual is the list engine we chose.
  const virtualizer = useVirtualizer({
    count: order.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    getItemKey: (index) => order[index] ?? index,
  });

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const target = event.target as HTMLElement;
    if (target.tagName === 'INPUT' && (target as HTMLInputElement).type !== 'checkbox') return;
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'a') {
      event.preventDefault();
      queueActions.selectAll(true);
    } else if (event.key === 'Escape') {
      queueActions.selectAll(false);
    }
  };

  return (
    <>
      <div
        className="queue-grid"
        role="grid"
        aria-label="Upload queue"
        aria-rowcount={order.length + 1}
        aria-multiselectable="true"
        onKeyDown={onKeyDown}
        style={{ '--list-height': `${virtualizer.getTotalSize()}px` } as CSSProperties}
      >
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
            {virtualizer.getVirtualItems().map((item) => (
              <QueueRow
                key={item.key}
                id={order[item.index]!}
                index={item.index}
                top={item.start}
                onEdit={onEdit}
                onCancel={cancelOne.ask}
              />
            ))}
          </div>
        </div>
      </div>
      {cancelOne.dialog}
    </>
  );
}
