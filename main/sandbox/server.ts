// The HTTP server: refuses foreign Host names, bounds slow and idle connections, answers CORS preflights, matches
// routes (404 unrecognized URL, 405 wrong method, trailing slash ignored), applies outage/latency/failure faults and
// per-caller rate limits, authenticates API routes, and turns every error into problem JSON.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { SandboxContext } from './context';
import { ApiProblem, problemBody, type ProblemSlug } from './problems';
import { drain, sendProblem } from './http';
import { answerOptions, allowedMethods, setCorsHeaders } from './cors';
import { refuseFailedAsset } from './assets';
import { isAllowedHost } from '../lib/host-allow';
import { authenticate } from './auth';
import { callerOf } from './callers';
import type { FaultInjector } from './faults';
import { buildRoutes, callerSourceOf, type Route, type RouteDeps } from './routes';

interface Match {
  route: Route;
  params: string[];
}

function findRoute(routes: Route[], method: string, pathname: string): Match | 'wrong-method' | null {
  let pathMatched = false;
  for (const route of routes) {
    const found = route.pattern.exec(pathname);
    if (!found) continue;
    pathMatched = true;
    if (route.methods.includes(method)) return { route, params: found.slice(1).map(safeDecode) };
  }
  return pathMatched ? 'wrong-method' : null;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Every method the routes answer on this path (empty: no route has the path). */
function methodsOf(routes: Route[], pathname: string): string[] {
  return routes.filter((route) => route.pattern.test(pathname)).flatMap((route) => route.methods);
}

function normalizePath(rawUrl: string | undefined): URL {
  const url = new URL(rawUrl ?? '/', 'http://sandbox.invalid');
  if (url.pathname.length > 1) url.pathname = url.pathname.replace(/\/+$/, '') || '/';
  return url;
}

/** How long a connection may take and how many may be open at once: the server's defence against slow clients. */
export interface ServerLimits {
  /** the request line and headers must arrive within this (slow-loris) */
  headersTimeoutMs: number;
  /** the whole request, body included, must arrive within this (a 200 MiB chunk on a slow link fits) */
  requestTimeoutMs: number;
  /** a connection with no byte either way for this long is closed */
  idleTimeoutMs: number;
  /** connections beyond this are closed as they open */
  maxConnections: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  headersTimeoutMs: 20_000,
  requestTimeoutMs: 30 * 60_000,
  idleTimeoutMs: 120_000,
  maxConnections: 256,
};

export interface ServerOptions {
  limits?: Partial<ServerLimits>;
  /** the address it listens on: a Host naming it is accepted besides the loopback names (host-allow.ts) */
  listenHost?: string;
}

export function createSandboxServer(deps: RouteDeps, options: ServerOptions = {}): Server {
  const routes = buildRoutes(deps);
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // How often node looks for requests past those timeouts: often enough that they hold to about a quarter.
      connectionsCheckingInterval: Math.max(50, Math.min(1000, limits.headersTimeoutMs / 4)),
    },
    (req, res) => {
      handle(deps, routes, options.listenHost ?? '127.0.0.1', req, res).catch((error: unknown) =>
        fail(deps.ctx, req, res, error),
      );
    },
  );
  server.setTimeout(limits.idleTimeoutMs); // no 'timeout' listener: an idle socket is destroyed
  server.maxConnections = limits.maxConnections;
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => answerClientError(error, socket));
  return server;
}

/** Whether the Host header names this server: a loopback name or the address it listens on, with its port. */
function hostAllowed(req: IncomingMessage, listenHost: string): boolean {
  const port = req.socket.localPort ?? 0;
  const host = req.headers.host;
  if (isAllowedHost(host, port)) return true;
  const own = listenHost.includes(':') ? `[${listenHost}]` : listenHost;
  const wildcard = listenHost === '0.0.0.0' || listenHost === '::';
  return !wildcard && host?.trim().toLowerCase() === `${own}:${port}`.toLowerCase();
}

