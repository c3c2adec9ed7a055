// Authentication: Basic (API key as username, empty password) and Bearer access tokens on API endpoints;
// POST /auth/api-key and POST /auth/refresh (rotating refresh tokens). Only key and token hashes are stored.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import type { SandboxContext } from './context';
import { ApiProblem, type ProblemSlug } from './problems';
import { newApiKey, newSecret } from './ids';
import { registerSecret } from '../log/redact';

export const ACCESS_TOKEN_TTL_SECONDS = 3600;
const signingKey = randomBytes(32);

const hash = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** Who a request authenticated as: the id (sha256) of its API key, or the 401 problem that refuses it. */
export type Authentication = { keyId: string } | { problem: ProblemSlug };

const ownKeyId = (ctx: SandboxContext): string => hash(ctx.apiKey);

/** The id of the API key `given` when the sandbox accepts it (its own key or one added by test controls), else null. */
function keyIdOf(ctx: SandboxContext, given: string): string | null {
  const candidate = Buffer.from(hash(given));
  return [ownKeyId(ctx), ...ctx.state.addedApiKeys].find((id) => timingSafeEqual(candidate, Buffer.from(id))) ?? null;
}

/** Reads the Authorization header of an API request without throwing: the key it proves, or the 401 problem to answer. */
export function authenticate(ctx: SandboxContext, req: IncomingMessage): Authentication {
  const header = req.headers.authorization;
  if (!header) return { problem: 'authentication-missing-authorization-header' };
  const match = /^(Basic|Bearer)\s+(\S+)\s*$/i.exec(header);
  if (!match) return { problem: 'authentication-invalid-authorization-header-value' };
  const scheme = match[1]!.toLowerCase();
  const credential = match[2]!;
  if (scheme === 'basic') {
    const decoded = Buffer.from(credential, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { problem: 'authentication-invalid-authorization-header-value' };
    const keyId = keyIdOf(ctx, decoded.slice(0, colon));
    return keyId === null ? { problem: 'authentication-invalid-api-key' } : { keyId };
  }
  const tokenHash = hash(credential);
  const expiresAt = ctx.state.accessTokens[tokenHash];
  if (expiresAt === undefined || expiresAt <= ctx.clock.now())
    return { problem: 'authentication-invalid-access-token' };
  return { keyId: ctx.state.tokenOwners[tokenHash] ?? ownKeyId(ctx) };
}

/** Test control: mints one more API key the sandbox accepts (until reset); only its hash is stored. */
export function addApiKey(ctx: SandboxContext): string {
  const key = newApiKey();
  registerSecret(key);
  ctx.state.addedApiKeys.push(hash(key));
  ctx.save();
  return key;
}

function mintAccessToken(now: number): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = encode({ typ: 'JWT', alg: 'HS256' });
  const payload = encode({
    aud: 'convoy-sandbox',
    jti: randomBytes(16).toString('hex'),
    iat: Math.floor(now / 1000),
    exp: Math.floor(now / 1000) + ACCESS_TOKEN_TTL_SECONDS,
  });
  const signature = createHmac('sha256', signingKey).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

function issueTokens(ctx: SandboxContext, keyId: string) {
  const now = ctx.clock.now();
  for (const [key, expiresAt] of Object.entries(ctx.state.accessTokens)) {
    if (expiresAt > now) continue;
    delete ctx.state.accessTokens[key];
    delete ctx.state.tokenOwners[key];
  }
  const accessToken = mintAccessToken(now);
  const refreshToken = newSecret();
  ctx.state.accessTokens[hash(accessToken)] = now + ACCESS_TOKEN_TTL_SECONDS * 1000;
  ctx.state.refreshTokens[hash(refreshToken)] = now;
  ctx.state.tokenOwners[hash(accessToken)] = keyId;
  ctx.state.tokenOwners[hash(refreshToken)] = keyId;
  ctx.save();
  return {
    token_type: 'Bearer',
    expires_in: ACCESS_TOKEN_TTL_SECONDS,
    access_token: accessToken,
    refresh_token: refreshToken,
  };
}

const apiKeyPayload = z.object({ apiKey: z.string() });
const refreshPayload = z.object({ refreshToken: z.string() });

/** POST /auth/api-key: 400 authentication-invalid-user-credentials for a wrong key (spec). */
export function authenticateWithApiKey(ctx: SandboxContext, body: unknown) {
  const parsed = apiKeyPayload.safeParse(body);
  if (!parsed.success) throw new ApiProblem('attribute-required', 'apiKey', 'Send {"apiKey": "<your API key>"}.');
  const keyId = keyIdOf(ctx, parsed.data.apiKey);
  if (keyId === null) throw new ApiProblem('authentication-invalid-user-credentials', '');
  return issueTokens(ctx, keyId);
}

/** POST /auth/refresh: the refresh token is single-use; a new pair is returned for the same API key. */
export function refreshAccessToken(ctx: SandboxContext, body: unknown) {
  const parsed = refreshPayload.safeParse(body);
  if (!parsed.success)
    throw new ApiProblem('attribute-required', 'refreshToken', 'Send {"refreshToken": "<refresh token>"}.');
  const key = hash(parsed.data.refreshToken);
  if (ctx.state.refreshTokens[key] === undefined) throw new ApiProblem('authentication-invalid-user-credentials', '');
  const keyId = ctx.state.tokenOwners[key] ?? ownKeyId(ctx);
  delete ctx.state.refreshTokens[key];
  delete ctx.state.tokenOwners[key];
  return issueTokens(ctx, keyId);
}
