// Builds window.convoy for the page: over Electron IPC when the preload provided a transport, otherwise over the
// browser-mode WebSocket, which the session cookie set at sign-in authenticates. When that server is gone for good
// (restarted: it no longer knows this tab's session), the page is told so instead of waiting forever.
import { z } from 'zod';
import { buildApi, type BridgeTransport, type ConvoyApi, type Envelope } from '../common/api';

type Pending = (envelope: Envelope<unknown>) => void;

/** Why this tab can no longer reach its Convoy, in words for the person looking at it. */
export interface Gone {
  reason: 'restarted' | 'stopped';
  message: string;
}

/** What browser mode's `GET /session` answers a tab whose session it does not know (status 401). */
const sessionRefusal = z.object({ ok: z.literal(false), reason: z.string(), message: z.string() });

/** How long the server may stay unreachable before the tab says it may have stopped (it keeps trying). */
const STOPPED_AFTER_MS = 20_000;

/**
 * Asks the server whether this tab's session is still good: 'ok', 'refused' (a restarted Convoy, which will never
 * take this tab back), or 'unreachable' (nothing answers: stopped, or not up yet).
 */
async function sessionState(): Promise<'ok' | 'refused' | 'unreachable'> {
  try {
    const res = await fetch('/session', { cache: 'no-store', credentials: 'same-origin' });
    if (res.ok) return 'ok';
    if (res.status === 401 && sessionRefusal.safeParse(await res.json()).success) return 'refused';
    return 'unreachable';
  } catch {
    return 'unreachable';
  }
}

/** A fragment left by a sign-in link holds nothing this page needs; it leaves the address bar and history. */
function dropFragment(): void {
  if (window.location.hash) history.replaceState(null, '', window.location.pathname + window.location.search);
}

export function webSocketTransport(
  onConnection: (connected: boolean) => void,
  onGone: (gone: Gone | null) => void = () => {},
): BridgeTransport {
  dropFragment();
  const url = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/bridge`;
  const pending = new Map<number, Pending>();
  const queued: string[] = [];
  const eventListeners = new Set<(event: string, payload: unknown) => void>();
  let socket: WebSocket | null = null;
  let nextId = 1;
  let retryMs = 250;
  let lostAt: number | null = null;
  let stopped = false;

  const connect = () => {
    const ws = new WebSocket(url, ['convoy']);
    socket = ws;
    ws.onopen = () => {
      retryMs = 250;
      lostAt = null;
      onGone(null);
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
      lostAt ??= Date.now();
      void sessionState().then((state) => {
        if (state === 'refused') {
          // A restarted Convoy never takes this tab back: stop trying and say how to open it again.
          stopped = true;
          onGone({ reason: 'restarted', message: 'Convoy restarted: this tab belongs to the Convoy that stopped.' });
          return;
        }
        if (state === 'unreachable' && Date.now() - lostAt! >= STOPPED_AFTER_MS)
          onGone({ reason: 'stopped', message: 'Convoy is not answering: it stopped, or its computer is asleep.' });
        if (!stopped) setTimeout(connect, retryMs);
        retryMs = Math.min(retryMs * 2, 4000);
      });
    };
  };
  connect();

  return {
    kind: 'websocket',
    invoke(channel, request) {
      const id = nextId++;
      const message = JSON.stringify({ id, channel, payload: request });
      return new Promise((resolve) => {
        if (stopped) {
          resolve({ ok: false, error: { code: 'failed', message: 'Convoy restarted: open it again in a new tab.' } });
          return;
        }
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

/** Installs window.convoy once; returns it. `onGone` hears when the browser-mode server is gone (null: back). */
export function installBridge(
  onConnection: (connected: boolean) => void,
  onGone?: (gone: Gone | null) => void,
): ConvoyApi {
  const transport = window.convoyTransport ?? webSocketTransport(onConnection, onGone);
  window.convoy = buildApi(transport);
  // IPC is connected from the start. Announce it after this call returns, like the WebSocket does, so
  // listeners that use the API returned here never run before the caller holds it.
  if (window.convoyTransport) queueMicrotask(() => onConnection(true));
  return window.convoy;
}