async function handle(
  deps: RouteDeps,
  routes: Route[],
  listenHost: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { ctx, faults, limiter } = deps;
  ctx.counters.requests += 1;
  const arrivedAt = ctx.clock.now();
  res.setHeader('Date', new Date(arrivedAt).toUTCString()); // the sandbox's clock, which tests move, as a server's own
  const url = normalizePath(req.url);
  const isControl = url.pathname.startsWith('/_sandbox/');
  if (!isControl) setCorsHeaders(res);
  if (!hostAllowed(req, listenHost)) {
    // DNS rebinding: a page on another name that resolves to loopback reaches no route.
    const port = req.socket.localPort ?? 0;
    return reject(
      req,
      res,
      'host-not-allowed',
      undefined,
      `The Host header ${JSON.stringify(req.headers.host ?? '')} does not name this local sandbox; use http://127.0.0.1:${port}.`,
    );
  }
  if (!isControl) {
    if (faults.outage) {
      req.socket.destroy();
      return;
    }
    trackApiSocket(faults, req);
    await faults.delay();
    if (!req.socket || req.socket.destroyed) return;
  }
  if (req.method === 'OPTIONS') {
    const methods = methodsOf(routes, url.pathname);
    if (methods.length === 0) return reject(req, res, 'unrecognized-request-url');
    drain(req);
    return answerOptions(res, methods, !isControl);
  }
  const match = findRoute(routes, req.method ?? 'GET', url.pathname);
  const matched = match && match !== 'wrong-method' ? match.route : null;
  const source = callerSourceOf(matched);
  // The credentials are read once: for the rate-limit caller and for the route's own check.
  const auth = source === 'credentials' || matched?.access === 'api' ? authenticate(ctx, req) : null;
  const caller = callerOf(ctx, req, url.searchParams, source, auth);
  const decision = limiter.check(caller, matched?.rateClass ?? 'read', !isControl);
  for (const [name, value] of Object.entries(decision.headers)) res.setHeader(name, value);
  if (match === null) return reject(req, res, 'unrecognized-request-url');
  if (match === 'wrong-method') {
    res.setHeader('Allow', allowedMethods(methodsOf(routes, url.pathname)));
    return reject(req, res, 'method-not-allowed');
  }
  if (!decision.allowed) return reject(req, res, 'too-many-requests');
  const failStatus = isControl ? null : faults.failure();
  if (failStatus !== null) return reject(req, res, failStatus >= 500 ? 'server-error' : 'invalid-payload', failStatus);
  const { route, params } = match;
  try {
    if (route.access === 'api' && auth && 'problem' in auth) throw new ApiProblem(auth.problem);
    if (!isControl) await refuseFailedAsset(ctx, deps.assembler, url.pathname);
    const body = isControl ? req : faults.body(req);
    if (route.isUpload && faults.loseReply()) {
      // The chunk is received and kept as usual; only its answer never arrives.
      res.end = (() => {
        req.socket.destroy();
        return res;
      }) as typeof res.end;
    }
    await route.handle({ req, res, query: url.searchParams, params, body, arrivedAt });
  } catch (error) {
    if (route.isUpload && error instanceof ApiProblem) ctx.counters.chunksRejected += 1;
    throw error;
  }
}

const socketsWithCloseListener = new WeakSet<object>();

function trackApiSocket(faults: FaultInjector, req: IncomingMessage): void {
  const socket = req.socket;
  faults.apiSockets.add(socket);
  const release = () => faults.apiSockets.delete(socket);
  req.once('close', release);
  // A kept-alive socket serves many requests: one close listener for its lifetime, not one per request.
  if (!socketsWithCloseListener.has(socket)) {
    socketsWithCloseListener.add(socket);
    socket.once('close', release);
  }
}

function reject(req: IncomingMessage, res: ServerResponse, slug: ProblemSlug, status?: number, detail?: string): void {
  drain(req);
  const body = problemBody(slug, undefined, detail, status);
  if (slug === 'too-many-requests') sendProblem(res, { type: body.type, title: body.title, status: body.status });
  else sendProblem(res, body);
}

/** Last line of defence: a problem becomes its JSON reply; anything else is logged and answered 500. */
function fail(ctx: SandboxContext, req: IncomingMessage, res: ServerResponse, error: unknown): void {
  if (res.headersSent || res.destroyed || !req.socket || req.socket.destroyed) {
    if (!res.writableEnded) res.destroy();
    return;
  }
  drain(req);
  if (error instanceof ApiProblem) {
    // The rest of an oversized body is read only so far: then the connection closes.
    if (error.status === 413) res.setHeader('Connection', 'close');
    sendProblem(res, error.body);
    return;
  }
  ctx.log(
    `sandbox: unexpected error on ${req.method} ${new URL(req.url ?? '/', 'http://x').pathname}: ${(error as Error).stack ?? String(error)}`,
  );
  sendProblem(res, problemBody('server-error'));
}

/** Malformed requests node:http rejects before routing (oversized headers, bad syntax) still get problem JSON. */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const timedOut = error.code === 'ERR_HTTP_REQUEST_TIMEOUT';
  const body = tooLarge
    ? problemBody('request-header-fields-too-large', undefined, 'The request headers exceed the server limit (16 KiB).')
    : timedOut
      ? problemBody('request-timeout', undefined, 'The request did not arrive in time; the connection is closed.')
      : problemBody('invalid-payload', undefined, `The HTTP request is malformed (${error.code ?? error.message}).`);
  const text = JSON.stringify(body);
  const reason = tooLarge ? 'Request Header Fields Too Large' : timedOut ? 'Request Timeout' : 'Bad Request';
  socket.end(
    `HTTP/1.1 ${body.status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nAccess-Control-Allow-Origin: *\r\nConnection: close\r\n\r\n${text}`,
  );
}
