// Test set-up for the resident app's units: totals as the engine reports them, a work source the test moves, and
// Electron's own APIs (app events, the tray, menus, message boxes) injected as small recording substitutes.
import { EventEmitter } from 'node:events';
import type { JobState, QueueTotals } from '../../../common/api';
import type { ResidentWork } from '../../../main/shell/resident-work';
import { queueTotals } from '../../support/queue-views';

/** Totals as the engine reports them: so many files in each state, of so many bytes, so many confirmed. */
export function totalsOf(byState: Partial<Record<JobState, number>>, bytes = 0, confirmedBytes = 0): QueueTotals {
  const base = queueTotals();
  const counts = { ...base.byState, ...byState };
  return queueTotals({
    files: Object.values(counts).reduce((a, b) => a + b, 0),
    bytes,
    confirmedBytes,
    byState: counts,
  });
}

/** A work source whose totals and watches the test sets; counts pause-all and resume-all. */
export function movableWork(initial: QueueTotals = totalsOf({})) {
  let totals = initial;
  let watches = 0;
  const listeners = new Set<() => void>();
  const counts = { pauseAll: 0, resumeAll: 0 };
  const work: ResidentWork = {
    totals: () => totals,
    activeWatches: () => watches,
    pauseAll: () => ++counts.pauseAll,
    resumeAll: () => ++counts.resumeAll,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    work,
    counts,
    listeners,
    set(next: QueueTotals, activeWatches = watches) {
      totals = next;
      watches = activeWatches;
      for (const listener of listeners) listener();
    },
  };
}

export interface FakeMenuItem {
  label?: string;
  type?: string;
  enabled?: boolean;
  checked?: boolean;
  click?: (item: { checked: boolean }) => void;
}

/** Electron's Tray and Menu, recording what the tray was given. */
export function fakeTrayElectron() {
  const trays: FakeTray[] = [];
  let builds = 0;
  class FakeTray extends EventEmitter {
    menu: FakeMenuItem[] = [];
    toolTip = '';
    title = '';
    destroyed = false;
    constructor(readonly image: unknown) {
      super();
      trays.push(this);
    }
    setContextMenu(menu: { items: FakeMenuItem[] }) {
      this.menu = menu.items;
    }
    setToolTip(text: string) {
      this.toolTip = text;
    }
    setTitle(text: string) {
      this.title = text;
    }
    destroy() {
      this.destroyed = true;
    }
  }
  const Menu = {
    buildFromTemplate(items: FakeMenuItem[]) {
      builds += 1;
      return { items };
    },
  };
  return {
    electron: { Tray: FakeTray, Menu } as never,
    trays,
    builds: () => builds,
    item(label: string): FakeMenuItem {
      const found = trays[0]!.menu.find((i) => i.label === label);
      if (!found) throw new Error(`no "${label}" in the tray menu`);
      return found;
    },
  };
}

/** Electron's app as far as the resident behaviour uses it: events (preventable) and quit. */
export function fakeApp() {
  const app = new EventEmitter() as EventEmitter & { quit: () => void; quits: number };
  app.quits = 0;
  app.quit = () => {
    app.quits += 1;
  };
  return {
    app,
    /** Emits before-quit as Electron does; returns whether a listener prevented it. */
    beforeQuit(): boolean {
      let prevented = false;
      app.emit('before-quit', { preventDefault: () => (prevented = true) });
      return prevented;
    },
  };
}
