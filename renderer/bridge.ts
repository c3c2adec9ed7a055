// Builds window.convoy for the page: over Electron IPC when the preload provided a transport, otherwise
// over the browser-mode WebSocket, authenticated with the per-launch secret handed over in the URL.
import { buildApi, type BridgeTransport, type ConvoyApi, type Envelope } from '../common/api';

type Pending = (envelope: Envelope<unknown>) => void;

/** The secret arrives once in the URL fragment; it is kept in sessionStorage so a reload still works. */
function takeSecret(): string {
  const match = /(?:^#|&)k=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem('convoy.k', match[1]);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return match[1];
  }
  return sessionStorage.getItem('convoy.k') ?? '';
}

export function webSocketTransport(onConnection: (connected: boolean) => void): BridgeTransport {
  const secret = takeSecret();
  const url = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/bridge`;
  const pending = new Map<number, Pending>();
  const queued: string[] = [];
  const eventListeners = new Set<(event: string, payload: unknown) => void>();
  let socket: WebSocket | null = null;
  let nextId = 1;
  let retryMs = 250;

  const connect = () => {
    const ws = new WebSocket(url, ['convoy', `k.${secret}`]);
    socket = ws;
    ws.onopen = () => {
      retryMs = 250;
      onConnection(true);
      for (const message of queued.splice(0)) ws.send(message);
    };
    ws.onmessage = (message) => {
      const data = JSON.parse(String(message.data)) as
        { id: number; envelope: Envelope<unknown> } | { event: string; payload: unknown };
      if ('id' in data) {
        pending.get(data.id)?.(data.envelope);
        pending.delete(data.id);
      } else {
        for (const listener of eventListeners) listener(data.event, data.payload);
      }
    };
    ws.onclose = () => {
      socket = null;
      onConnection(false);
      for (const [id, resolve] of pending) {
        resolve({ ok: false, error: { code: 'failed', message: 'Lost the connection to Convoy. Retrying…' } });
        pending.delete(id);
      }
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 4000);
    };
  };
  connect();

  return {
    kind: 'websocket',
    invoke(channel, request) {
      const id = nextId++;
      const message = JSON.stringify({ id, channel, payload: request });
      return new Promise((resolve) => {
        pending.set(id, resolve);
        if (socket?.readyState === WebSocket.OPEN) socket.send(message);
        else queued.push(message);
      });
    },
    subscribe(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    pathForFile: () => null,
  };
}

/** Installs window.convoy once; returns it. */
export function installBridge(onConnection: (connected: boolean) => void): ConvoyApi {
  const transport = window.convoyTransport ?? webSocketTransport(onConnection);
  window.convoy = buildApi(transport);
  // IPC is connected from the start. Announce it after this call returns, like the WebSocket does, so
  // listeners that use the API returned here never run before the caller holds it.
  if (window.convoyTransport) queueMicrotask(() => onConnection(true));
  return window.convoy;
}
