// One buffered HTTP(S) exchange over node:http(s), behaving as fetch did for the JSON calls: a deadline over the
// whole exchange, an AbortSignal, redirects never followed, gzip/deflate/br replies decoded, keep-alive sockets of their
// own; replies bounded in header and body size, and every failure tagged with how far the exchange had come.
import http from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import https from 'node:https';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

/** What a sender hands back: enough of an HTTP reply to decide what happens next. */
export interface RawReply {
  status: number;
  text: string;
  header(name: string): string | null;
}

/** How big a reply may be: api.video's are a few hundred bytes of headers and at most a page of JSON. */
export interface ReplyLimits {
  /** Status line and headers together (Node's maxHeaderSize). */
  maxHeaderBytes: number;
  /** The body as received (before decoding). */
  maxBodyBytes: number;
}

export const defaultReplyLimits: ReplyLimits = { maxHeaderBytes: 64 * 1024, maxBodyBytes: 16 * 1024 * 1024 };

export interface ExchangeRequest {
  method: string;
  headers: Record<string, string>;
  body?: string;
  /** The whole exchange, from connecting to the last byte of the reply, must finish within this. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Default defaultReplyLimits. */
  limits?: ReplyLimits;
}

/**
 * How far an exchange had come when it failed: 'sending' (connecting or writing the request: nothing proves the
 * server is there), 'waiting' (the request is sent, no byte of reply yet), 'reading' (the reply began).
 */
export type ExchangeStage = 'sending' | 'waiting' | 'reading';

/**
 * Why an exchange failed. 'network' carries the underlying error (with its code) as `cause`; 'not-http' is a reply
 * Node could not parse; the two '-too-large' kinds are replies cut at their limit.
 */
export type ExchangeFailureKind =
  'timeout' | 'aborted' | 'network' | 'not-http' | 'headers-too-large' | 'body-too-large';

export class ExchangeFailure extends Error {
  override readonly name = 'ExchangeFailure';
  constructor(
    readonly kind: ExchangeFailureKind,
    readonly stage: ExchangeStage,
    cause?: unknown,
  ) {
    super(kind === 'network' ? 'network failure' : kind, cause === undefined ? undefined : { cause });
  }
}

/** A reply body that went past its limit; readBody rejects with it. */
export class BodyTooLarge extends Error {
  override readonly name = 'BodyTooLarge';
  constructor(readonly limit: number) {
    super(`reply body over ${limit} bytes`);
  }
}

/** Node's parser errors (HPE_*): bytes came back that are not an HTTP reply, or headers over maxHeaderSize. */
export function parserFailureKind(error: unknown): 'headers-too-large' | 'not-http' | null {
  const code = (error as { code?: unknown })?.code;
  if (code === 'HPE_HEADER_OVERFLOW') return 'headers-too-large';
  return typeof code === 'string' && code.startsWith('HPE_') ? 'not-http' : null;
}

/** The stage a request has reached, read off the request itself (see ExchangeStage). */
export function stageOf(req: http.ClientRequest, replied: boolean): ExchangeStage {
  if (replied) return 'reading';
  return req.writableFinished ? 'waiting' : 'sending';
}

/** Statuses whose (absent) body is never decoded. */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);
/** What fetch announced; both are decoded below (and br, should a server send it anyway). */
export const ACCEPT_ENCODING = 'gzip, deflate';
const MAX_CODINGS = 5;

/**
 * The JSON calls' keep-alive pools (each agent keeps one pool per origin), apart from the chunk uploads' (the
 * global agents), as fetch's own pool kept them: a server that answers an upload before reading all of it may
 * reset that connection afterwards, and no JSON call must be sent on it. Idle sockets close after 4 s (fetch's
 * default), sooner when the server's Keep-Alive hint asks.
 */
const agentOptions = { keepAlive: true, scheduling: 'lifo', timeout: 4000 } as const;
const agents = { 'http:': new http.Agent(agentOptions), 'https:': new https.Agent(agentOptions) };

