// Profiles as main reports them (never a secret): hydrated at start, kept current by 'profiles.changed',
// plus the actions the Profiles screen runs and the last connection check of each profile.
import { create } from 'zustand';
import type { ConnectionCheck, ProfileView, ProfilesState as ProfilesReport, RequestInput } from '../../common/api';
import { messageOf } from '../ui/fieldErrors';
import { appActions } from './app';

// ---- state ----------------------------------------------------------------------------------------------

/** The last connection check of one profile, as the screen shows it. */
export type CheckState =
  { status: 'checking' } | { status: 'done'; check: ConnectionCheck } | { status: 'failed'; message: string };

export interface ProfilesState extends ProfilesReport {
  loaded: boolean;
  checks: Record<string, CheckState>;
}

export type NewProfile = RequestInput<'profiles.add'>;

// ---- actions --------------------------------------------------------------------------------------------

/** Loads the profiles and which one is active. */
export async function hydrate(): Promise<void> {
  apply(await window.convoy.profiles.list({}));
}

/** Follows main's changes to the profiles; returns the unsubscribe. */
export function subscribe(): () => void {
  return window.convoy.on('profiles.changed', apply);
}

/** Takes main's report; a check result means nothing once its profile is gone or has lost its secret. */
function apply(report: ProfilesReport): void {
  useProfiles.setState((s) => ({ ...report, loaded: true, checks: keepChecks(s.checks, report) }));
}

function setCheck(id: string, check: CheckState): void {
  useProfiles.setState((s) => ({ checks: { ...s.checks, [id]: check } }));
}

function keepChecks(checks: Record<string, CheckState>, report: ProfilesReport): Record<string, CheckState> {
  const live = new Set(report.profiles.filter((p) => p.hasSecret).map((p) => p.id));
  return Object.fromEntries(Object.entries(checks).filter(([id]) => live.has(id)));
}

/** Each action calls main and applies what it answers; failures reject with the BridgeError for the caller to place. */
export const profileActions = {
  async add(input: NewProfile): Promise<{ profile: ProfileView; check: ConnectionCheck }> {
    const result = await window.convoy.profiles.add(input);
    setCheck(result.profile.id, { status: 'done', check: result.check });
    await hydrate();
    return result;
  },
  async activate(id: string): Promise<void> {
    apply(await window.convoy.profiles.activate({ id }));
  },
  async rename(id: string, name: string): Promise<void> {
    apply(await window.convoy.profiles.rename({ id, name }));
  },
  /** Removes the profile and confirms it in the toast, as every deletion in the app is. */
  async remove(id: string): Promise<void> {
    const profile = useProfiles.getState().profiles.find((p) => p.id === id);
    apply(await window.convoy.profiles.remove({ id }));
    const secret = profile?.authKind === 'uploadToken' ? 'token' : 'key';
    const which = profile ? `the profile ${profile.name}` : 'the profile';
    appActions.notify({ level: 'info', message: `Removed ${which}; its ${secret} is deleted from this computer.` });
  },
  async provideSecret(id: string, secret: string): Promise<ConnectionCheck> {
    const { check } = await window.convoy.profiles.provideSecret({ id, secret });
    setCheck(id, { status: 'done', check });
    await hydrate();
    return check;
  },
  /** Never rejects: the outcome lands in `checks[id]`. */
  async check(id: string): Promise<void> {
    setCheck(id, { status: 'checking' });
    try {
      setCheck(id, { status: 'done', check: await window.convoy.profiles.check({ id }) });
    } catch (error) {
      setCheck(id, { status: 'failed', message: messageOf(error) });
    }
  },
};

// ---- the store ------------------------------------------------------------------------------------------

export const useProfiles = create<ProfilesState>(emptyProfiles);

/** The active profile, for components (re-renders when it changes). */
export function useActiveProfile(): ProfileView | undefined {
  return useProfiles((s) => s.profiles.find((p) => p.id === s.activeId));
}

// ---- empty state ----------------------------------------------------------------------------------------

function emptyProfiles(): ProfilesState {
  return { profiles: [], activeId: null, loaded: false, checks: {} };
}
