// Sends one api.video request and turns the reply into validated data or a typed error: origin headers,
// a timeout on every request, one re-authorised retry after a 401, and (for non-upload calls) one wait on 429.
import type { z } from 'zod';
import type { AuthProvider } from './auth';
import type { ErrorContext } from './errors';
import {
  errorFromResponse,
  exchangeError,
  invalidResponseError,
  networkError,
  redirectError,
  unreadableReplyError,
} from './errors';
import type { RawReply, ReplyLimits } from './http-exchange';
import { ACCEPT_ENCODING, ExchangeFailure, defaultReplyLimits, exchange } from './http-exchange';
import { sleep } from '../lib/sleep';

// The reply type lives with the exchange that produces it; re-exported for the benchmarks that import it from here.
export type { RawReply } from './http-exchange';

export interface RequestLine {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path below the base URL, e.g. '/videos/vi123'. */
  path: string;
}

/** Seconds from X-RateLimit-Retry-After (api.video) or Retry-After, when the reply carries one. */
export function retryAfterOf(reply: RawReply): number | undefined {
  for (const name of ['x-ratelimit-retry-after', 'retry-after']) {
    const value = reply.header(name);
    if (value !== null && /^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.ceil(Number(value));
  }
  return undefined;
}

export interface SendPolicy {
  /** Non-upload calls only: wait this long at most for X-RateLimit-Retry-After and retry once. 0 = never. */
  maxRateLimitWaitSeconds: number;
  signal?: AbortSignal;
}

/**
 * Runs `send` with the current authorisation; after a 401 asks the auth provider to recover and sends once
 * more; after a 429 with a short enough Retry-After waits and sends once more (when the policy allows).
 */
export async function sendWithRetries(
  auth: AuthProvider,
  send: (authorization: string | null) => Promise<RawReply>,
  policy: SendPolicy,
): Promise<RawReply> {
  let reauthorised = false;
  let waited = false;
  for (;;) {
    const authorization = await auth.authorization();
    const reply = await send(authorization);
    if (reply.status === 401 && !reauthorised && authorization !== null) {
      reauthorised = true;
      if (await auth.recover(authorization)) continue;
    }
    if (reply.status === 429 && !waited && policy.maxRateLimitWaitSeconds > 0) {
      const wait = retryAfterOf(reply) ?? 1;
      if (wait <= policy.maxRateLimitWaitSeconds) {
        waited = true;
        await sleep(wait * 1000, policy.signal);
        continue;
      }
    }
    return reply;
  }
}

/** Turns a reply into validated data (or a typed error). `schema` null means "no body expected". */
export function readReply<T>(
  context: ErrorContext,
  line: RequestLine,
  reply: RawReply,
  schema: z.ZodType<T> | null,
): T {
  if (reply.status >= 300 && reply.status < 400) {
    throw redirectError(context, line, reply.status, reply.header('location'));
  }
  if (reply.status < 200 || reply.status >= 300) {
    throw errorFromResponse(context, line, reply.status, reply.text, retryAfterOf(reply));
  }
  if (schema === null) return undefined as T;
  let json: unknown;
  try {
    json = JSON.parse(reply.text);
  } catch (error) {
    throw unreadableReplyError(
      context,
      line,
      reply.status,
      reply.text,
      error instanceof Error ? error.message : String(error),
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalidResponseError(context, line, `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

export interface JsonSenderOptions {
  baseUrl: string;
  context: ErrorContext;
  timeoutMs: number;
  headers: Record<string, string>;
  /** Default defaultReplyLimits. */
  limits?: ReplyLimits;
}

/** A request body: JSON (the usual case) or raw text with its own content type. */
export type RequestBody = { json: unknown } | { raw: string; contentType: string };

/** Headers fetch used to add by itself that the server may rely on; ours (options.headers) win over them. */
const DEFAULT_HEADERS: Record<string, string> = { 'user-agent': 'node', 'accept-encoding': ACCEPT_ENCODING };
/** Methods that always carry a body, so an empty one is announced as Content-Length: 0 (as fetch did). */
const BODY_METHODS = new Set(['POST', 'PATCH']);

/**
 * A sender for JSON requests over node:http(s), with a timeout covering the whole exchange and an optional
 * signal that cancels it (while waiting for the reply or while reading it).
 */
export function jsonSender(
  options: JsonSenderOptions,
  line: RequestLine,
  search: URLSearchParams | null,
  body?: RequestBody,
  signal?: AbortSignal,
) {
  const query = search && search.size > 0 ? `?${search.toString()}` : '';
  const url = `${options.baseUrl}${line.path}${query}`;
  return async (authorization: string | null): Promise<RawReply> => {
    const headers: Record<string, string> = { ...DEFAULT_HEADERS, ...options.headers, accept: 'application/json' };
    if (authorization) headers.authorization = authorization;
    let payload: string | undefined;
    if (body && 'json' in body) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body.json);
    } else if (body) {
      headers['content-type'] = body.contentType;
      payload = body.raw;
    }
    if (payload !== undefined || BODY_METHODS.has(line.method))
      headers['content-length'] = String(Buffer.byteLength(payload ?? ''));
    const limits = options.limits ?? defaultReplyLimits;
    try {
      return await exchange(new URL(url), {
        method: line.method,
        headers,
        ...(payload !== undefined ? { body: payload } : {}),
        timeoutMs: options.timeoutMs,
        ...(signal ? { signal } : {}),
        limits,
      });
    } catch (error) {
      if (error instanceof ExchangeFailure)
        throw exchangeError(options.context, line, error, options.timeoutMs, limits);
      throw networkError(options.context, error);
    }
  };
}
