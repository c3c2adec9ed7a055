// Profiles as main reports them (never a secret): hydrated at start, kept current by 'profiles.changed'.
import { create } from 'zustand';
import type { ProfileView, ProfilesState } from '../../preload/api';

interface ProfilesStore extends ProfilesState {
  loaded: boolean;
  apply(state: ProfilesState): void;
  active(): ProfileView | undefined;
}

export const useProfiles = create<ProfilesStore>((set, get) => ({
  profiles: [],
  activeId: null,
  loaded: false,
  apply: (state) => set({ ...state, loaded: true }),
  active: () => get().profiles.find((p) => p.id === get().activeId),
}));

export async function hydrateProfiles(): Promise<void> {
  useProfiles.getState().apply(await window.convoy.profiles.list({}));
}

export function subscribeProfiles(): () => void {
  return window.convoy.on('profiles.changed', (state) => useProfiles.getState().apply(state));
}
