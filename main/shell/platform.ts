// The real OS boundary in Electron: keychain encryption, native dialogs, links, notifications,
// dock/taskbar progress, keeping the machine awake, hearing when it wakes, and launching at login.
import {
  app,
  dialog,
  Notification,
  powerMonitor,
  powerSaveBlocker,
  safeStorage,
  shell,
  type BrowserWindow,
} from 'electron';
import { writeFile } from 'node:fs/promises';
import type { Platform, SecretCipher } from '../platform';
import { isWebLink } from './guards';
import { THUMBNAIL_PROXY_PREFIX } from './thumbnails';
import { platformLoginItem } from './login-item';

function keychainCipher(): SecretCipher | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  const backend =
    process.platform === 'linux'
      ? safeStorage.getSelectedStorageBackend()
      : process.platform === 'darwin'
        ? 'keychain'
        : 'dpapi';
  return {
    backend,
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (encrypted) => safeStorage.decryptString(encrypted),
  };
}

/** The one way out of the app to the user's browser: plain web links only (the guards and the bridge use it). */
export async function openWebLink(url: string): Promise<boolean> {
  if (!isWebLink(url)) return false;
  await shell.openExternal(url);
  return true;
}

export function electronPlatform(mainWindow: () => BrowserWindow | null): Platform {
  let blocker: number | null = null;
  return {
    mode: 'electron',
    secretCipher: keychainCipher(),
    async pickPaths(kind) {
      const win = mainWindow();
      const options: Electron.OpenDialogOptions = {
        title: kind === 'folder' ? 'Add folders' : 'Add video files',
        properties: kind === 'folder' ? ['openDirectory', 'multiSelections'] : ['openFile', 'multiSelections'],
        ...(kind === 'files'
          ? {
              filters: [
                {
                  name: 'Videos',
                  extensions: ['mp4', 'mov', 'mkv', 'avi', 'webm', 'm4v', 'mpg', 'mpeg', 'wmv', 'mxf', 'ts', 'mts'],
                },
                { name: 'All files', extensions: ['*'] },
              ],
            }
          : {}),
      };
      const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return result.canceled ? [] : result.filePaths;
    },
    async saveText(suggestedName, content) {
      const win = mainWindow();
      const options = { defaultPath: suggestedName };
      const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      if (result.canceled || !result.filePath) return null;
      await writeFile(result.filePath, content, 'utf8');
      return result.filePath;
    },
    openExternal: openWebLink,
    notify(title, body) {
      if (Notification.isSupported()) new Notification({ title, body }).show();
    },
    setProgress(fraction) {
      mainWindow()?.setProgressBar(fraction === null ? -1 : Math.max(0, Math.min(1, fraction)));
    },
    keepAwake(on) {
      if (on && blocker === null) blocker = powerSaveBlocker.start('prevent-app-suspension');
      if (!on && blocker !== null) {
        powerSaveBlocker.stop(blocker);
        blocker = null;
      }
    },
    onWake(listener) {
      powerMonitor.on('resume', listener);
      return () => powerMonitor.off('resume', listener);
    },
    loginItem: platformLoginItem(app, process.platform),
    thumbnailProxy: THUMBNAIL_PROXY_PREFIX,
  };
}
