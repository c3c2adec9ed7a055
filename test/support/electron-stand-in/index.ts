// A stand-in for the `electron` module, for running the built main bundle where no Electron binary exists: only the
// APIs Convoy's shell uses, each call recorded, with Electron's own ordering rules (privileged schemes before ready,
// protocol handlers after, one handler per IPC channel) enforced so that a shell breaking them fails here too.
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Call {
  api: string;
  args: unknown[];
}

/** Every call the shell made, in order. */
export const calls: Call[] = [];

function note(api: string, ...args: unknown[]): void {
  calls.push({ api, args });
}

/** The calls to one API. */
export function callsTo(api: string): unknown[][] {
  return calls.filter((c) => c.api === api).map((c) => c.args);
}

/** An Electron event: listeners may prevent its default. */
export class StandInEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

type Listener = (...args: never[]) => unknown;

/** Emits an event whose default a listener may prevent; returns whether one did. */
function emitPreventable(emitter: EventEmitter, name: string, ...args: unknown[]): boolean {
  const event = new StandInEvent();
  emitter.emit(name, event, ...args);
  note(`event:${name}`, { prevented: event.defaultPrevented }, ...args.filter((a) => typeof a === 'string'));
  return event.defaultPrevented;
}

// ---- app --------------------------------------------------------------------------------------------------------

let ready = false;
let quitting = false;
let finish: (code: number) => void = () => {};
/** Resolves with the exit code once the app quits or exits. */
export const ended = new Promise<number>((resolve) => {
  finish = resolve;
});

/** Switches the stand-in's command line has (STAND_IN_SWITCHES, comma-separated). */
const switches = (process.env.STAND_IN_SWITCHES ?? '').split(',').filter(Boolean);
let openAtLogin = false;
const paths = new Map<string, string>();

class StandInApp extends EventEmitter {
  readonly isPackaged = process.env.STAND_IN_PACKAGED === '1';
  readonly commandLine = {
    hasSwitch: (name: string) => (note('app.commandLine.hasSwitch', name), switches.includes(name)),
  };
  override on(name: string, listener: Listener): this {
    note('app.on', name);
    return super.on(name, listener as (...args: unknown[]) => void);
  }
  setPath(name: string, path: string): void {
    note('app.setPath', name, path);
    paths.set(name, path);
  }
  getPath(name: string): string {
    return paths.get(name) ?? join(tmpdir(), 'convoy-electron-stand-in', name);
  }
  getAppPath(): string {
    return process.cwd();
  }
  getName(): string {
    return 'Convoy';
  }
  getVersion(): string {
    return '0.0.0-stand-in';
  }
  requestSingleInstanceLock(): boolean {
    note('app.requestSingleInstanceLock');
    return true;
  }
  whenReady(): Promise<void> {
    note('app.whenReady');
    return new Promise((resolve) =>
      setImmediate(() => {
        if (!ready) {
          ready = true;
          this.emit('ready');
        }
        resolve();
      }),
    );
  }
  isReady(): boolean {
    return ready;
  }
  /** As Electron: before-quit (preventable), the windows close, will-quit (preventable), quit, the end. */
  quit(): void {
    note('app.quit');
    if (quitting) return;
    if (emitPreventable(this, 'before-quit')) return;
    quitting = true;
    for (const win of [...StandInBrowserWindow.windows]) win.close();
    if (emitPreventable(this, 'will-quit')) {
      quitting = false;
      return;
    }
    this.emit('quit', new StandInEvent(), 0);
    note('event:quit');
    finish(0);
  }
  exit(code = 0): void {
    note('app.exit', code);
    finish(code);
  }
  getLoginItemSettings(options?: unknown): { openAtLogin: boolean; wasOpenedAtLogin: boolean } {
    note('app.getLoginItemSettings', options);
    return { openAtLogin, wasOpenedAtLogin: false };
  }
  setLoginItemSettings(settings: { openAtLogin?: boolean }): void {
    note('app.setLoginItemSettings', settings);
    openAtLogin = settings.openAtLogin ?? false;
  }
}

export const app = new StandInApp();

// ---- windows and their contents ----------------------------------------------------------------------------------

let nextContentsId = 1;

