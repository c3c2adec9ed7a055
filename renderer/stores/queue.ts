// The upload queue as main reports it: jobs in queue order, their live progress, totals, settings, the network,
// whether the state directory can be written and whether a damaged or lost journal waits for the user's word; and
// what the page keeps of the queue's view across screens (the filter, collapsed groups, the typed path).
// Built for 10,000 rows: events patch Maps in place and bump a revision, rows select their own job.
import { create } from 'zustand';
import type {
  AddResult,
  JobProgress,
  JobState,
  JobView,
  JournalNotice,
  NetworkStatus,
  Notice,
  QueueSettings,
  QueueSnapshot,
  QueueTotals,
  RequestInput,
  ResponseOf,
  StorageStatus,
} from '../../common/api';
import { jobStates } from '../../common/api';
import { appActions } from './app';
import { messageOf } from '../ui/fieldErrors';

// ---- state ----------------------------------------------------------------------------------------------

/** What the page assumes until main says otherwise (the snapshot, or a `queue.storage` event). */
const writable: StorageStatus = { writable: true };

/** Main's answer to a CSV: matches with the values each row will set, unmatched rows with why, errors. */
export type CsvImportResult = ResponseOf<'queue.importCsv'>;

/**
 * `jobs` and `progress` are mutated in place (copying 10,000 entries ten times a second would be the cost of
 * immutability here); every mutation bumps `jobsRev` / `progressRev` so subscribers are told. Selectors read
 * one entry (`s.jobs.get(id)`): entries themselves are replaced, never mutated, so a row re-renders only when
 * its own job or progress changed.
 */
export interface QueueState {
  loaded: boolean;
  loadError: string | null;
  order: string[];
  jobs: Map<string, JobView>;
  progress: Map<string, JobProgress>;
  jobsRev: number;
  progressRev: number;
  totals: QueueTotals;
  settings: QueueSettings | null;
  network: NetworkStatus;
  /** Whether main can write the journal's folder; when not, uploads are paused until it can. */
  storage: StorageStatus;
  /** A damaged or lost journal not yet acknowledged, and how many token uploads wait for the user's word. */
  journal: JournalNotice | null;
  selection: ReadonlySet<string>;
  /** The last row clicked without shift: where a shift-click range starts. */
  anchor: string | null;
  lastAdd: AddResult | null;
  /** The queue's files before the last add: the ones not among them are what it added (its summary follows them). */
  lastAddBefore: ReadonlySet<string>;
  csvResult: CsvImportResult | null;
  filter: QueueFilter;
  /** Added folders (`addedFrom`) whose group the user folded, for this session. */
  collapsedGroups: ReadonlySet<string>;
  /** What is typed in the add panel's path field, kept while another screen shows. */
  addPathText: string;
}

export type ControlAction = RequestInput<'queue.control'>['action'];

/** The queue's state filter: every file, those still under way, those that failed, those finished. */
export type QueueFilter = 'all' | 'active' | 'failed' | 'done';

// ---- actions --------------------------------------------------------------------------------------------

/** Loads the whole queue (start, reconnect, "Try again"); a failure lands in `loadError`, never rejects. */
export async function hydrate(): Promise<void> {
  try {
    queueActions.applySnapshot(await window.convoy.queue.snapshot({}));
  } catch (error) {
    useQueue.setState({ loadError: messageOf(error) });
  }
}

/** Follows the queue's events; returns the unsubscribe. */
export function subscribe(): () => void {
  const convoy = window.convoy;
  const offs = [
    convoy.on('queue.jobs', ({ upserts, removed }) => queueActions.applyJobs(upserts, removed)),
    convoy.on('queue.progress', ({ jobs, totals }) => queueActions.applyProgress(jobs, totals)),
    convoy.on('queue.settings', (settings) => useQueue.setState({ settings })),
    convoy.on('network.status', (network) => useQueue.setState({ network })),
    convoy.on('queue.storage', (storage) => useQueue.setState({ storage })),
    convoy.on('queue.journal', (journal) => useQueue.setState({ journal })),
    convoy.on('queue.batch', ({ kind, message }) =>
      appActions.notify({ level: kind === 'finished' ? 'info' : 'warning', message }),
    ),
  ];
  return () => {
    for (const off of offs) off();
  };
}

