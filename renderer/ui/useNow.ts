// One shared one-second clock for countdowns: components that show "in 12 s" subscribe only while they need it.
import { useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | null = null;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  now = Date.now(); // useSyncExternalStore re-reads the snapshot after subscribing, so a stale value is replaced at once
  timer ??= setInterval(() => {
    now = Date.now();
    for (const l of listeners) l();
  }, 1000);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

const noop = () => () => {};

const snapshot = () => now;

/** The current time (epoch ms), refreshed every second while `active`; otherwise it does not tick. */
export function useNow(active = true): number {
  return useSyncExternalStore(active ? subscribe : noop, snapshot);
}