export class StandInWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  readonly mainFrame = { url: '' };
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  private destroyed = false;
  constructor() {
    super();
    // Electron announces every web contents as it is created, before its window is returned.
    app.emit('web-contents-created', new StandInEvent(), this);
  }
  override on(name: string, listener: Listener): this {
    note('webContents.on', name);
    return super.on(name, listener as (...args: unknown[]) => void);
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    note('webContents.setWindowOpenHandler');
    this.windowOpenHandler = handler;
  }
  send(channel: string, name: string): void {
    note('webContents.send', channel, name);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    this.destroyed = true;
  }
  /** What a listener of a preventable event (will-navigate, will-attach-webview...) decided. */
  prevented(name: string, ...args: unknown[]): boolean {
    return emitPreventable(this, name, ...args);
  }
}

export class StandInBrowserWindow extends EventEmitter {
  static readonly windows = new Set<StandInBrowserWindow>();
  static getAllWindows(): StandInBrowserWindow[] {
    return [...StandInBrowserWindow.windows];
  }
  readonly webContents: StandInWebContents;
  private destroyed = false;
  shown = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    note('new BrowserWindow', options);
    this.webContents = new StandInWebContents();
    StandInBrowserWindow.windows.add(this);
  }
  loadURL(url: string): Promise<void> {
    note('BrowserWindow.loadURL', url);
    this.webContents.mainFrame.url = url;
    setImmediate(() => this.emit('ready-to-show'));
    return Promise.resolve();
  }
  loadFile(file: string): Promise<void> {
    note('BrowserWindow.loadFile', file);
    return this.loadURL(`file://${file}`);
  }
  show(): void {
    note('BrowserWindow.show');
    this.shown = true;
  }
  focus(): void {}
  maximize(): void {}
  restore(): void {}
  isMinimized(): boolean {
    return false;
  }
  isMaximized(): boolean {
    return false;
  }
  getNormalBounds() {
    return { x: 10, y: 10, width: 1200, height: 800 };
  }
  setProgressBar(fraction: number): void {
    note('BrowserWindow.setProgressBar', fraction);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  close(): void {
    note('BrowserWindow.close');
    if (this.destroyed || emitPreventable(this, 'close')) return;
    this.destroyed = true;
    this.webContents.destroy();
    StandInBrowserWindow.windows.delete(this);
    this.emit('closed');
    if (StandInBrowserWindow.windows.size === 0 && !quitting) app.emit('window-all-closed');
  }
}
export { StandInBrowserWindow as BrowserWindow };

// ---- menus and the tray ------------------------------------------------------------------------------------------

export interface StandInMenu {
  items: { label?: string; role?: string; enabled?: boolean; click?: (item: { checked: boolean }) => void }[];
}

export const Menu = {
  applicationMenu: null as StandInMenu | null,
  buildFromTemplate(template: StandInMenu['items']): StandInMenu {
    note('Menu.buildFromTemplate', template);
    return { items: template };
  },
  setApplicationMenu(menu: StandInMenu): void {
    note('Menu.setApplicationMenu');
    Menu.applicationMenu = menu;
  },
};

export interface StandInImage {
  path: string | null;
  isEmpty(): boolean;
  setTemplateImage(on: boolean): void;
}

export const nativeImage = {
  createFromPath(path: string): StandInImage {
    note('nativeImage.createFromPath', path);
    return { path, isEmpty: () => !existsSync(path), setTemplateImage: () => {} };
  },
  createFromBuffer(buffer: Buffer): StandInImage {
    note('nativeImage.createFromBuffer', buffer.length);
    return { path: null, isEmpty: () => buffer.length === 0, setTemplateImage: () => {} };
  },
};

export class Tray extends EventEmitter {
  static readonly instances: Tray[] = [];
  menu: StandInMenu | null = null;
  toolTip = '';
  destroyed = false;
  constructor(readonly image: StandInImage) {
    super();
    note('new Tray', image.path);
    Tray.instances.push(this);
  }
  setContextMenu(menu: StandInMenu): void {
    this.menu = menu;
  }
  setToolTip(text: string): void {
    this.toolTip = text;
  }
  setTitle(): void {}
  destroy(): void {
    note('Tray.destroy');
    this.destroyed = true;
  }
}

// ---- session, protocol, IPC ------------------------------------------------------------------------------------------

