// Plain words for a profile's parts: its environment choices, its kind of credential, where its secret lives.
import type { AuthKind, EnvironmentKind, ProfileView } from '../../../common/api';

export interface EnvironmentChoice {
  kind: EnvironmentKind;
  label: string;
  description: string;
}

export const environmentChoices: EnvironmentChoice[] = [
  { kind: 'local', label: 'Local sandbox', description: 'Built into Convoy. Try everything without an account.' },
  { kind: 'sandbox', label: 'api.video Sandbox', description: 'sandbox.api.video: free test uploads, watermarked.' },
  { kind: 'production', label: 'Production', description: 'ws.api.video: your real videos.' },
  { kind: 'custom', label: 'Custom URL', description: 'Any api.video-compatible server.' },
];

/** The CSS class of an environment's coloured dot (styles.css: .env-local, .env-sandbox ...). */
export function envDotClass(kind: EnvironmentKind): string {
  return `env-dot env-${kind}`;
}

export function authLabel(kind: AuthKind): string {
  if (kind === 'uploadToken') return 'Upload token';
  return kind === 'basic' ? 'API key · Basic' : 'API key · Bearer';
}

/** What the user calls the secret of a profile. */
export function secretWord(kind: AuthKind): string {
  return kind === 'uploadToken' ? 'upload token' : 'API key';
}

/**
 * A profile's second line under its name: its environment, unless the name says that already ("Local sandbox" over
 * "Local sandbox"); then what the environment is: built in, or its server's host.
 */
export function environmentLine(profile: Pick<ProfileView, 'name' | 'environment'>): string {
  const { label, kind, baseUrl } = profile.environment;
  if (!nameSaysEnvironment(profile)) return label;
  if (kind === 'local') return 'Built in · no account needed';
  try {
    return new URL(baseUrl).host;
  } catch {
    return label;
  }
}

/** Whether the profile's name is its environment's ("Local sandbox"): then saying the environment again is noise. */
export function nameSaysEnvironment(profile: Pick<ProfileView, 'name' | 'environment'>): boolean {
  return profile.name.trim().toLowerCase() === profile.environment.label.trim().toLowerCase();
}
