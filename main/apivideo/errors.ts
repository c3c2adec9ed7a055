// Typed api.video errors: every failure (problem JSON, HTTP status, network, timeout, bad reply) becomes an
// ApiVideoError whose message tells a person which profile, which environment, what went wrong, what to do.
import type { EnvironmentKind } from '../../common/contract/profiles';
import type { Problem } from './schemas';
import { problemSchema } from './schemas';

export type ApiVideoErrorKind =
  | 'auth'
  | 'bad-request'
  | 'not-found'
  | 'rate-limit'
  | 'server'
  | 'network'
  | 'timeout'
  | 'invalid-response'
  | 'aborted'
  | 'redirect';

export interface ApiVideoErrorDetails {
  status?: number;
  problem?: Problem;
  retryAfterSeconds?: number;
  cause?: unknown;
}

export class ApiVideoError extends Error {
  override readonly name = 'ApiVideoError';
  readonly kind: ApiVideoErrorKind;
  readonly status?: number;
  /** The last path segment of problem.type, e.g. 'video-content-range-by-part-part-already-sent'. */
  readonly slug?: string;
  readonly problem?: Problem;
  /** From X-RateLimit-Retry-After on a 429: seconds to wait before trying again. */
  readonly retryAfterSeconds?: number;

  constructor(kind: ApiVideoErrorKind, message: string, details: ApiVideoErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = kind;
    if (details.status !== undefined) this.status = details.status;
    if (details.problem !== undefined) {
      this.problem = details.problem;
      const slug = slugOf(details.problem);
      if (slug) this.slug = slug;
    }
    if (details.retryAfterSeconds !== undefined) this.retryAfterSeconds = details.retryAfterSeconds;
  }

  /** True for failures that may succeed when tried again later (rate limit, server, network, timeout). */
  get retryable(): boolean {
    return this.kind === 'rate-limit' || this.kind === 'server' || this.kind === 'network' || this.kind === 'timeout';
  }
}

