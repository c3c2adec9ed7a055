// The queue as a virtualized grid: only the rows in view are mounted, so 10,000 files scroll smoothly; grouped by
// added folder when there is more than one. The grid is one tab stop with a roving focus over rows and group
// headers: arrows and Home/End move, Space selects (Shift extends), Enter opens the details, Delete cancels (asking
// first when bytes were sent); on a header Space or Enter folds it. Ctrl/Cmd+A selects every row, Escape clears.
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
import { jobBytes, queueActions, useQueue } from '../../stores/queue';
import { ConfirmDialog } from '../../ui/controls';
import { formatBytes } from '../../ui/format';
import { Icon } from '../../ui/icons';
import { canAct } from './jobStatus';
import { QueueRow, ROW_HEIGHT } from './QueueRow';
import { groupItemKey, groupSummary, queueItems, type QueueGroup, type QueueItem } from './queueGroups';
import { addRoots } from './rowText';

/** A group header's height: a little less than a row's, so headers do not crowd out the files. */
const GROUP_HEIGHT = 36;

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

/** The folder each queued file was added from, guessed from the paths: only for jobs that do not say (`addedFrom`). */
function useRoots(): Map<string, string> {
  const order = useQueue((s) => s.order);
  return useMemo(() => {
    const { jobs } = useQueue.getState();
    const unsaid = order.map((id) => jobs.get(id)).filter((job) => job !== undefined && job.addedFrom === undefined);
    return unsaid.length === 0 ? new Map() : addRoots(order.map((id) => jobs.get(id)?.path ?? '').filter(Boolean));
  }, [order]);
}

/** The lines shown: group headers (when files came from more than one added folder) and rows under the filter. */
function useItems(roots: Map<string, string>): QueueItem[] {
  const order = useQueue((s) => s.order);
  const filter = useQueue((s) => s.filter);
  const jobsRev = useQueue((s) => s.jobsRev);
  const collapsed = useQueue((s) => s.collapsedGroups);
  return useMemo(
    () => queueItems(order, useQueue.getState().jobs, filter, roots, collapsed),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- jobsRev is the signal that the mutable job map changed.
    [order, filter, jobsRev, roots, collapsed],
  );
}

/** A group's header: its name (the button folding it), how many files and how they stand, and the path added. */
function GroupHeader({
  group,
  index,
  top,
  focused,
  onFocusItem,
}: {
  group: QueueGroup;
  index: number;
  top: number;
  focused: boolean;
  onFocusItem: (key: string) => void;
}): ReactElement {
  return (
    <div
      className="queue-group"
      role="row"
      aria-rowindex={index + 2}
      tabIndex={focused ? 0 : -1}
      data-group-key={group.path}
      data-collapsed={group.collapsed || undefined}
      onFocus={(e) => {
        if (e.target === e.currentTarget) onFocusItem(groupItemKey(group.path));
      }}
      style={{ transform: `translateY(${top}px)`, height: GROUP_HEIGHT }}
    >
      <div role="gridcell" aria-colspan={7} className="q-group-cell">
        <button
          type="button"
          className="q-group-toggle"
          tabIndex={-1}
          aria-expanded={!group.collapsed}
          onClick={() => queueActions.toggleGroup(group.path)}
        >
          <Icon name="chevron" size={14} />
          <Icon name="folder" size={14} />
          <span className="q-group-name">{group.name}</span>
        </button>
        <span className="q-group-summary" data-testid="group-summary">
          {groupSummary(group)}
        </span>
        <span className="q-group-path mono">{group.path}</span>
      </div>
    </div>
  );
}

