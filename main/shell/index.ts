// The Electron shell's entry: single instance, the app:// scheme, the guards, one secure window, the menu, the
// tray and the resident behaviour, all around the core. The only part of main that imports electron.
import { app, BrowserWindow, dialog, Menu, nativeImage, protocol, session, Tray } from 'electron';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Store from 'electron-store';
import trayIconFile from '../../assets/tray/tray.png?asset';
import trayTemplateFile from '../../assets/tray/trayTemplate@2x.png?asset';
import { startCore, type Core } from '../core';
import { dataLayout } from '../paths';
import { version } from '../version';
import { PAGE_URL, registerAppScheme, serveAppScheme } from './app-scheme';
import { installGuards } from './guards';
import { thumbnailResponse } from './thumbnails';
import { bindIpc } from './ipc';
import { openedAtLogin } from './login-item';
import { buildAppMenu } from './menu';
import { electronPlatform, openWebLink } from './platform';
import { keepResident } from './resident';
import { residentWork } from './resident-work';
import { openShellSettings, shellSettingsFile } from './shell-settings';
import { refusedSwitch, shellSwitches } from './switches';
import { createResidentTray } from './tray';
import { createMainWindow } from './window';

const rendererDir = join(import.meta.dirname, '..', 'renderer');
const preloadFile = join(import.meta.dirname, '..', 'preload', 'index.cjs');

const switches = shellSwitches(process.env, app.isPackaged);
// One data directory for the app, browser mode and the CLI; CONVOY_DATA_DIR moves it (tests, portable use).
if (switches.dataDir) app.setPath('userData', switches.dataDir);
// Before ready, as Electron requires: the page's own privileged origin.
registerAppScheme(protocol);

let mainWindow: BrowserWindow | null = null;

function openExternal(url: string): void {
  void openWebLink(url);
}

function makeWindow(show: boolean): BrowserWindow {
  const win = createMainWindow({
    BrowserWindow,
    preloadFile,
    stateFile: dataLayout(app.getPath('userData')).window,
    isPackaged: app.isPackaged,
    show,
  });
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  return win;
}

/** Brings the window forward, making it again if it was closed (the tray, the Dock, a second launch). */
function showWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) {
    mainWindow = makeWindow(true);
    return;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

function trayImage(): Electron.NativeImage {
  // macOS draws a template image (black and alpha) in the menu bar's own colour, at twice its point size.
  if (process.platform === 'darwin') {
    const image = nativeImage.createFromBuffer(readFileSync(trayTemplateFile), { scaleFactor: 2 });
    image.setTemplateImage(true);
    return image;
  }
  return nativeImage.createFromPath(trayIconFile);
}

async function start(): Promise<void> {
  const refused = refusedSwitch((name) => app.commandLine.hasSwitch(name), app.isPackaged);
  if (refused) throw new Error(`--${refused} is a development switch, refused by a packaged build`);
  await app.whenReady();
  // The local sandbox's thumbnails, from the profiles' loopback servers alone (none until the core runs).
  let profileServers = (): readonly string[] => [];
  serveAppScheme(protocol, rendererDir, (request) => thumbnailResponse(request, { servers: profileServers }));
  installGuards(app, session.defaultSession, openExternal);
  buildAppMenu(Menu, { isPackaged: app.isPackaged, platform: process.platform, openExternal });

  const dataDir = app.getPath('userData');
  const platform = electronPlatform(() => mainWindow);
  const core: Core = await startCore({
    dataDir,
    platform,
    version,
    store: new Store({ name: 'profiles', cwd: dataLayout(dataDir).profiles }),
    sandboxPort: switches.sandboxPort,
    sandboxTestControls: switches.sandboxTestControls,
  });
  profileServers = () => core.vault.list().profiles.map((profile) => profile.environment.baseUrl);
  bindIpc(core.router, core.events, () => BrowserWindow.getAllWindows(), PAGE_URL);

  const settings = openShellSettings(shellSettingsFile(dataDir));
  const work = residentWork(core.engine, core.watches);
  const tray = createResidentTray({
    electron: { Tray, Menu },
    image: trayImage(),
    platform: process.platform,
    work,
    settings,
    ...(platform.loginItem ? { loginItem: platform.loginItem } : {}),
    open: showWindow,
    quit: () => app.quit(),
  });
  keepResident({
    app,
    dialog,
    platform: process.platform,
    work,
    settings,
    notify: (title, body) => platform.notify?.(title, body),
    window: () => mainWindow,
    close: async () => {
      tray.destroy();
      await core.close();
    },
  });

  // Started at login: Convoy waits in the tray until it is opened.
  mainWindow = makeWindow(!openedAtLogin(app, process.platform, process.argv));
  app.on('activate', showWindow);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', showWindow);
  start().catch((error: Error) => {
    process.stderr.write(`Convoy failed to start: ${error.message}\n`);
    app.exit(1);
  });
}
