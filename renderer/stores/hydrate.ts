// The entry's list of stores: each loads from main at start (and again after a reconnect) and follows the
// bridge's events through the same two exports, hydrate() and subscribe(). main.tsx starts them from here.
import * as app from './app';
import * as profiles from './profiles';
import * as queue from './queue';
import * as tokens from './tokens';
import * as watch from './watch';

/** What every store exports for the entry. */
export interface LiveStore {
  /** Loads the store's state from main. */
  hydrate(): Promise<void>;
  /** Starts following the bridge's events; returns the unsubscribe. */
  subscribe(): () => void;
}

/** Every store, by name: a new store file is listed here or it never loads. */
export const stores: Record<string, LiveStore> = { app, profiles, queue, tokens, watch };

/** Loads every store from main at once; a failure is shown as an error notice (the queue shows its own in place). */
export async function hydrateStores(): Promise<void> {
  try {
    await Promise.all(Object.values(stores).map((store) => store.hydrate()));
  } catch (error) {
    app.appActions.notifyError(error);
  }
}

/** Every store follows the bridge's events; returns one unsubscribe for all of them. */
export function subscribeStores(): () => void {
  const offs = Object.values(stores).map((store) => store.subscribe());
  return () => {
    for (const off of offs) off();
  };
}

/** The bridge's connection callback: after a reconnect (main restarted), everything is fetched again, since main is the source of truth. */
export function connectionChanged(connected: boolean): void {
  const wasConnected = app.useApp.getState().connected;
  app.appActions.setConnected(connected);
  // Without the engine nothing is moving as far as anyone here knows: no stale speed or time left stays shown.
  if (!connected) queue.queueActions.clearLive();
  if (connected && !wasConnected) void hydrateStores();
}