export const queueActions = {
  // Applying what main says.

  /** Replaces everything with a snapshot (start, reconnect, main restarted). */
  applySnapshot(snapshot: QueueSnapshot): void {
    const jobs = new Map(snapshot.jobs.map((j) => [j.id, j]));
    const s = useQueue.getState();
    const selection = new Set([...s.selection].filter((id) => jobs.has(id)));
    useQueue.setState({
      loaded: true,
      loadError: null,
      order: snapshot.jobs.map((j) => j.id),
      jobs,
      progress: new Map(),
      jobsRev: s.jobsRev + 1,
      progressRev: s.progressRev + 1,
      totals: snapshot.totals,
      settings: snapshot.settings,
      network: snapshot.network,
      // An engine that does not report it has had no trouble writing.
      storage: snapshot.storage ?? writable,
      journal: snapshot.journal ?? null,
      selection,
    });
  },

  /** Upserts whole job views and drops removed ids; the order array is copied only when membership changes. */
  applyJobs(upserts: JobView[], removed: string[]): void {
    const s = useQueue.getState();
    let order = s.order;
    const added: string[] = [];
    for (const job of upserts) {
      if (!s.jobs.has(job.id)) added.push(job.id);
      s.jobs.set(job.id, job);
      // A finished or stopped job no longer has bytes in flight.
      const p = s.progress.get(job.id);
      if (p && job.state !== 'uploading')
        s.progress.set(job.id, { ...p, confirmedBytes: job.confirmedBytes, inflightBytes: 0, speed: 0, eta: null });
    }
    let selection = s.selection;
    if (removed.length > 0) {
      const gone = new Set(removed);
      for (const id of removed) {
        s.jobs.delete(id);
        s.progress.delete(id);
      }
      order = order.filter((id) => !gone.has(id));
      if ([...selection].some((id) => gone.has(id))) selection = new Set([...selection].filter((id) => !gone.has(id)));
    }
    if (added.length > 0) order = order.concat(added);
    // The add summary counts files in the queue; once files leave, what it says ("13 already in the queue") may no
    // longer be true, so it leaves with them.
    const lastAdd = removed.length > 0 ? null : s.lastAdd;
    useQueue.setState({ order, selection, lastAdd, jobsRev: s.jobsRev + 1 });
  },

  /** Patches fast-moving numbers: O(jobs in the event), no copy of the queue. */
  applyProgress(jobs: JobProgress[], totals: QueueTotals): void {
    const s = useQueue.getState();
    for (const p of jobs) if (s.jobs.has(p.id)) s.progress.set(p.id, p);
    useQueue.setState({ totals, progressRev: s.progressRev + 1 });
  },

  /** The engine is out of reach: speeds and times left are no longer known, so they are dropped, not frozen. */
  clearLive(): void {
    const s = useQueue.getState();
    for (const [id, p] of s.progress) s.progress.set(id, { ...p, inflightBytes: 0, speed: 0, eta: null });
    useQueue.setState({
      totals: { ...s.totals, inflightBytes: 0, speed: 0, eta: null },
      progressRev: s.progressRev + 1,
    });
  },

  // Selection.

  /** A click on a row's checkbox; with shift, selects the range from the anchor to this row. */
  toggleSelect(id: string, range: boolean): void {
    const s = useQueue.getState();
    const next = new Set(s.selection);
    const anchorIndex = s.anchor ? s.order.indexOf(s.anchor) : -1;
    if (range && anchorIndex >= 0) {
      const index = s.order.indexOf(id);
      const [from, to] = index < anchorIndex ? [index, anchorIndex] : [anchorIndex, index];
      const on = s.selection.has(s.anchor!);
      for (const rowId of s.order.slice(from, to + 1)) {
        if (on) next.add(rowId);
        else next.delete(rowId);
      }
      useQueue.setState({ selection: next });
      return;
    }
    if (next.has(id)) next.delete(id);
    else next.add(id);
    useQueue.setState({ selection: next, anchor: id });
  },

  setFilter(filter: QueueFilter): void {
    useQueue.setState({ filter });
  },

  /** Folds or unfolds the group of files added from `key`; `open` forces a side. */
  toggleGroup(key: string, open?: boolean): void {
    const s = useQueue.getState();
    const collapsed = s.collapsedGroups.has(key);
    if (open !== undefined && open === !collapsed) return;
    const next = new Set(s.collapsedGroups);
    if (collapsed) next.delete(key);
    else next.add(key);
    useQueue.setState({ collapsedGroups: next });
  },

  setAddPathText(text: string): void {
    useQueue.setState({ addPathText: text });
  },

  selectAll(on: boolean): void {
    useQueue.setState((s) => ({ selection: on ? new Set(s.order) : new Set(), anchor: null }));
  },

  // Requests to main.

  async add(request: RequestInput<'queue.add'>): Promise<AddResult> {
    const before = new Set(useQueue.getState().order);
    const result = await window.convoy.queue.add(request);
    useQueue.setState({ lastAdd: result, lastAddBefore: before });
    return result;
  },

  dismissAddResult(): void {
    useQueue.setState({ lastAdd: null });
  },

  /**
   * Leaves one sidecar of a file unsent. Main answers whether it was dropped (false: it had already left) and sends
   * the job without it; the row loses the chip at once rather than waiting for that event.
   */
  async dropSidecar(id: string, key: string): Promise<boolean> {
    try {
      const { dropped } = await window.convoy.queue.dropSidecar({ id, key });
      const s = useQueue.getState();
      const job = s.jobs.get(id);
      if (dropped && job?.sidecars?.some((sc) => sc.key === key)) {
        s.jobs.set(id, { ...job, sidecars: job.sidecars.filter((sc) => sc.key !== key) });
        useQueue.setState({ jobsRev: s.jobsRev + 1 });
      }
      if (!dropped) appActions.notify({ level: 'warning', message: 'It was already sent: it stays on the video.' });
      return dropped;
    } catch (error) {
      appActions.notifyError(error);
      return false;
    }
  },

  /**
   * Pause/resume/cancel/retry/remove some jobs, or all of them when `ids` is omitted. A cancel or a removal is
   * confirmed in the toast (`clearing`: the removal is "Clear finished"), as every deletion in the app is.
   */
  async control(action: ControlAction, ids?: string[], clearing = false): Promise<number> {
    // Named before the request: a removed file's name is gone from the store once main's event arrives.
    const names = (ids ?? []).slice(0, 2).map((id) => useQueue.getState().jobs.get(id)?.name ?? '');
    try {
      const { affected } = await window.convoy.queue.control(ids ? { action, ids } : { action });
      const receipt = controlReceipt(action, affected, ids?.length ?? affected, names, clearing);
      if (receipt) appActions.notify(receipt);
      return affected;
    } catch (error) {
      appActions.notifyError(error);
      return 0;
    }
  },

  /** Shows the change at once (controls stay responsive), then takes main's answer; reverts if main refuses. */
  async changeSettings(patch: RequestInput<'queue.settings'>): Promise<void> {
    const before = useQueue.getState().settings;
    if (before) useQueue.setState({ settings: { ...before, ...patch } });
    try {
      useQueue.setState({ settings: await window.convoy.queue.settings(patch) });
    } catch (error) {
      useQueue.setState({ settings: before });
      appActions.notifyError(error);
    }
  },

  async updateMetadata(request: RequestInput<'queue.updateMetadata'>): Promise<number> {
    const { updated } = await window.convoy.queue.updateMetadata(request);
    return updated;
  },

  /** Matches a CSV's rows to queued files; only with `apply` are the details written to those files. */
  async importCsv(csv: string, apply: boolean): Promise<CsvImportResult> {
    const result = await window.convoy.queue.importCsv({ csv, apply });
    useQueue.setState({ csvResult: result });
    return result;
  },

  /**
   * The user read the journal notice and gave their word: the uploads held for it go on. Main also says so with a
   * `queue.journal` event (null); the answer clears the notice even if that event comes late. Returns how many went on.
   */
  async acknowledgeJournal(): Promise<number> {
    try {
      const { resumed } = await window.convoy.queue.acknowledgeJournal({});
      useQueue.setState({ journal: null });
      return resumed;
    } catch (error) {
      appActions.notifyError(error);
      return 0;
    }
  },

  dismissCsvResult(): void {
    useQueue.setState({ csvResult: null });
  },

  /** The manifest of finished uploads as CSV or JSON text, with the file name main suggests. */
  async exportManifest(
    format: RequestInput<'queue.exportManifest'>['format'],
  ): Promise<ResponseOf<'queue.exportManifest'>> {
    return window.convoy.queue.exportManifest({ format });
  },
};

