// Convoy's one window: the secure preferences (context isolation, sandbox, no Node, no middle-click windows,
// DevTools only in development), its remembered size, and the page from the app scheme.
import type { BrowserWindow as BrowserWindowClass } from 'electron';
import { PAGE_URL } from './app-scheme';
import { readWindowState, writeWindowState } from './window-state';

export interface WindowOptions {
  BrowserWindow: typeof BrowserWindowClass;
  preloadFile: string;
  stateFile: string;
  isPackaged: boolean;
  /** False when Convoy started at login: the window waits, hidden, until the tray opens it. */
  show: boolean;
}

export function createMainWindow(options: WindowOptions): BrowserWindowClass {
  const { BrowserWindow } = options;
  const state = readWindowState(options.stateFile);
  const win = new BrowserWindow({
    ...state,
    minWidth: 880,
    minHeight: 560,
    show: false,
    title: 'Convoy',
    backgroundColor: '#14161b',
    webPreferences: {
      preload: options.preloadFile,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
      devTools: !options.isPackaged,
      spellcheck: false,
    },
  });
  if (state.maximized) win.maximize();
  if (options.show) win.once('ready-to-show', () => win.show());
  win.on('close', () => {
    const bounds = win.getNormalBounds();
    writeWindowState(options.stateFile, { ...bounds, maximized: win.isMaximized() });
  });
  void win.loadURL(PAGE_URL);
  return win;
}
