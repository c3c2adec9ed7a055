// App-wide state: which screen is shown, the app's info, the bridge connection and transient notices, plus the
// app's own requests to main (native pickers, opening a link, saving a file) for the screens that need them.
import { create } from 'zustand';
import type { AppInfo, FolderListing, Notice, RequestInput } from '../../common/api';
import type { Gone } from '../bridge';
import { messageOf } from '../ui/fieldErrors';

// ---- state ----------------------------------------------------------------------------------------------

export type View = 'uploads' | 'results' | 'tokens' | 'profiles' | 'watch';

export interface ToastNotice extends Notice {
  id: number;
}

export interface AppState {
  view: View;
  info: AppInfo | null;
  connected: boolean;
  /** Browser mode: the server this tab belongs to is gone (restarted, or not answering), and why. */
  gone: Gone | null;
  notices: ToastNotice[];
}

// ---- actions --------------------------------------------------------------------------------------------

/** Loads the app's info (version, mode, what the OS offers). */
export async function hydrate(): Promise<void> {
  useApp.setState({ info: await window.convoy.app.info({}) });
}

/** Follows main's notices; returns the unsubscribe. */
export function subscribe(): () => void {
  return window.convoy.on('app.notice', (notice) => appActions.notify(notice));
}

let nextNotice = 1;
/** How long a notice that is not an error stays: long enough to read twice. */
export const NOTICE_SHOWN_MS = 6000;
/** The timers of notices that go by themselves; a notice held (pointer or focus on it) has none until released. */
const noticeTimers = new Map<number, ReturnType<typeof setTimeout>>();

function expireLater(id: number): void {
  clearTimeout(noticeTimers.get(id));
  noticeTimers.set(
    id,
    setTimeout(() => appActions.dismiss(id), NOTICE_SHOWN_MS),
  );
}

export const appActions = {
  setView(view: View): void {
    useApp.setState({ view });
  },
  setConnected(connected: boolean): void {
    useApp.setState({ connected });
  },
  setGone(gone: Gone | null): void {
    useApp.setState({ gone });
  },
  /**
   * Shows a notice in the app's toast (the one for every confirmation and transient error: copies, deletions,
   * removals); all but errors go away by themselves. It never takes the focus; Escape dismisses the newest.
   */
  notify(notice: Notice): void {
    const id = nextNotice++;
    useApp.setState((s) => ({ notices: [...s.notices.slice(-3), { ...notice, id }] }));
    if (notice.level !== 'error') expireLater(id);
  },
  /** The pointer or the focus is on a notice: it stays while it is being read. */
  holdNotice(id: number): void {
    clearTimeout(noticeTimers.get(id));
    noticeTimers.delete(id);
  },
  /** The pointer or the focus left it: a notice that goes by itself starts its time again. */
  releaseNotice(id: number): void {
    const notice = useApp.getState().notices.find((n) => n.id === id);
    if (notice && notice.level !== 'error') expireLater(id);
  },
  /** Escape: the newest notice goes (nothing else is closed by that key press). False when there was none. */
  dismissNewest(): boolean {
    const newest = useApp.getState().notices.at(-1);
    if (newest) appActions.dismiss(newest.id);
    return newest !== undefined;
  },
  /** Shows a failed request as an error notice, in the words main gave. */
  notifyError(error: unknown): void {
    appActions.notify({ level: 'error', message: messageOf(error) });
  },
  dismiss(id: number): void {
    clearTimeout(noticeTimers.get(id));
    noticeTimers.delete(id);
    useApp.setState((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
  },
  /** The native file or folder picker (Electron); the paths chosen, none when cancelled. */
  async pickPaths(kind: RequestInput<'app.pickPaths'>['kind']): Promise<string[]> {
    const { paths } = await window.convoy.app.pickPaths({ kind });
    return paths;
  },
  /** A dropped File's path on disk (Electron); null in browser mode. */
  pathForFile(file: File): string | null {
    return window.convoy.pathForFile(file);
  },
  /** Asks main to open the link in the browser; false where it cannot (browser mode), for the page to do it. */
  async openExternal(url: string): Promise<boolean> {
    const { opened } = await window.convoy.app.openExternal({ url });
    return opened;
  },
  /** A folder on the machine Convoy runs on (the home folder when none is named): its sub-folders and videos. */
  async listFolder(path?: string): Promise<FolderListing> {
    return window.convoy.folders.list(path ? { path } : {});
  },
  /** The native save dialog (Electron): the path written, null when cancelled. */
  async saveText(suggestedName: string, content: string): Promise<string | null> {
    const { path } = await window.convoy.app.saveText({ suggestedName, content });
    return path;
  },
};

// ---- the store ------------------------------------------------------------------------------------------

export const useApp = create<AppState>(emptyApp);

// ---- empty state ----------------------------------------------------------------------------------------

function emptyApp(): AppState {
  return { view: 'uploads', info: null, connected: false, gone: null, notices: [] };
}
