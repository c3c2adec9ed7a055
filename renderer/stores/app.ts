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
  /** Shows a notice; all but errors go away by themselves. */
  notify(notice: Notice): void {
    const id = nextNotice++;
    useApp.setState((s) => ({ notices: [...s.notices.slice(-3), { ...notice, id }] }));
    if (notice.level !== 'error') setTimeout(() => appActions.dismiss(id), 6000);
  },
  /** Shows a failed request as an error notice, in the words main gave. */
  notifyError(error: unknown): void {
    appActions.notify({ level: 'error', message: messageOf(error) });
  },
  dismiss(id: number): void {
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
