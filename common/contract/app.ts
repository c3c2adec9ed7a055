// Contract: the application itself: its mode, secret storage, and the OS helpers (dialogs, links, saving).
import { z } from 'zod';
import { event, request } from './define';

export interface SecretStorageInfo {
  /** True when secrets can be encrypted at rest with the OS keychain (Electron safeStorage). */
  encrypted: boolean;
  /** 'keychain', 'dpapi', 'gnome_libsecret', 'kwallet', 'basic_text', 'none' ... */
  backend: string;
  /** Plain words for the user when keys cannot be kept safely on disk. */
  warning?: string;
}

export interface AppInfo {
  version: string;
  mode: 'electron' | 'browser';
  platform: string;
  dataDir: string;
  secretStorage: SecretStorageInfo;
  /** Native dialogs exist in Electron; in browser mode paths are dropped or typed. */
  nativeDialogs: boolean;
  /**
   * Where the page loads a loopback server's thumbnails (the local sandbox's): this prefix, then the link encoded as
   * a URI component. The Electron window's policy takes no plain-http image; absent (browser mode): the link itself.
   */
  thumbnailProxy?: string;
}

export interface Notice {
  level: 'info' | 'warning' | 'error';
  message: string;
}

const empty = z.object({}).strict();
const pickPaths = z.object({ kind: z.enum(['files', 'folder']) }).strict();
/**
 * Only a web link may leave for the OS: `file:`, `javascript:`, `data:` or any custom scheme (which the OS hands to
 * whatever program registered it) is refused here, before a handler runs. The text must be the link exactly as
 * parsed: no leading or trailing space or control character that an OS opener might read differently.
 */
const webLink = z
  .string()
  .max(4096)
  .regex(/^https?:\/\/[^\s\p{Cc}]+$/iu, 'Only http and https links can be opened.')
  .pipe(z.url({ protocol: /^https?$/ }));
const openExternal = z.object({ url: webLink }).strict();
const saveText = z.object({ suggestedName: z.string().min(1).max(200), content: z.string().max(200_000_000) }).strict();

const loginItem = z.object({ openAtLogin: z.boolean().optional() }).strict();

/** Whether Convoy starts when the user logs in; `supported: false` where it cannot (browser mode). */
export interface LoginItemState {
  supported: boolean;
  openAtLogin: boolean;
}

export const appRequests = {
  'app.info': request<typeof empty, AppInfo>(empty),
  /** Native open dialog (Electron only; browser mode answers 'unsupported'). */
  'app.pickPaths': request<typeof pickPaths, { paths: string[] }>(pickPaths),
  /** Opens an http(s) link in the user's browser; `opened: false` means the page should open it itself. */
  'app.openExternal': request<typeof openExternal, { opened: boolean }>(openExternal),
  /** Native save dialog (Electron only); null when the user cancelled. */
  'app.saveText': request<typeof saveText, { path: string | null }>(saveText),
  /** Reads launch at login, and sets it first when `openAtLogin` is given (desktop app only). */
  'app.loginItem': request<typeof loginItem, LoginItemState>(loginItem),
};

export const appEvents = {
  'app.notice': event<Notice>(),
};
