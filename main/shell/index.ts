// The Electron shell: the only module that imports electron. Single instance, one secure window
// (context isolation, sandbox, no Node in the page, strict CSP, no navigation), the menu, and the core.
import { app, BrowserWindow, Menu, session, shell, type MenuItemConstructorOptions } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Store from 'electron-store';
import { startCore, type Core } from '../core';
import { dataLayout } from '../paths';
import { version } from '../version';
import { bindIpc } from './ipc';
import { electronPlatform } from './platform';
import { readWindowState, writeWindowState } from './window-state';

const rendererFile = join(import.meta.dirname, '..', 'renderer', 'index.html');
const pageUrl = pathToFileURL(rendererFile).href;
const preloadFile = join(import.meta.dirname, '..', 'preload', 'index.cjs');

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

let mainWindow: BrowserWindow | null = null;

// One data directory for the app, browser mode and the CLI; CONVOY_DATA_DIR moves it (tests, portable use).
if (process.env.CONVOY_DATA_DIR) app.setPath('userData', process.env.CONVOY_DATA_DIR);

function createWindow(): BrowserWindow {
  const stateFile = dataLayout(app.getPath('userData')).window;
  const state = readWindowState(stateFile);
  const win = new BrowserWindow({
    ...state,
    minWidth: 880,
    minHeight: 560,
    show: false,
    title: 'Convoy',
    backgroundColor: '#14161b',
    webPreferences: {
      preload: preloadFile,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());

  // No navigation away from our page, no new windows: http(s) links open in the user's browser.
  win.webContents.on('will-navigate', (event, url) => {
    if (url !== pageUrl) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//i.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.on('close', () => {
    const b = win.getNormalBounds();
    writeWindowState(stateFile, { ...b, maximized: win.isMaximized() });
  });
  void win.loadFile(rendererFile);
  return win;
}

function buildMenu(): void {
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ label: 'api.video documentation', click: () => void shell.openExternal('https://docs.api.video') }],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

async function start(): Promise<void> {
  await app.whenReady();
  // The page may load nothing remote and ask for no permissions.
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.webRequest.onBeforeRequest(
    { urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] },
    (_details, callback) => callback({ cancel: true }),
  );

  buildMenu();
  const core: Core = await startCore({
    dataDir: app.getPath('userData'),
    platform: electronPlatform(() => mainWindow),
    version,
    store: new Store({ name: 'profiles', cwd: dataLayout(app.getPath('userData')).profiles }),
    sandboxPort: Number(process.env.CONVOY_SANDBOX_PORT ?? 0),
    sandboxTestControls: process.env.CONVOY_SANDBOX_TEST_CONTROLS === '1',
  });
  bindIpc(core.router, core.events, () => BrowserWindow.getAllWindows(), pageUrl);
  mainWindow = createWindow();

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  // Quit only after the engine has journaled what is in flight and the sandbox has stopped.
  let closed = false;
  app.on('before-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    void core.close().finally(() => {
      closed = true;
      app.quit();
    });
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  start().catch((error: Error) => {
    process.stderr.write(`Convoy failed to start: ${error.message}\n`);
    app.exit(1);
  });
}
