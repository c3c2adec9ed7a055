// Removes secrets from any text before it is logged: API keys, bearer/refresh tokens, upload tokens,
// Authorization headers and token query parameters. Every log line in main goes through it.
const knownSecrets = new Set<string>();

/** Registers a secret value (an API key, an access token) so that it is masked wherever it appears. */
export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= 6) knownSecrets.add(value);
}

const patterns: [RegExp, string][] = [
  [/(authorization["']?\s*[:=]\s*["']?)(basic|bearer)\s+[A-Za-z0-9._~+/=-]+/gi, '$1$2 [redacted]'],
  [/\b(bearer)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]'],
  [/([?&]token=)[^&\s"']+/gi, '$1[redacted]'],
  [/(["']?(?:apiKey|api_key|access_token|refresh_token|refreshToken|accessToken|token|secret)["']?\s*[:=]\s*["']?)[^"'\s,}&]+/gi, '$1[redacted]'],
  [/\bto[A-Za-z0-9]{20,}\b/g, 'to[redacted]'],
  [/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, '[redacted-jwt]'],
];

export function redact(text: string): string {
  let out = text;
  for (const secret of knownSecrets) out = out.split(secret).join('[redacted]');
  for (const [pattern, replacement] of patterns) out = out.replace(pattern, replacement);
  return out;
}
