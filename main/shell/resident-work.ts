// What the resident app (tray, close-to-tray, quit confirmation) knows of the work: the engine's totals, pause and
// resume all, and how many watch folders are active. One summary of it, shared by the tray and the quit question.
import type { QueueTotals } from '../../common/api';
import type { UploadEngine } from '../uploads/index';
import { activeStates } from '../uploads/engine-types';
import type { WatchService } from '../watch/index';

/** What the watch service must expose for the resident app (helper H6's WatchService). */
export interface WatchActivity {
  /** Watch folders currently watching (not paused, not removed); unavailable ones that wait to return count too. */
  activeWatches(): number;
  /** Calls the listener when that number may have changed; returns the unsubscribe. */
  onActivityChange?(listener: () => void): () => void;
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

function watchActivity(watches: WatchService): WatchActivity | null {
  const candidate = watches as WatchService & Partial<WatchActivity>;
  return typeof candidate.activeWatches === 'function' ? (candidate as WatchActivity) : null;
}

/** The resident app's view of the core's engine and watch service. */
export function residentWork(engine: UploadEngine, watches: WatchService): ResidentWork {
  let totals = engine.snapshot().totals;
  const activity = watchActivity(watches);
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const listener of listeners) listener();
  };
  engine.on('progress', (progress) => {
    totals = progress.totals;
    changed();
  });
  activity?.onActivityChange?.(changed);
  return {
    totals: () => totals,
    activeWatches: () => activity?.activeWatches() ?? 0,
    pauseAll: () => engine.control('pause'),
    resumeAll: () => engine.control('resume'),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
