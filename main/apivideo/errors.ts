// Typed api.video errors: every failure (problem JSON, HTTP status, network, timeout, bad reply) becomes an
// ApiVideoError whose message tells a person which profile, which environment, what went wrong, what to do.
import type { EnvironmentKind } from '../../common/contract/profiles';
import type { ExchangeFailure, ReplyLimits } from './http-exchange';
import type { Problem } from './schemas';
import { problemSchema } from './schemas';
import { redact } from '../log/redact';

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

/**
 * What was wrong with the reply of a server that is up: it took the request, then answered too slowly, without end,
 * too big, or with something that is not api.video's JSON. Unlike a lost connection, this is no reason to wait for
 * the network: a caller counts it against its retry budget.
 */
export type ReplyFault =
  /** The request was sent; no byte of reply came in time. */
  | 'no-reply'
  /** The reply began but did not end in time. */
  | 'slow-body'
  /** The connection broke half-way through the reply. */
  | 'cut-reply'
  | 'headers-too-large'
  | 'body-too-large'
  /** Bytes that are not an HTTP reply (or a body that does not decode). */
  | 'not-http'
  | 'html'
  | 'not-json'
  /** A success with no body where api.video sends JSON. */
  | 'empty'
  /** JSON, but not the shape api.video sends. */
  | 'unexpected-shape'
  | 'redirect';

export interface ApiVideoErrorDetails {
  status?: number;
  problem?: Problem;
  retryAfterSeconds?: number;
  replyFault?: ReplyFault;
  cause?: unknown;
}

export class ApiVideoError extends Error {
  override readonly name = 'ApiVideoError';
  readonly kind: ApiVideoErrorKind;
  readonly status?: number;
  /** The last path segment of problem.type, e.g. 'video-content-range-by-part-part-already-sent'. */
  readonly slug?: string;
  readonly problem?: Problem;
  /** From X-RateLimit-Retry-After / Retry-After on a 429 or 5xx: seconds the server asks to wait before trying again. */
  readonly retryAfterSeconds?: number;
  /** Set when the server is up but its reply was wrong (see ReplyFault); unset for a lost or refused connection. */
  readonly replyFault?: ReplyFault;

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
    if (details.replyFault !== undefined) this.replyFault = details.replyFault;
  }

  /** True for failures that may succeed when tried again later (rate limit, server, network, timeout). */
  get retryable(): boolean {
    return this.kind === 'rate-limit' || this.kind === 'server' || this.kind === 'network' || this.kind === 'timeout';
  }
}

