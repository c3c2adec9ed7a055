// The Electron preload: exposes the bridge's raw transport (one invoke, one event stream, dropped-file
// paths) to the page, never ipcRenderer itself and never a secret. The page builds window.convoy from it.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { BridgeTransport, Envelope } from '../common/api';

const INVOKE = 'convoy:invoke';
const EVENT = 'convoy:event';

const transport: BridgeTransport = {
  kind: 'ipc',
  invoke: (channel, request) => ipcRenderer.invoke(INVOKE, channel, request) as Promise<Envelope<unknown>>,
  subscribe(listener) {
    const handler = (_event: unknown, name: string, payload: unknown) => listener(name, payload);
    ipcRenderer.on(EVENT, handler);
    return () => {
      ipcRenderer.removeListener(EVENT, handler);
    };
  },
  pathForFile: (file) => {
    try {
      return webUtils.getPathForFile(file) || null;
    } catch {
      return null;
    }
  },
};

contextBridge.exposeInMainWorld('convoyTransport', transport);
