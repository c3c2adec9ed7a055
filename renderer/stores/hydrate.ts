// The list of feature stores that load from main at start (and after a reconnect) and follow its events.
// A feature registers here with { hydrate, subscribe }; main.tsx runs them all.

export interface Hydrator {
  hydrate(): Promise<void>;
  subscribe(): () => void;
}

export const hydrators: Hydrator[] = [];