/** Reads a header the way fetch's Headers.get did: case-insensitive, repeated values joined with ', '. */
export function headerReader(headers: IncomingHttpHeaders): (name: string) => string | null {
  return (name) => {
    const value = headers[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  };
}

/** Sends `request` to `url` and resolves with the whole decoded reply; rejects with an ExchangeFailure. */
export function exchange(url: URL, request: ExchangeRequest): Promise<RawReply> {
  if (request.signal?.aborted) return Promise.reject(new ExchangeFailure('aborted', 'sending', request.signal.reason));
  return new Promise((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const limits = request.limits ?? defaultReplyLimits;
    const req = (secure ? https : http).request(url, {
      method: request.method,
      headers: request.headers,
      agent: agents[secure ? 'https:' : 'http:'],
      maxHeaderSize: limits.maxHeaderBytes,
    });
    let settled = false;
    let replied = false;
    const settle = (outcome: { reply: RawReply } | { failure: ExchangeFailure }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      if ('reply' in outcome) return resolve(outcome.reply);
      req.destroy();
      reject(outcome.failure);
    };
    const fail = (kind: ExchangeFailureKind, cause?: unknown) =>
      settle({ failure: new ExchangeFailure(kind, stageOf(req, replied), cause) });
    const onAbort = () => fail('aborted', request.signal?.reason);
    const timer = setTimeout(() => fail('timeout'), request.timeoutMs);
    request.signal?.addEventListener('abort', onAbort, { once: true });

    req.on('error', (error) => fail(parserFailureKind(error) ?? 'network', error));
    req.on('response', (res) => {
      replied = true;
      // A redirect is an answer like any other: it is never followed here (readReply turns it into an error).
      const status = res.statusCode ?? 0;
      readBody(res, limits.maxBodyBytes)
        .then((raw) => decodeBody(raw, request.method, status, res.headers['content-encoding']))
        .then(
          (body) =>
            settle({ reply: { status, text: new TextDecoder().decode(body), header: headerReader(res.headers) } }),
          (error: unknown) => fail(error instanceof BodyTooLarge ? 'body-too-large' : 'network', error),
        );
    });
    req.end(request.body);
  });
}

/** The whole body of a reply, as received; past `maxBytes` it stops reading and rejects with BodyTooLarge. */
export function readBody(res: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let length = 0;
    const onData = (part: Buffer) => {
      length += part.length;
      if (length > maxBytes) {
        res.off('data', onData);
        res.destroy();
        reject(new BodyTooLarge(maxBytes));
        return;
      }
      parts.push(part);
    };
    res.on('data', onData);
    res.on('error', reject);
    res.on('end', () => resolve(Buffer.concat(parts)));
  });
}

type Decoder = (body: Buffer) => Promise<Buffer>;

// Lenient like fetch (and curl): a body cut short after complete blocks still yields what it holds.
const zlibFlush = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
const brotliFlush = {
  flush: zlib.constants.BROTLI_OPERATION_FLUSH,
  finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
};
const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);
const brotli = promisify(zlib.brotliDecompress);

function decoderFor(coding: string): Decoder | null {
  if (coding === 'gzip' || coding === 'x-gzip') return (body) => gunzip(body, zlibFlush);
  // "deflate" is meant to be zlib-wrapped, but some servers send raw deflate: tell them apart by the header byte.
  if (coding === 'deflate')
    return (body) => ((body[0]! & 0x0f) === 0x08 ? inflate(body, zlibFlush) : inflateRaw(body, zlibFlush));
  if (coding === 'br') return (body) => brotli(body, brotliFlush);
  return null;
}

/** Undoes Content-Encoding, last coding first; an unknown coding leaves the body as sent (as fetch does). */
async function decodeBody(body: Buffer, method: string, status: number, encoding: string | undefined): Promise<Buffer> {
  if (!encoding || body.length === 0 || method === 'HEAD' || NULL_BODY_STATUSES.has(status)) return body;
  const codings = encoding.toLowerCase().split(',');
  if (codings.length > MAX_CODINGS) throw new Error(`too many content-encodings in response: ${codings.length}`);
  const decoders = codings.reverse().map((coding) => decoderFor(coding.trim()));
  if (decoders.some((decoder) => decoder === null)) return body;
  let decoded = body;
  for (const decoder of decoders as Decoder[]) decoded = await decoder(decoded);
  return decoded;
}
