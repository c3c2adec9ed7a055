// Removes secrets from any text before it is logged or printed: the known key and token values themselves, plus
// text that is unmistakably a secret (Authorization headers, token query parameters, secret-shaped values of
// key/token fields, upload tokens, JWTs). Ordinary words are never touched. Every log line in main goes through it.
const knownSecrets = new Set<string>();

/** Registers a secret value (an API key, an access token) so that it is masked wherever it appears. */
export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= 6) knownSecrets.add(value);
}

/**
 * A value that looks like a credential rather than a word: letters and digits mixed (abc123secret), or a long
 * unbroken run of token characters. "when", "an" or "http" after "token:" in a sentence are words.
 */
const secretShaped = String.raw`(?=[A-Za-z0-9._~+/=-]*[0-9])(?=[A-Za-z0-9._~+/=-]*[A-Za-z])[A-Za-z0-9._~+/=-]{6,}|[A-Za-z0-9._~+/=-]{24,}`;
const fieldNames = 'apiKey|api_key|access_token|refresh_token|refreshToken|accessToken|token|secret';

const patterns: [RegExp, string][] = [
  // An Authorization header: whatever follows the scheme is a credential.
  [/(authorization["']?\s*[:=]\s*["']?)(basic|bearer)\s+[A-Za-z0-9._~+/=-]+/gi, '$1$2 [redacted]'],
  [new RegExp(String.raw`\b(bearer)\s+(?:${secretShaped})`, 'gi'), '$1 [redacted]'],
  // A token in a URL's query.
  [/([?&]token=)[^&\s"']+/gi, '$1[redacted]'],
  // A key/token field (JSON, key=value, key: value) whose value is shaped like a secret.
  [new RegExp(String.raw`(["']?\b(?:${fieldNames})["']?\s*[:=]\s*["']?)(?:${secretShaped})`, 'gi'), '$1[redacted]'],
  // api.video upload tokens: "to" and 22 letters and digits.
  [/\bto(?=[A-Za-z]*[0-9])[A-Za-z0-9]{22}\b/g, 'to[redacted]'],
  [/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, '[redacted-jwt]'],
];

export function redact(text: string): string {
  let out = text;
  for (const secret of knownSecrets) out = out.split(secret).join('[redacted]');
  for (const [pattern, replacement] of patterns) out = out.replace(pattern, replacement);
  return out;
}