export function slugOf(problem: Problem | undefined): string | undefined {
  const type = problem?.type;
  if (!type) return undefined;
  const slug = type
    .replace(/[?#].*$/, '')
    .replace(/\/+$/, '')
    .split('/')
    .pop();
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
      return "The Local sandbox has a key of its own, which Convoy's built-in profile already uses; keys from the api.video dashboard work only on api.video Sandbox or Production.";
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
  // What a server says is never trusted not to echo a secret back (an Authorization header, a token in a URL).
  return redact(` The server said: "${problem.title}"${name}${stop}${detail}`);
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
  const refusedOnAuthCall =
    request.path.startsWith('/auth/') && status === 400 && (slug === undefined || slug.startsWith('authentication-'));
  if (status === 401 || status === 403 || refusedOnAuthCall) {
    const word = credentialWord(context);
    const advice =
      context.authKind === 'uploadToken'
        ? 'The token may be mistyped, expired or deleted: ask its owner for a new one.'
        : keyAdvice(context.environmentKind);
    const what = status === 403 ? 'was refused: the account is suspended or not allowed to do this' : 'was refused';
    return new ApiVideoError('auth', `${who}: the ${word} ${what} (HTTP ${status}).${said} ${advice}`, details);
  }
  const wait = retryAfterSeconds !== undefined ? ` ${serverWaitSentence(retryAfterSeconds)}` : '';
  const waitDetails = retryAfterSeconds !== undefined ? { retryAfterSeconds } : {};
  if (status === 429) {
    return new ApiVideoError(
      'rate-limit',
      `${who}: too many requests (HTTP 429).${wait} Convoy waits and tries again; fewer parallel uploads help.`,
      { ...details, ...waitDetails },
    );
  }
  // A proxy's or portal's page (api.video answers every error with problem JSON): the server is not api.video.
  if (status >= 400 && status < 500 && !problem && looksLikeHtml(bodyText)) {
    return new ApiVideoError('invalid-response', htmlMessage(context, request, status), { status, replyFault: 'html' });
  }
  if (status === 404) {
    const what =
      slug === 'unrecognized-request-url'
        ? `does not know ${request.method} ${request.path}: is this an api.video server?`
        : `has no such resource (${request.method} ${request.path}).`;
    return new ApiVideoError('not-found', `${who} ${what}${said}`, details);
  }
  if (status >= 500) {
    return new ApiVideoError(
      'server',
      `${who} failed to answer ${request.method} ${request.path} (HTTP ${status}).${said}${wait} This is usually temporary: try again in a moment.`,
      { ...details, ...waitDetails },
    );
  }
  return new ApiVideoError(
    'bad-request',
    `${who} refused ${request.method} ${request.path} (HTTP ${status}).${said}`,
    details,
  );
}

export function networkError(context: ErrorContext, cause: unknown): ApiVideoError {
  const code =
    (cause as { code?: string; cause?: { code?: string } })?.code ??
    (cause as { cause?: { code?: string } })?.cause?.code;
  const hint =
    code === 'ECONNREFUSED'
      ? 'Nothing answers at that address: is the server (or the local sandbox) running?'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? 'The host name could not be resolved: check the address and your connection.'
        : 'Check your connection; Convoy retries when it is back.';
  return new ApiVideoError(
    'network',
    `${describeContext(context)} could not be reached${code ? ` (${code})` : ''}. ${hint}`,
    { cause },
  );
}

/** A redirect is never followed (a key must not travel to another address): the user fixes the address instead. */
/** A redirect answer; `location` is the raw header, relative to the profile's server or absolute. */
export function redirectError(
  context: ErrorContext,
  request: { method: string; path: string },
  status: number,
  location: string | null,
): ApiVideoError {
  const server = redirectedServer(context.baseUrl, request.path, location);
  const advice = server ? `use ${server} as the profile's server` : "check the profile's server address";
  return new ApiVideoError(
    'redirect',
    `${describeContext(context)} answered ${request.method} ${request.path} with a redirect (HTTP ${status}). Convoy does not follow redirects with your key: ${advice}.`,
    { status, replyFault: 'redirect' },
  );
}

/**
 * The server a redirect points to, as a profile's base URL: the Location without its query (which may carry a
 * token) and without the request's own path; null when the Location is missing or not a URL.
 */
function redirectedServer(baseUrl: string, requestPath: string, location: string | null): string | null {
  if (location === null || !URL.canParse(location, baseUrl)) return null;
  const url = new URL(location, baseUrl);
  const path = url.pathname.endsWith(requestPath)
    ? url.pathname.slice(0, url.pathname.length - requestPath.length)
    : '';
  return `${url.origin}${path.replace(/\/+$/, '')}`;
}

export function timeoutError(
  context: ErrorContext,
  request: { method: string; path: string },
  timeoutMs: number,
): ApiVideoError {
  return new ApiVideoError(
    'timeout',
    `${describeContext(context)} did not answer ${request.method} ${request.path} within ${Math.round(timeoutMs / 1000)} s. Check your connection; Convoy retries.`,
  );
}

export function invalidResponseError(
  context: ErrorContext,
  request: { method: string; path: string },
  why: string,
): ApiVideoError {
  return new ApiVideoError(
    'invalid-response',
    `${describeContext(context)} answered ${request.method} ${request.path} with something Convoy does not understand (${why}). Is this address an api.video server?`,
    { replyFault: 'unexpected-shape' },
  );
}

/** Whether a reply body is a web page (a proxy, a captive portal, a web server at the wrong address). */
export function looksLikeHtml(bodyText: string): boolean {
  return /^\s*(<!doctype html|<html|<head|<body|<\?xml|<!--)/i.test(bodyText);
}

function htmlMessage(context: ErrorContext, request: { method: string; path: string }, status: number): string {
  return `${describeContext(context)} answered ${request.method} ${request.path} with an HTML page (HTTP ${status}) instead of api.video's JSON. Is this address an api.video server, or is a proxy or Wi-Fi login page in the way?`;
}

/** A success reply whose body is not the JSON api.video sends: an HTML page, nothing at all, or broken JSON. */
export function unreadableReplyError(
  context: ErrorContext,
  request: { method: string; path: string },
  status: number,
  bodyText: string,
  parseError: string,
): ApiVideoError {
  const who = describeContext(context);
  const what = `${request.method} ${request.path}`;
  if (bodyText.trim() === '') {
    return new ApiVideoError(
      'invalid-response',
      `${who} answered ${what} with an empty reply (HTTP ${status}) where api.video sends JSON. Convoy retries.`,
      {
        status,
        replyFault: 'empty',
      },
    );
  }
  if (looksLikeHtml(bodyText))
    return new ApiVideoError('invalid-response', htmlMessage(context, request, status), { status, replyFault: 'html' });
  return new ApiVideoError(
    'invalid-response',
    `${who} answered ${what} with malformed JSON (HTTP ${status}: ${parseError}). Convoy retries.`,
    {
      status,
      replyFault: 'not-json',
    },
  );
}

/** A length of time as a person reads it: 45 s, 5 min, 24 h. */
export function waitText(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 360) / 10} h`;
}

/**
 * The sentence about a wait the server asked for; with `retryInSeconds`, the shorter wait Convoy keeps instead.
 * "The server asks to wait 30 s." / "The server asked to wait 24 h; retrying in 5 min."
 */
export function serverWaitSentence(requestedSeconds: number, retryInSeconds?: number): string {
  if (retryInSeconds === undefined) return `The server asks to wait ${waitText(requestedSeconds)}.`;
  return `The server asked to wait ${waitText(requestedSeconds)}; retrying in ${waitText(retryInSeconds)}.`;
}

function secondsText(ms: number): string {
  return ms < 10_000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms / 1000)} s`;
}

