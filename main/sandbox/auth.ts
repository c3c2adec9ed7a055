// Authentication: Basic (API key as username, empty password) and Bearer access tokens on API endpoints;
// POST /auth/api-key and POST /auth/refresh (rotating refresh tokens). Only token hashes are stored.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import type { SandboxContext } from './context';
import { ApiProblem } from './problems';
import { newSecret } from './ids';

export const ACCESS_TOKEN_TTL_SECONDS = 3600;
const signingKey = randomBytes(32);

const hash = (secret: string): string => createHash('sha256').update(secret).digest('hex');

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(hash(a));
  const right = Buffer.from(hash(b));
  return timingSafeEqual(left, right);
}

/** Checks the Authorization header of an API request; throws the documented 401 problem otherwise. */
export function requireAuth(ctx: SandboxContext, req: IncomingMessage): void {
  const header = req.headers.authorization;
  if (!header) throw new ApiProblem('authentication-missing-authorization-header');
  const match = /^(Basic|Bearer)\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new ApiProblem('authentication-invalid-authorization-header-value');
  const scheme = match[1]!.toLowerCase();
  const credential = match[2]!;
  if (scheme === 'basic') {
    const decoded = Buffer.from(credential, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new ApiProblem('authentication-invalid-authorization-header-value');
    if (!sameSecret(decoded.slice(0, colon), ctx.apiKey)) throw new ApiProblem('authentication-invalid-api-key');
    return;
  }
  const expiresAt = ctx.state.accessTokens[hash(credential)];
  if (expiresAt === undefined || expiresAt <= ctx.clock.now()) throw new ApiProblem('authentication-invalid-access-token');
}

function mintAccessToken(now: number): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = encode({ typ: 'JWT', alg: 'HS256' });
  const payload = encode({ aud: 'convoy-sandbox', jti: randomBytes(16).toString('hex'), iat: Math.floor(now / 1000), exp: Math.floor(now / 1000) + ACCESS_TOKEN_TTL_SECONDS });
  const signature = createHmac('sha256', signingKey).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

function issueTokens(ctx: SandboxContext) {
  const now = ctx.clock.now();
  for (const [key, expiresAt] of Object.entries(ctx.state.accessTokens)) if (expiresAt <= now) delete ctx.state.accessTokens[key];
  const accessToken = mintAccessToken(now);
  const refreshToken = newSecret();
  ctx.state.accessTokens[hash(accessToken)] = now + ACCESS_TOKEN_TTL_SECONDS * 1000;
  ctx.state.refreshTokens[hash(refreshToken)] = now;
  ctx.save();
  return { token_type: 'Bearer', expires_in: ACCESS_TOKEN_TTL_SECONDS, access_token: accessToken, refresh_token: refreshToken };
}

const apiKeyPayload = z.object({ apiKey: z.string() });
const refreshPayload = z.object({ refreshToken: z.string() });

/** POST /auth/api-key: 400 authentication-invalid-user-credentials for a wrong key (spec). */
export function authenticateWithApiKey(ctx: SandboxContext, body: unknown) {
  const parsed = apiKeyPayload.safeParse(body);
  if (!parsed.success) throw new ApiProblem('attribute-required', 'apiKey', 'Send {"apiKey": "<your API key>"}.');
  if (!sameSecret(parsed.data.apiKey, ctx.apiKey)) throw new ApiProblem('authentication-invalid-user-credentials', '');
  return issueTokens(ctx);
}

/** POST /auth/refresh: the refresh token is single-use; a new pair is returned. */
export function refreshAccessToken(ctx: SandboxContext, body: unknown) {
  const parsed = refreshPayload.safeParse(body);
  if (!parsed.success) throw new ApiProblem('attribute-required', 'refreshToken', 'Send {"refreshToken": "<refresh token>"}.');
  const key = hash(parsed.data.refreshToken);
  if (ctx.state.refreshTokens[key] === undefined) throw new ApiProblem('authentication-invalid-user-credentials', '');
  delete ctx.state.refreshTokens[key];
  return issueTokens(ctx);
}