/**
 * What a cancel or a removal did, for the toast: "Cancelled clip.mp4.", "Removed 3 files from the queue.",
 * "Cleared 12 finished files…"; a warning when it did nothing (the files had finished or stopped meanwhile). Null
 * for the other actions, whose result shows on the rows. `asked`: how many files the action named; `names`: the
 * first names among them.
 */
export function controlReceipt(
  action: ControlAction,
  affected: number,
  asked: number,
  names: string[],
  clearing = false,
): Notice | null {
  if (action !== 'cancel' && action !== 'remove') return null;
  const one = asked === 1 && names[0] ? names[0] : null;
  const files = (n: number) => (n === 1 ? (one ?? '1 file') : `${n} files`);
  if (affected === 0)
    return {
      level: 'warning',
      message:
        action === 'cancel'
          ? `Nothing was cancelled: ${one ?? (asked === 1 ? 'the file' : 'the files')} had finished or stopped already.`
          : `Nothing was removed: ${one ?? (asked === 1 ? 'the file' : 'the files')} had left the queue already.`,
    };
  if (action === 'cancel')
    return {
      level: 'info',
      message: `Cancelled ${affected === 1 ? (one ?? '1 upload') : `${affected} uploads`}. Retry starts ${affected === 1 ? 'it' : 'them'} over.`,
    };
  if (clearing)
    return {
      level: 'info',
      message: `Cleared ${affected === 1 ? (one ?? '1 finished file') : `${affected} finished files`} from the queue and Results. The videos stay on the server.`,
    };
  return { level: 'info', message: `Removed ${files(affected)} from the queue.` };
}

