// Spotting a second profile for a key Convoy already has: same environment (and address) and the same last four
// characters. Only a warning: two keys can share an ending, and a second profile of one key is allowed.
import type { EnvironmentKind, ProfileView } from '../../../common/api';

export interface CandidateProfile {
  environment: EnvironmentKind;
  /** Only for 'custom'. */
  baseUrl: string;
  credential: 'apiKey' | 'uploadToken';
  secret: string;
}

function sameServer(profile: ProfileView, candidate: CandidateProfile): boolean {
  if (profile.environment.kind !== candidate.environment) return false;
  if (candidate.environment !== 'custom') return true;
  const trim = (url: string) => url.trim().replace(/\/+$/, '').toLowerCase();
  return trim(profile.environment.baseUrl) === trim(candidate.baseUrl);
}

/** The existing profile that seems to hold this very key, if any (needs at least 8 characters typed). */
export function profileWithSameKey(
  profiles: readonly ProfileView[],
  candidate: CandidateProfile,
): ProfileView | undefined {
  const secret = candidate.secret.trim();
  if (secret.length < 8) return undefined;
  const hint = `••••${secret.slice(-4)}`;
  const isToken = candidate.credential === 'uploadToken';
  return profiles.find(
    (p) => p.keyHint === hint && (p.authKind === 'uploadToken') === isToken && sameServer(p, candidate),
  );
}
