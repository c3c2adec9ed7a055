// Plain words for a profile's parts: its environment choices, its kind of credential, where its secret lives.
import type { AuthKind, EnvironmentKind } from '../../../common/api';

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
