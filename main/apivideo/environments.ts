// The api.video environments Convoy can talk to (Production, Sandbox, the embedded Local sandbox, a custom
// URL), their labels, and the check that a custom base URL is a plain http(s) origin-and-path.
import type { EnvironmentKind } from '../../common/contract/profiles';

export const PRODUCTION_URL = 'https://ws.api.video';
export const SANDBOX_URL = 'https://sandbox.api.video';

const labels: Record<EnvironmentKind, string> = {
  production: 'Production',
  sandbox: 'Sandbox',
  local: 'Local sandbox',
  custom: 'Custom server',
};

/** The fixed base URL of an environment, or null for 'local' and 'custom' (given at runtime). */
export function fixedBaseUrl(kind: EnvironmentKind): string | null {
  if (kind === 'production') return PRODUCTION_URL;
  if (kind === 'sandbox') return SANDBOX_URL;
  return null;
}

export function environmentLabel(kind: EnvironmentKind, baseUrl?: string): string {
  if (kind === 'custom' && baseUrl) {
    try {
      return `${labels.custom} (${new URL(baseUrl).host})`;
    } catch {
      return labels.custom;
    }
  }
  return labels[kind];
}

/** Thrown when a base URL is not acceptable; the message says what to change. */
export class BaseUrlError extends Error {
  override readonly name = 'BaseUrlError';
}

/**
 * Validates and normalises a custom base URL: http or https, a host, no credentials, no query, no fragment.
 * Returns it without a trailing slash.
 */
export function normalizeBaseUrl(input: string): string {
  const text = input.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new BaseUrlError(`"${text.slice(0, 100)}" is not a URL. Enter a full address such as https://ws.api.video.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BaseUrlError(
      `The server address must start with http:// or https:// (got ${url.protocol.replace(':', '')}).`,
    );
  }
  if (!url.hostname) throw new BaseUrlError('The server address has no host name.');
  if (url.username || url.password) {
    throw new BaseUrlError(
      'The server address must not contain a user name or password; the API key goes in its own field.',
    );
  }
  if (url.search || text.includes('?'))
    throw new BaseUrlError('The server address must not contain a query (the part after "?").');
  if (url.hash || text.includes('#'))
    throw new BaseUrlError('The server address must not contain a fragment (the part after "#").');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
