// The Electron IPC adapter of the bridge: one invoke channel into the router, one event channel out.
// Every request is checked to come from one of our own windows, showing our own page.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { EventBus } from '../bridge/events';
import type { Router } from '../bridge/router';

export const INVOKE = 'convoy:invoke';
export const EVENT = 'convoy:event';

export function isTrustedSender(event: IpcMainInvokeEvent, windows: () => BrowserWindow[], pageUrl: string): boolean {
  const frame = event.senderFrame;
  if (!frame || frame !== event.sender.mainFrame) return false;
  const ours = windows().some((w) => !w.isDestroyed() && w.webContents.id === event.sender.id);
  return ours && frame.url.split('#')[0] === pageUrl;
}

export function bindIpc(router: Router, events: EventBus, windows: () => BrowserWindow[], pageUrl: string): () => void {
  ipcMain.handle(INVOKE, async (event, channel: unknown, payload: unknown) => {
    if (!isTrustedSender(event, windows, pageUrl)) {
      return {
        ok: false,
        error: { code: 'forbidden', message: 'Refused: this request did not come from Convoy’s own window.' },
      };
    }
    return router.dispatch(String(channel), payload);
  });
  const unsubscribe = events.subscribe((name, payload) => {
    for (const w of windows()) if (!w.isDestroyed()) w.webContents.send(EVENT, name, payload);
  });
  return () => {
    ipcMain.removeHandler(INVOKE);
    unsubscribe();
  };
}
