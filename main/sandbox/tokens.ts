// Delegated upload tokens: create (ttl 0 = never expires), list active ones, get, delete, and the
// expiry rules the upload endpoint applies (first chunk before expiry, continuation up to 24 h after).
import { z } from 'zod';
import type { SandboxContext } from './context';
import type { UploadTokenRecord } from './state';
import { ApiProblem } from './problems';
import { atom } from './clock';
import { newUploadToken, isUploadToken } from './ids';
import { enumParam } from './http';
import { paginate } from './pagination';

export const MAX_TTL = 2_147_483_647;
/** Chunks continuing an upload started with a token are accepted until this long after the token expired. */
export const CONTINUATION_GRACE_MS = 24 * 3600 * 1000;

const creationPayload = z.object({ ttl: z.number().int().min(0).max(MAX_TTL).optional() }).passthrough();

export function expiresAt(token: UploadTokenRecord): number | null {
  return token.ttl === 0 ? null : token.createdAt + token.ttl * 1000;
}

export function isActive(token: UploadTokenRecord, now: number): boolean {
  const expiry = expiresAt(token);
  return expiry === null || expiry > now;
}

export function present(token: UploadTokenRecord) {
  const expiry = expiresAt(token);
  return {
    token: token.token,
    ttl: token.ttl,
    createdAt: atom(token.createdAt),
    ...(expiry === null ? {} : { expiresAt: atom(expiry) }),
  };
}

export function createToken(ctx: SandboxContext, body: unknown) {
  const parsed = creationPayload.safeParse(body);
  if (!parsed.success) {
    throw new ApiProblem(
      'invalid-attribute',
      'ttl',
      `"ttl" must be an integer between 0 and ${MAX_TTL} (seconds; 0 = never expires).`,
    );
  }
  const record: UploadTokenRecord = { token: newUploadToken(), ttl: parsed.data.ttl ?? 0, createdAt: ctx.clock.now() };
  ctx.state.uploadTokens[record.token] = record;
  ctx.save();
  return present(record);
}

export function listTokens(ctx: SandboxContext, query: URLSearchParams) {
  const sortBy = enumParam(query, 'sortBy', ['createdAt', 'ttl'] as const, 'createdAt');
  const sortOrder = enumParam(query, 'sortOrder', ['asc', 'desc'] as const, 'asc');
  const now = ctx.clock.now();
  const active = Object.values(ctx.state.uploadTokens).filter((token) => isActive(token, now));
  const direction = sortOrder === 'asc' ? 1 : -1;
  active.sort((a, b) => direction * (a[sortBy] - b[sortBy] || a.createdAt - b.createdAt));
  return paginate(active.map(present), ctx.baseUrl, '/upload-tokens', query);
}

/** An existing token record (expired ones included: the upload rules decide what they may still do). */
export function findToken(ctx: SandboxContext, token: string): UploadTokenRecord | undefined {
  return isUploadToken(token) ? ctx.state.uploadTokens[token] : undefined;
}

export function getToken(ctx: SandboxContext, token: string) {
  const record = findToken(ctx, token);
  if (!record || !isActive(record, ctx.clock.now())) throw new ApiProblem('resource-not-found', 'uploadToken');
  return present(record);
}

export function deleteToken(ctx: SandboxContext, token: string): void {
  if (!findToken(ctx, token)) throw new ApiProblem('resource-not-found', 'uploadToken');
  delete ctx.state.uploadTokens[token];
  ctx.save();
}
