// Whether a profile can put a video's title, description, tags and privacy on the server, said in plain words:
// an upload token alone only sends the file; the API-key profile of its account sets the rest.
import type { ProfileView } from '../../../common/api';
import { useMemo } from 'react';
import { useProfiles } from '../../stores/profiles';
import { useQueue } from '../../stores/queue';

export interface DetailsReach {
  canSet: boolean;
  /** One line for the user; null when there is nothing to say (an API-key profile). */
  note: string | null;
}

export const TOKEN_ONLY_NOTE =
  'An upload token can only send the file: each video keeps its file name as title and stays public. To set details, add an API-key profile of the same account.';

export function detailsReach(profile: ProfileView | undefined): DetailsReach {
  if (!profile || profile.authKind !== 'uploadToken') return { canSet: true, note: null };
  const via = profile.accountKeyProfile;
  if (via?.hasSecret) {
    return {
      canSet: true,
      note: `Title, privacy and tags are set via “${via.name}”, the API-key profile of this token’s account.`,
    };
  }
  if (via) {
    return {
      canSet: false,
      note: `Title, privacy and tags are set via “${via.name}”, whose key is not entered this session: enter it on the Profiles screen first.`,
    };
  }
  return { canSet: false, note: TOKEN_ONLY_NOTE };
}

/** Of these jobs, how many cannot get details on the server, and the "set via …" notes of the others' token profiles. */
export function useDetailsReach(ids: string[]): { blocked: number; via: string[] } {
  const profiles = useProfiles((s) => s.profiles);
  const jobsRev = useQueue((s) => s.jobsRev);
  return useMemo(() => {
    // Worked out once per profile (a handful), then counted over the jobs (thousands in a bulk edit).
    const byProfile = new Map(profiles.map((p) => [p.id, detailsReach(p)]));
    const jobs = useQueue.getState().jobs;
    let blocked = 0;
    const via = new Set<string>();
    for (const id of ids) {
      const profileId = jobs.get(id)?.profileId;
      const reach = (profileId === undefined ? undefined : byProfile.get(profileId)) ?? detailsReach(undefined);
      if (!reach.canSet) blocked += 1;
      else if (reach.note) via.add(reach.note);
    }
    return { blocked, via: [...via] };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- jobsRev is the signal that the mutable job map changed.
  }, [ids, profiles, jobsRev]);
}