type PermissionRequest = (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
type PermissionCheck = (contents: unknown, permission: string) => boolean;

export const session = {
  defaultSession: {
    permissionRequest: null as PermissionRequest | null,
    permissionCheck: null as PermissionCheck | null,
    blocked: [] as string[],
    setPermissionRequestHandler(handler: PermissionRequest): void {
      note('session.setPermissionRequestHandler');
      session.defaultSession.permissionRequest = handler;
    },
    setPermissionCheckHandler(handler: PermissionCheck): void {
      note('session.setPermissionCheckHandler');
      session.defaultSession.permissionCheck = handler;
    },
    webRequest: {
      onBeforeRequest(filter: { urls: string[] }): void {
        note('session.webRequest.onBeforeRequest', filter);
        session.defaultSession.blocked.push(...filter.urls);
      },
      onHeadersReceived(): void {
        note('session.webRequest.onHeadersReceived');
      },
    },
  },
};

const schemeHandlers = new Map<string, (request: Request) => Response | Promise<Response>>();

export const protocol = {
  registerSchemesAsPrivileged(schemes: { scheme: string; privileges: Record<string, boolean> }[]): void {
    note('protocol.registerSchemesAsPrivileged', schemes);
    if (ready) throw new Error('protocol.registerSchemesAsPrivileged must be called before the app is ready');
  },
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
    note('protocol.handle', scheme);
    if (!ready) throw new Error('The protocol module can only be used after the app is ready');
    if (schemeHandlers.has(scheme)) throw new Error(`The scheme "${scheme}" is already handled`);
    schemeHandlers.set(scheme, handler);
  },
  /** The stand-in's own: asks the handler of the URL's scheme, as the page's requests would. */
  async request(url: string, init?: RequestInit): Promise<Response> {
    const handler = schemeHandlers.get(new URL(url).protocol.slice(0, -1));
    if (!handler) throw new Error(`No handler for ${url}`);
    return handler(new Request(url, init));
  },
};

type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown;
const invokeHandlers = new Map<string, InvokeHandler>();

export const ipcMain = {
  handle(channel: string, handler: InvokeHandler): void {
    note('ipcMain.handle', channel);
    if (invokeHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    invokeHandlers.set(channel, handler);
  },
  removeHandler(channel: string): void {
    note('ipcMain.removeHandler', channel);
    invokeHandlers.delete(channel);
  },
  on(channel: string): void {
    note('ipcMain.on', channel);
  },
  /** The stand-in's own: what ipcRenderer.invoke from `contents` (its main frame unless `frame` is given) gets. */
  async invoke(
    contents: StandInWebContents,
    channel: string,
    args: unknown[],
    frame: { url: string } = contents.mainFrame,
  ): Promise<unknown> {
    const handler = invokeHandlers.get(channel);
    if (!handler) throw new Error(`No handler for '${channel}'`);
    return handler({ sender: contents, senderFrame: frame }, ...args);
  },
  handles(channel: string): boolean {
    return invokeHandlers.has(channel);
  },
};

// ---- the OS helpers ------------------------------------------------------------------------------------------------

export const shell = {
  openExternal(url: string): Promise<void> {
    note('shell.openExternal', url);
    return Promise.resolve();
  },
};

/** The button the next message box answers with (0: the first). */
export const dialogAnswers: number[] = [];

export const dialog = {
  showMessageBox(...args: unknown[]): Promise<{ response: number }> {
    note('dialog.showMessageBox', args.at(-1));
    return Promise.resolve({ response: dialogAnswers.shift() ?? 0 });
  },
  showOpenDialog(): Promise<{ canceled: boolean; filePaths: string[] }> {
    note('dialog.showOpenDialog');
    return Promise.resolve({ canceled: true, filePaths: [] });
  },
  showSaveDialog(): Promise<{ canceled: boolean; filePath?: string }> {
    note('dialog.showSaveDialog');
    return Promise.resolve({ canceled: true });
  },
};

export class Notification {
  static isSupported(): boolean {
    return true;
  }
  constructor(readonly options: { title: string; body: string }) {
    note('new Notification', options);
  }
  show(): void {}
}

export const powerMonitor = new EventEmitter();

let blockers = 0;
export const powerSaveBlocker = {
  start(type: string): number {
    note('powerSaveBlocker.start', type);
    return ++blockers;
  },
  stop(id: number): void {
    note('powerSaveBlocker.stop', id);
  },
};

/** No keychain here: the vault keeps keys for the session, as on a Linux desktop without a secret service. */
export const safeStorage = {
  isEncryptionAvailable: () => false,
  getSelectedStorageBackend: () => 'basic_text',
  encryptString: () => {
    throw new Error('safeStorage is not available in the stand-in');
  },
  decryptString: () => {
    throw new Error('safeStorage is not available in the stand-in');
  },
};

const electron = {
  app,
  BrowserWindow: StandInBrowserWindow,
  Menu,
  Tray,
  nativeImage,
  session,
  protocol,
  ipcMain,
  shell,
  dialog,
  Notification,
  powerMonitor,
  powerSaveBlocker,
  safeStorage,
};
export default electron;