// ---- the store ------------------------------------------------------------------------------------------

export const useQueue = create<QueueState>(emptyQueue);

/** Bytes the server confirmed plus bytes on the wire, for one job. */
export function jobBytes(job: JobView, progress: JobProgress | undefined): number {
  if (job.state === 'done' || job.state === 'finalizing') return job.size;
  if (!progress) return job.confirmedBytes;
  return Math.min(job.size, Math.max(job.confirmedBytes, progress.confirmedBytes) + progress.inflightBytes);
}

/** Jobs whose upload finished, in queue order (done and still encoding). */
export function finishedJobs(s: Pick<QueueState, 'order' | 'jobs'>): JobView[] {
  const out: JobView[] = [];
  for (const id of s.order) {
    const job = s.jobs.get(id);
    if (job && (job.state === 'done' || job.state === 'finalizing') && job.videoId) out.push(job);
  }
  return out;
}

/** The jobs the last add put in the queue that are still there, in queue order. */
export function lastAddJobs(s: Pick<QueueState, 'order' | 'jobs' | 'lastAddBefore'>): JobView[] {
  const out: JobView[] = [];
  for (const id of s.order) {
    const job = s.lastAddBefore.has(id) ? undefined : s.jobs.get(id);
    if (job) out.push(job);
  }
  return out;
}

/** Ids of the jobs whose state passes `test`, in queue order: of the whole queue, or only those in `within`. */
export function jobIdsWhere(
  s: Pick<QueueState, 'order' | 'jobs'>,
  test: (state: JobState) => boolean,
  within?: ReadonlySet<string>,
): string[] {
  const out: string[] = [];
  for (const id of s.order) {
    if (within && !within.has(id)) continue;
    const job = s.jobs.get(id);
    if (job && test(job.state)) out.push(id);
  }
  return out;
}

const filterTests: Record<QueueFilter, (state: JobState) => boolean> = {
  all: () => true,
  active: (s) => s !== 'done' && s !== 'finalizing' && s !== 'skipped' && s !== 'failed' && s !== 'cancelled',
  failed: (s) => s === 'failed',
  done: (s) => s === 'done' || s === 'finalizing' || s === 'skipped',
};

/**
 * Whether the job shows under the filter. A file the media check refused is skipped, but it did not arrive and
 * wants a look: it shows under Failed, not Done.
 */
export function inFilter(filter: QueueFilter, job: Pick<JobView, 'state' | 'refused'>): boolean {
  const refused = job.state === 'skipped' && job.refused !== undefined;
  if (refused && (filter === 'failed' || filter === 'done')) return filter === 'failed';
  return filterTests[filter](job.state);
}

/** The ids shown under the filter, in queue order (the whole order, unchanged, for "all"). */
export function filteredOrder(s: Pick<QueueState, 'order' | 'jobs'>, filter: QueueFilter): string[] {
  if (filter === 'all') return s.order;
  return s.order.filter((id) => {
    const job = s.jobs.get(id);
    return job !== undefined && inFilter(filter, job);
  });
}

/** How many jobs each filter shows. */
export function filterCounts(totals: QueueTotals): Record<QueueFilter, number> {
  const count = (filter: QueueFilter) =>
    jobStates.filter((state) => filterTests[filter](state)).reduce((n, state) => n + totals.byState[state], 0);
  return {
    all: totals.files,
    active: count('active'),
    failed: count('failed') + totals.refused,
    done: count('done') - totals.refused,
  };
}

// ---- empty state ----------------------------------------------------------------------------------------

function emptyQueue(): QueueState {
  return {
    loaded: false,
    loadError: null,
    order: [],
    jobs: new Map(),
    progress: new Map(),
    jobsRev: 0,
    progressRev: 0,
    totals: emptyTotals(),
    settings: null,
    network: { online: true, message: '' },
    storage: writable,
    journal: null,
    selection: new Set(),
    anchor: null,
    lastAdd: null,
    lastAddBefore: new Set(),
    csvResult: null,
    filter: 'all',
    collapsedGroups: new Set(),
    addPathText: '',
  };
}

function emptyTotals(): QueueTotals {
  const byState = Object.fromEntries(jobStates.map((s) => [s, 0])) as Record<JobState, number>;
  return {
    files: 0,
    bytes: 0,
    confirmedBytes: 0,
    inflightBytes: 0,
    speed: 0,
    eta: null,
    byState,
    needsKey: 0,
    refused: 0,
  };
}