export function QueueList({ onEdit }: { onEdit: (id: string) => void }): ReactElement {
  const roots = useRoots();
  const items = useItems(roots);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [focusKey, setFocusKey] = useState<string | null>(null);
  const focusWanted = useRef(false);
  // The line the keyboard is on: the one last focused while it is shown, else the first.
  const focusIndex = focusKey === null ? -1 : items.findIndex((item) => item.key === focusKey);
  const activeIndex = focusIndex >= 0 ? focusIndex : items.length > 0 ? 0 : -1;
  const active = items[activeIndex];
  const activeKey = active?.key ?? null;
  // After the cancel confirmation closes, the keyboard is back on its row.
  const refocus = useCallback(() => {
    requestAnimationFrame(() =>
      scrollRef.current?.querySelector<HTMLElement>('.queue-canvas > [role="row"][tabindex="0"]')?.focus(),
    );
  }, []);
  const cancelOne = useCancelOne(refocus);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual is the list engine we chose.
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    // A row with its reason below is taller: measured once mounted (`measure`), the rest keep their height.
    estimateSize: (index) => (items[index]?.kind === 'group' ? GROUP_HEIGHT : ROW_HEIGHT),
    overscan: 8,
    getItemKey: (index) => items[index]?.key ?? index,
  });

  // The tab stop sits on the active line while it is mounted, else on the first mounted one: never on none.
  const mounted = virtualizer.getVirtualItems();
  const tabStop = mounted.some((i) => items[i.index]?.key === activeKey)
    ? activeKey
    : (items[mounted[0]?.index ?? 0]?.key ?? null);

  const lineOf = (item: QueueItem) =>
    scrollRef.current?.querySelector<HTMLElement>(
      item.kind === 'group'
        ? `[data-group-key="${CSS.escape(item.group.path)}"]`
        : `[data-job-id="${CSS.escape(item.id)}"]`,
    );

  // After a keyboard move the line is scrolled into view, mounted, then focused.
  useEffect(() => {
    if (!focusWanted.current || !active) return;
    const line = lineOf(active);
    if (line) {
      focusWanted.current = false;
      line.focus({ preventScroll: true });
    }
  });

  const moveTo = (index: number) => {
    const at = Math.max(0, Math.min(items.length - 1, index));
    const item = items[at];
    if (item === undefined) return;
    virtualizer.scrollToIndex(at, { align: 'auto' });
    setFocusKey(item.key);
    // A mounted line takes the focus now; one scrolled in from afar takes it once it is mounted (the effect above).
    const line = lineOf(item);
    if (line) line.focus({ preventScroll: true });
    else focusWanted.current = true;
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const target = event.target as HTMLElement;
    if (target.tagName === 'INPUT' && (target as HTMLInputElement).type !== 'checkbox') return;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT) / ROW_HEIGHT) - 1);
    const key = event.key;
    const group = active?.kind === 'group' ? active.group : null;
    const id = active?.kind === 'job' ? active.id : null;
    if ((event.ctrlKey || event.metaKey) && key.toLowerCase() === 'a') queueActions.selectAll(true);
    // Escape clears a selection; with none, it is not the queue's (the toast, if one shows, takes it).
    else if (key === 'Escape' && useQueue.getState().selection.size > 0) queueActions.selectAll(false);
    else if (key === 'Escape') return;
    // A line's own checkbox or button answers its own keys (Space ticks the box); the line's keys are the line's.
    else if (!target.classList.contains('queue-row') && !target.classList.contains('queue-group')) return;
    else if (key === 'ArrowDown') moveTo(activeIndex + 1);
    else if (key === 'ArrowUp') moveTo(activeIndex - 1);
    else if (key === 'PageDown') moveTo(activeIndex + page);
    else if (key === 'PageUp') moveTo(activeIndex - page);
    else if (key === 'Home') moveTo(0);
    else if (key === 'End') moveTo(items.length - 1);
    // On a group's header: Space or Enter folds or unfolds it, Left folds, Right unfolds.
    else if (group && (key === ' ' || key === 'Enter')) queueActions.toggleGroup(group.path);
    else if (group && key === 'ArrowLeft') queueActions.toggleGroup(group.path, false);
    else if (group && key === 'ArrowRight') queueActions.toggleGroup(group.path, true);
    else if (key === ' ' && id) queueActions.toggleSelect(id, event.shiftKey);
    else if (key === 'Enter' && id) onEdit(id);
    else if ((key === 'Delete' || key === 'Backspace') && id) cancelOne.ask(id);
    else return;
    event.preventDefault();
  };

  return (
    <>
      <div
        className="queue-grid"
        role="grid"
        aria-label="Upload queue"
        aria-rowcount={items.length + 1}
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
            {mounted.map((line) => {
              const item = items[line.index]!;
              return item.kind === 'group' ? (
                <GroupHeader
                  key={line.key}
                  group={item.group}
                  index={line.index}
                  top={line.start}
                  focused={item.key === tabStop}
                  onFocusItem={setFocusKey}
                />
              ) : (
                <QueueRow
                  key={line.key}
                  id={item.id}
                  index={line.index}
                  top={line.start}
                  root={roots.get(useQueue.getState().jobs.get(item.id)?.path ?? '') ?? ''}
                  focused={item.key === tabStop}
                  onEdit={onEdit}
                  onCancel={cancelOne.ask}
                  onFocusRow={setFocusKey}
                  measure={virtualizer.measureElement}
                />
              );
            })}
          </div>
        </div>
        {items.length === 0 ? <p className="queue-none muted">No files in this view.</p> : null}
      </div>
      {cancelOne.dialog}
    </>
  );
}
