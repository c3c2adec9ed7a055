// What the resident app (tray, close-to-tray, quit confirmation) knows of the work: the engine's totals, pause and
// resume all, and how many watch folders are active. One summary of it, shared by the tray and the quit question.
import type { QueueTotals } from '../../common/api';
import type { UploadEngine } from '../uploads/index';
import { activeStates } from '../uploads/engine-types';
import type { WatchService } from '../watch/index';

/** Watch folders that keep Convoy busy: every one not paused (an unavailable one waits to return). */
export function activeWatchCount(watches: Pick<WatchService, 'list'>): number {
  return watches.list().filter((watch) => watch.state !== 'paused').length;
}

export interface ResidentWork {
  totals(): QueueTotals;
  activeWatches(): number;
  pauseAll(): number;
  resumeAll(): number;
  /** Calls the listener on every change of totals or watches; returns the unsubscribe. */
  onChange(listener: () => void): () => void;
}

export interface WorkSummary {
  /** Files queued or uploading (anything whose run is not over). */
  active: number;
  paused: number;
  done: number;
  failed: number;
  files: number;
  /** Overall progress 0..1 while files are active, else null. */
  fraction: number | null;
  watches: number;
}

export function summarize(totals: QueueTotals, watches: number): WorkSummary {
  let active = 0;
  for (const state of activeStates) active += totals.byState[state] ?? 0;
  return {
    active,
    paused: totals.byState.paused ?? 0,
    done: totals.byState.done ?? 0,
    failed: totals.byState.failed ?? 0,
    files: totals.files,
    fraction:
      active > 0 && totals.bytes > 0
        ? Math.min(1, (totals.confirmedBytes + totals.inflightBytes) / totals.bytes)
        : active > 0
          ? 0
          : null,
    watches,
  };
}

/** The resident app's view of the core's engine and watch service. */
export function residentWork(engine: UploadEngine, watches: WatchService): ResidentWork {
  let totals = engine.snapshot().totals;
  let activeWatches = activeWatchCount(watches);
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const listener of listeners) listener();
  };
  engine.on('progress', (progress) => {
    totals = progress.totals;
    changed();
  });
  watches.on('changed', () => {
    activeWatches = activeWatchCount(watches);
    changed();
  });
  return {
    totals: () => totals,
    activeWatches: () => activeWatches,
    pauseAll: () => engine.control('pause'),
    resumeAll: () => engine.control('resume'),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
