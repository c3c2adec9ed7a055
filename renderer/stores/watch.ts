// Watch folders as main reports them: each watch's folder, state (watching, settling, unavailable, paused) and
// counts, in the order they were added, plus which watch added which job (for the queue's rows).
import { create } from 'zustand';
import type { LoginItemState, RequestInput, WatchOrigin, WatchView } from '../../common/api';
import { messageOf } from '../ui/fieldErrors';

// ---- state ----------------------------------------------------------------------------------------------

export interface WatchStoreState {
  loaded: boolean;
  loadError: string | null;
  /** In the order they were added. */
  watches: WatchView[];
  /** Job id -> the watch that added it. */
  origins: Record<string, WatchOrigin>;
  /** Launch at login, offered once a folder is watched (the desktop app only; null until read). */
  loginItem: LoginItemState | null;
}

export type NewWatch = RequestInput<'watch.add'>;

// ---- actions --------------------------------------------------------------------------------------------

/** Loads every watch and the jobs they added; a failure lands in `loadError`, never rejects. */
export async function hydrate(): Promise<void> {
  try {
    const [{ watches }, { origins }, loginItem] = await Promise.all([
      window.convoy.watch.list({}),
      window.convoy.watch.origins({}),
      window.convoy.app.loginItem({}),
    ]);
    useWatch.setState({ loaded: true, loadError: null, watches: ordered(watches), origins, loginItem });
  } catch (error) {
    useWatch.setState({ loadError: messageOf(error) });
  }
}

/** Follows the watches' changes; returns the unsubscribe. */
export function subscribe(): () => void {
  const offs = [
    window.convoy.on('watch.changed', ({ upserts, removed }) => watchActions.apply(upserts, removed)),
    window.convoy.on('watch.origins', ({ origins }) =>
      useWatch.setState((s) => ({ origins: { ...s.origins, ...origins } })),
    ),
  ];
  return () => {
    for (const off of offs) off();
  };
}

export const watchActions = {
  /** Upserts whole views and drops removed ids. */
  apply(upserts: WatchView[], removed: string[]): void {
    const gone = new Set(removed);
    const byId = new Map(useWatch.getState().watches.map((w) => [w.id, w]));
    for (const id of gone) byId.delete(id);
    for (const view of upserts) byId.set(view.id, view);
    useWatch.setState({ watches: ordered([...byId.values()]) });
  },
  /** Starts watching a folder (rejects with the field at fault); the new watch is shown at once. */
  async add(request: NewWatch): Promise<WatchView> {
    const view = await window.convoy.watch.add(request);
    watchActions.apply([view], []);
    return view;
  },
  async setPaused(id: string, paused: boolean): Promise<void> {
    watchActions.apply([await window.convoy.watch.pause({ id, paused })], []);
  },
  async remove(id: string): Promise<void> {
    await window.convoy.watch.remove({ id });
    watchActions.apply([], [id]);
  },
  /** Turns launch at login on or off (watches then keep running after a restart of the computer). */
  async setOpenAtLogin(openAtLogin: boolean): Promise<void> {
    useWatch.setState({ loginItem: await window.convoy.app.loginItem({ openAtLogin }) });
  },
};

// ---- the store ------------------------------------------------------------------------------------------

export const useWatch = create<WatchStoreState>(() => ({
  loaded: false,
  loadError: null,
  watches: [],
  origins: {},
  loginItem: null,
}));

function ordered(watches: WatchView[]): WatchView[] {
  return [...watches].sort((a, b) => a.createdAt - b.createdAt);
}
