// Who a request counts against for rate limits: the API key behind Basic or Bearer credentials, the upload token
// of a delegated upload, else the client address (unauthenticated endpoints, bad credentials, assets).
import type { IncomingMessage } from 'node:http';
import type { SandboxContext } from './context';
import type { Authentication } from './auth';
import { findToken } from './tokens';

/** How a route names its caller: by credentials, by the `token` query parameter, or by client address. */
export type CallerSource = 'credentials' | 'upload-token' | 'address';

/**
 * An opaque rate-limit key such as `api-key:<sha256>`; never logged (it may embed an upload token). `auth` is the
 * request's credentials as already read (for the 'credentials' source).
 */
export function callerOf(
  ctx: SandboxContext,
  req: IncomingMessage,
  query: URLSearchParams,
  source: CallerSource,
  auth: Authentication | null,
): string {
  if (source === 'upload-token') {
    const token = query.get('token');
    if (token && findToken(ctx, token)) return `upload-token:${token}`;
  } else if (source === 'credentials' && auth && 'keyId' in auth) {
    return `api-key:${auth.keyId}`;
  }
  return `address:${req.socket.remoteAddress ?? 'unknown'}`;
}