function bytesText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

/**
 * The typed error for an exchange that failed before a whole reply was read. Up to the request being sent, and a
 * connection that breaks before any byte of reply, it is a lost connection ('network' / 'timeout' without a
 * replyFault); after that the server is up and misbehaving, and the error says how (with a replyFault).
 */
export function exchangeError(
  context: ErrorContext,
  request: { method: string; path: string },
  failure: ExchangeFailure,
  timeoutMs: number,
  limits: ReplyLimits,
): ApiVideoError {
  const who = describeContext(context);
  const what = `${request.method} ${request.path}`;
  const code = (failure.cause as { code?: unknown } | undefined)?.code;
  switch (failure.kind) {
    case 'aborted':
      return abortedError(context, request);
    case 'timeout':
      if (failure.stage === 'waiting') {
        return new ApiVideoError(
          'timeout',
          `${who} sent no reply for ${secondsText(timeoutMs)} after ${what}: it took the request but does not answer. Convoy retries.`,
          { replyFault: 'no-reply' },
        );
      }
      if (failure.stage === 'reading') {
        return new ApiVideoError(
          'timeout',
          `${who} did not answer ${what} within ${secondsText(timeoutMs)}: its reply began but did not end. Convoy retries.`,
          { replyFault: 'slow-body' },
        );
      }
      return timeoutError(context, request, timeoutMs);
    case 'headers-too-large':
      return new ApiVideoError(
        'invalid-response',
        `${who} answered ${what} with headers larger than ${bytesText(limits.maxHeaderBytes)} (api.video sends a few hundred bytes); Convoy stopped reading them. Is this address an api.video server?`,
        { replyFault: 'headers-too-large', cause: failure.cause },
      );
    case 'body-too-large':
      return new ApiVideoError(
        'invalid-response',
        `${who} answered ${what} with a reply larger than ${bytesText(limits.maxBodyBytes)}; Convoy stopped reading it. Is this address an api.video server?`,
        { replyFault: 'body-too-large' },
      );
    case 'not-http':
      return new ApiVideoError(
        'invalid-response',
        `${who} answered ${what} with bytes that are not an HTTP reply${typeof code === 'string' ? ` (${code})` : ''}. Is this address an api.video server?`,
        { replyFault: 'not-http', cause: failure.cause },
      );
    case 'network':
      if (failure.stage !== 'reading') return networkError(context, failure.cause);
      // zlib's codes (Z_DATA_ERROR...): the body arrived whole but its compression is broken.
      if (typeof code === 'string' && code.startsWith('Z_')) {
        return new ApiVideoError(
          'network',
          `${who} answered ${what} with a compressed reply that does not decode (${code}). Convoy retries.`,
          {
            replyFault: 'not-http',
            cause: failure.cause,
          },
        );
      }
      return new ApiVideoError(
        'network',
        `${who} began answering ${what}, then the reply broke off${typeof code === 'string' ? ` (${code})` : ''}. Convoy retries.`,
        { replyFault: 'cut-reply', cause: failure.cause },
      );
  }
}

export function abortedError(context: ErrorContext, request: { method: string; path: string }): ApiVideoError {
  return new ApiVideoError('aborted', `${describeContext(context)}: ${request.method} ${request.path} was cancelled.`);
}
