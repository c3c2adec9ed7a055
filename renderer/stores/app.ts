// App-wide state: which screen is shown, the app's info, the bridge connection, and transient notices.
import { create } from 'zustand';
import type { AppInfo, Notice } from '../../common/api';

export type View = 'uploads' | 'results' | 'tokens' | 'profiles';

export interface ToastNotice extends Notice {
  id: number;
}

interface AppState {
  view: View;
  info: AppInfo | null;
  connected: boolean;
  notices: ToastNotice[];
  setView(view: View): void;
  setInfo(info: AppInfo): void;
  setConnected(connected: boolean): void;
  notify(notice: Notice): void;
  dismiss(id: number): void;
}

let nextNotice = 1;

export const useApp = create<AppState>((set) => ({
  view: 'uploads',
  info: null,
  connected: false,
  notices: [],
  setView: (view) => set({ view }),
  setInfo: (info) => set({ info }),
  setConnected: (connected) => set({ connected }),
  notify: (notice) => {
    const id = nextNotice++;
    set((s) => ({ notices: [...s.notices.slice(-3), { ...notice, id }] }));
    if (notice.level !== 'error') setTimeout(() => useApp.getState().dismiss(id), 6000);
  },
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
}));