export function slugOf(problem: Problem | undefined): string | undefined {
  const type = problem?.type;
  if (!type) return undefined;
  const slug = type.replace(/[?#].*$/, '').replace(/\/+$/, '').split('/').pop();
  return slug || undefined;
}

/** Who was talking to whom, for the start of every message. */
export interface ErrorContext {
  profileName?: string;
  environmentLabel?: string;
  /** Which environment, so a refused key gets advice that fits it. */
  environmentKind?: EnvironmentKind;
  baseUrl: string;
  authKind: 'bearer' | 'basic' | 'uploadToken';
}

export function describeContext(context: ErrorContext): string {
  const where = context.environmentLabel ? `${context.environmentLabel} (${context.baseUrl})` : context.baseUrl;
  return context.profileName ? `Profile "${context.profileName}" on ${where}` : where;
}

/**
 * A message of this context without its opening "who" (describeContext), for a place that already names the
 * profile and its server: "Profile "A" on X (url): the key was refused" becomes "The key was refused".
 */
export function withoutWho(context: ErrorContext, message: string): string {
  const who = describeContext(context);
  if (message.startsWith(`${who}: `)) {
    const rest = message.slice(who.length + 2);
    return rest.charAt(0).toUpperCase() + rest.slice(1);
  }
  if (message.startsWith(`${who} `)) return `The server ${message.slice(who.length + 1)}`;
  return message;
}

/** What to check when the server refused an API key, for the environment it was meant for. */
function keyAdvice(kind: EnvironmentKind | undefined): string {
  switch (kind) {
    case 'local':
      return 'The Local sandbox has a key of its own, which the built-in "Local sandbox" profile already uses; keys from the api.video dashboard work only on api.video Sandbox or Production.';
    case 'sandbox':
    case 'production':
      return `Check that you pasted the whole key and that it is a ${kind} key (api.video dashboard, API keys): sandbox and production keys differ.`;
    default:
      return "Check that you pasted the whole key and that it is one this server's operator gave you.";
  }
}

/** Parses a reply body as problem JSON when it is one; anything else yields undefined. */
export function parseProblem(text: string): Problem | undefined {
  if (!text) return undefined;
  try {
    const parsed = problemSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function serverSaid(problem: Problem | undefined): string {
  if (!problem?.title) return '';
  const name = problem.name ? ` (${problem.name})` : '';
  const detail = problem.detail ? ` ${problem.detail}` : '';
  // A title that ends its own sentence needs no second full stop after the quote.
  const stop = /[.!?]$/.test(problem.title) && !name ? '' : '.';
  return ` The server said: "${problem.title}"${name}${stop}${detail}`;
}

function credentialWord(context: ErrorContext): string {
  return context.authKind === 'uploadToken' ? 'upload token' : 'API key';
}

/** Builds the typed error for an HTTP reply that was not a success. */
export function errorFromResponse(
  context: ErrorContext,
  request: { method: string; path: string },
  status: number,
  bodyText: string,
  retryAfterSeconds?: number,
): ApiVideoError {
  const problem = parseProblem(bodyText);
  const who = describeContext(context);
  const said = serverSaid(problem);
  const details: ApiVideoErrorDetails = { status, ...(problem ? { problem } : {}) };
  const slug = slugOf(problem);
  // /auth/* answers a refused key or refresh token with 400 (per the spec); any other 400 there is not about the key.
  const refusedOnAuthCall = request.path.startsWith('/auth/') && status === 400 && (slug === undefined || slug.startsWith('authentication-'));
  if (status === 401 || status === 403 || refusedOnAuthCall) {
    const word = credentialWord(context);
    const advice =
      context.authKind === 'uploadToken'
        ? 'The token may be mistyped, expired or deleted: ask its owner for a new one.'
        : keyAdvice(context.environmentKind);
    const what = status === 403 ? 'was refused: the account is suspended or not allowed to do this' : 'was refused';
    return new ApiVideoError('auth', `${who}: the ${word} ${what} (HTTP ${status}).${said} ${advice}`, details);
  }
  if (status === 429) {
    const wait = retryAfterSeconds !== undefined ? ` The server asks to wait ${retryAfterSeconds} s.` : '';
    return new ApiVideoError(
      'rate-limit',
      `${who}: too many requests (HTTP 429).${wait} Convoy waits and tries again; fewer parallel uploads help.`,
      { ...details, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) },
    );
  }
  if (status === 404) {
    const what = slug === 'unrecognized-request-url' ? `does not know ${request.method} ${request.path}: is this an api.video server?` : `has no such resource (${request.method} ${request.path}).`;
    return new ApiVideoError('not-found', `${who} ${what}${said}`, details);
  }
  if (status >= 500) {
    return new ApiVideoError(
      'server',
      `${who} failed to answer ${request.method} ${request.path} (HTTP ${status}).${said} This is usually temporary: try again in a moment.`,
      details,
    );
  }
  return new ApiVideoError('bad-request', `${who} refused ${request.method} ${request.path} (HTTP ${status}).${said}`, details);
}

export function networkError(context: ErrorContext, cause: unknown): ApiVideoError {
  const code = (cause as { code?: string; cause?: { code?: string } })?.code ?? (cause as { cause?: { code?: string } })?.cause?.code;
  const hint =
    code === 'ECONNREFUSED'
      ? 'Nothing answers at that address: is the server (or the local sandbox) running?'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? 'The host name could not be resolved: check the address and your connection.'
        : 'Check your connection; Convoy retries when it is back.';
  return new ApiVideoError('network', `${describeContext(context)} could not be reached${code ? ` (${code})` : ''}. ${hint}`, { cause });
}

/** A redirect is never followed (a key must not travel to another address): the user fixes the address instead. */
/** A redirect answer; `location` is the raw header, relative to the profile's server or absolute. */
export function redirectError(context: ErrorContext, request: { method: string; path: string }, status: number, location: string | null): ApiVideoError {
  const server = redirectedServer(context.baseUrl, request.path, location);
  const advice = server ? `use ${server} as the profile's server` : "check the profile's server address";
  return new ApiVideoError(
    'redirect',
    `${describeContext(context)} answered ${request.method} ${request.path} with a redirect (HTTP ${status}). Convoy does not follow redirects with your key: ${advice}.`,
    { status },
  );
}

/**
 * The server a redirect points to, as a profile's base URL: the Location without its query (which may carry a
 * token) and without the request's own path; null when the Location is missing or not a URL.
 */
function redirectedServer(baseUrl: string, requestPath: string, location: string | null): string | null {
  if (location === null || !URL.canParse(location, baseUrl)) return null;
  const url = new URL(location, baseUrl);
  const path = url.pathname.endsWith(requestPath) ? url.pathname.slice(0, url.pathname.length - requestPath.length) : '';
  return `${url.origin}${path.replace(/\/+$/, '')}`;
}

export function timeoutError(context: ErrorContext, request: { method: string; path: string }, timeoutMs: number): ApiVideoError {
  return new ApiVideoError(
    'timeout',
    `${describeContext(context)} did not answer ${request.method} ${request.path} within ${Math.round(timeoutMs / 1000)} s. Check your connection; Convoy retries.`,
  );
}

export function invalidResponseError(context: ErrorContext, request: { method: string; path: string }, why: string): ApiVideoError {
  return new ApiVideoError(
    'invalid-response',
    `${describeContext(context)} answered ${request.method} ${request.path} with something Convoy does not understand (${why}). Is this address an api.video server?`,
  );
}

export function abortedError(context: ErrorContext, request: { method: string; path: string }): ApiVideoError {
  return new ApiVideoError('aborted', `${describeContext(context)}: ${request.method} ${request.path} was cancelled.`);
}
