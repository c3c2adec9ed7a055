// Convoy as a resident app: closing the last window while uploads or watch folders are active leaves it running in
// the tray (said once, with where to change it); quitting while files upload asks first, and says they resume at
// the next start; the quit itself waits for the core (the engine journals what is in flight) before it happens.
import type { App, BrowserWindow, Dialog } from 'electron';
import { summarize, type ResidentWork } from './resident-work';
import type { ShellSettings } from './shell-settings';

export interface ResidentOptions {
  app: Pick<App, 'on' | 'quit'>;
  dialog: Pick<Dialog, 'showMessageBox'>;
  platform: NodeJS.Platform;
  work: ResidentWork;
  settings: ShellSettings;
  notify(title: string, body: string): void;
  /** The window to attach the quit question to, if one is open. */
  window(): BrowserWindow | null;
  /** Closes the core (watches, engine, sandbox); the app quits once it has finished. */
  close(): Promise<void>;
}

export const trayNotice = (platform: NodeJS.Platform) => {
  const where = platform === 'darwin' ? 'menu bar' : 'tray';
  return {
    title: `Convoy keeps working in the ${where}`,
    body: `Uploads and watch folders go on while the window is closed. Open or quit Convoy from its ${where} icon; to quit with the window instead, untick “Keep running when the window closes” in that icon’s menu.`,
  };
};

export function quitQuestion(active: number): Electron.MessageBoxOptions {
  return {
    type: 'question',
    buttons: ['Quit', 'Keep uploading'],
    defaultId: 1,
    cancelId: 1,
    title: 'Quit Convoy?',
    message: `Quit while ${active === 1 ? '1 file is' : `${active} files are`} uploading?`,
    detail: 'Uploads stop now and resume where they stopped the next time Convoy starts.',
  };
}

export function keepResident(options: ResidentOptions): void {
  const { app, work, settings } = options;
  const busy = () => {
    const summary = summarize(work.totals(), work.activeWatches());
    return summary.active > 0 || summary.watches > 0;
  };

  app.on('window-all-closed', () => {
    if (settings.get().keepRunningInTray && busy()) {
      if (!settings.get().trayNoticeShown) {
        const notice = trayNotice(options.platform);
        options.notify(notice.title, notice.body);
        settings.update({ trayNoticeShown: true });
      }
      return;
    }
    // macOS apps live on without windows (the Dock and the menu bar icon reopen them).
    if (options.platform !== 'darwin') app.quit();
  });

  let phase: 'running' | 'asking' | 'closing' | 'closed' = 'running';
  const closeThenQuit = () => {
    phase = 'closing';
    void options
      .close()
      .catch(() => {})
      .finally(() => {
        phase = 'closed';
        app.quit();
      });
  };
  app.on('before-quit', (event) => {
    if (phase === 'closed') return;
    event.preventDefault();
    if (phase !== 'running') return;
    const active = summarize(work.totals(), 0).active;
    if (active === 0) return closeThenQuit();
    phase = 'asking';
    const win = options.window();
    const question = quitQuestion(active);
    void (win ? options.dialog.showMessageBox(win, question) : options.dialog.showMessageBox(question)).then(
      ({ response }) => {
        if (response === 0) closeThenQuit();
        else phase = 'running';
      },
      () => closeThenQuit(),
    );
  });
}
