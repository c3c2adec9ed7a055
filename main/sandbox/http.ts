// Small HTTP helpers shared by the route handlers: JSON replies (Content-Type exactly application/json),
// problem replies, bounded JSON body reading (413 past the bound), and query parameter parsing.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { ApiProblem, type ProblemBody } from './problems';

export const JSON_TYPE = 'application/json';
export const MAX_JSON_BODY = 1024 * 1024;
/** After an early reply, this much more of a request body is read (and dropped) before the connection is cut. */
const MAX_DRAIN_BYTES = 16 * 1024 * 1024;

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', JSON_TYPE);
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

export function sendNoContent(res: ServerResponse): void {
  res.statusCode = 204;
  res.end();
}

export function sendProblem(res: ServerResponse, problem: ProblemBody): void {
  sendJson(res, problem.status, problem);
}

const tooLarge = () =>
  new ApiProblem('payload-too-large', undefined, `The JSON body is larger than ${MAX_JSON_BODY} bytes.`);

/**
 * Whether the Content-Type of a JSON body is ignored: on /auth/*, whose official browser client (the video
 * uploader's token refresh) posts its JSON as text/plain, a body that parses is taken whatever its type.
 */
const anyJsonType = (req: IncomingMessage) => /^\/auth\//.test(req.url ?? '');

/** Reads and parses a JSON request body; a missing body counts as `{}` only when `allowEmpty`. */
export async function readJsonBody(req: IncomingMessage, body: Readable, allowEmpty = false): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (Number(req.headers['content-length'] ?? 0) > MAX_JSON_BODY) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  // Leaving the loop early must not destroy the request: the 413 still has to be answered on its connection.
  for await (const chunk of body.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_JSON_BODY) throw tooLarge();
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') {
    if (allowEmpty) return {};
    throw new ApiProblem('invalid-payload', undefined, 'The request body is empty; send a JSON object.');
  }
  if (type !== '' && type !== JSON_TYPE && !type.endsWith('+json') && !anyJsonType(req)) {
    throw new ApiProblem(
      'invalid-payload',
      undefined,
      `The Content-Type "${type}" is not supported; send application/json.`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ApiProblem('invalid-payload', undefined, `The body is not valid JSON (${(error as Error).message}).`);
  }
}

/** Reads an optional integer query parameter within [min, max]. */
export function intParam(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw))
    throw new ApiProblem(
      'request-invalid-query-parameter',
      name,
      `"${name}" must be an integer between ${min} and ${max}.`,
    );
  const value = Number(raw);
  if (value < min || value > max)
    throw new ApiProblem('request-invalid-query-parameter', name, `"${name}" must be between ${min} and ${max}.`);
  return value;
}

export function enumParam<T extends string>(
  query: URLSearchParams,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ApiProblem('request-invalid-query-parameter', name, `"${name}" must be one of ${allowed.join(', ')}.`);
  }
  return raw as T;
}

/**
 * Drains whatever is left of a request body so the connection stays usable after an early reply; past
 * MAX_DRAIN_BYTES more (a huge body nobody will read) the connection is cut instead.
 */
export function drain(req: IncomingMessage): void {
  if (req.complete) return;
  let dropped = 0;
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > MAX_DRAIN_BYTES) req.socket.destroy();
  });
  req.resume();
}
