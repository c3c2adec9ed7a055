// Profiles as main reports them (never a secret): hydrated at start, kept current by 'profiles.changed',
// plus the actions the Profiles screen runs and the last connection check of each profile.
import { create } from 'zustand';
import type { ConnectionCheck, ProfileView, ProfilesState, RequestInput } from '../../common/api';
import { messageOf } from '../ui/fieldErrors';

/** The last connection check of one profile, as the screen shows it. */
export type CheckState = { status: 'checking' } | { status: 'done'; check: ConnectionCheck } | { status: 'failed'; message: string };

interface ProfilesStore extends ProfilesState {
  loaded: boolean;
  checks: Record<string, CheckState>;
  apply(state: ProfilesState): void;
  setCheck(id: string, check: CheckState): void;
}

export const useProfiles = create<ProfilesStore>((set) => ({
  profiles: [],
  activeId: null,
  loaded: false,
  checks: {},
  // A check result means nothing once its profile is gone or has lost its secret (e.g. after a restart).
  apply: (state) => set((s) => ({ ...state, loaded: true, checks: keepChecks(s.checks, state) })),
  setCheck: (id, check) => set((s) => ({ checks: { ...s.checks, [id]: check } })),
}));

function keepChecks(checks: Record<string, CheckState>, state: ProfilesState): Record<string, CheckState> {
  const live = new Set(state.profiles.filter((p) => p.hasSecret).map((p) => p.id));
  return Object.fromEntries(Object.entries(checks).filter(([id]) => live.has(id)));
}

/** The active profile, for components (re-renders when it changes). */
export function useActiveProfile(): ProfileView | undefined {
  return useProfiles((s) => s.profiles.find((p) => p.id === s.activeId));
}

export async function hydrateProfiles(): Promise<void> {
  useProfiles.getState().apply(await window.convoy.profiles.list({}));
}

export function subscribeProfiles(): () => void {
  return window.convoy.on('profiles.changed', (state) => useProfiles.getState().apply(state));
}

export type NewProfile = RequestInput<'profiles.add'>;

/** Each action calls main and applies what it answers; failures reject with the BridgeError for the caller to place. */
export const profileActions = {
  async add(input: NewProfile): Promise<{ profile: ProfileView; check: ConnectionCheck }> {
    const result = await window.convoy.profiles.add(input);
    useProfiles.getState().setCheck(result.profile.id, { status: 'done', check: result.check });
    await hydrateProfiles();
    return result;
  },
  async activate(id: string): Promise<void> {
    useProfiles.getState().apply(await window.convoy.profiles.activate({ id }));
  },
  async rename(id: string, name: string): Promise<void> {
    useProfiles.getState().apply(await window.convoy.profiles.rename({ id, name }));
  },
  async remove(id: string): Promise<void> {
    useProfiles.getState().apply(await window.convoy.profiles.remove({ id }));
  },
  async provideSecret(id: string, secret: string): Promise<ConnectionCheck> {
    const { check } = await window.convoy.profiles.provideSecret({ id, secret });
    useProfiles.getState().setCheck(id, { status: 'done', check });
    await hydrateProfiles();
    return check;
  },
  /** Never rejects: the outcome lands in `checks[id]`. */
  async check(id: string): Promise<void> {
    const { setCheck } = useProfiles.getState();
    setCheck(id, { status: 'checking' });
    try {
      setCheck(id, { status: 'done', check: await window.convoy.profiles.check({ id }) });
    } catch (error) {
      setCheck(id, { status: 'failed', message: messageOf(error) });
    }
  },
};
