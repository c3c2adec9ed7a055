// Streams one upload request (a whole file or one chunk) as multipart/form-data over node:http(s): exact
// Content-Length computed up front, the body read from a fresh stream per attempt, progress, abort, idle timeout,
// and a bounded reply (its headers' and body's size, its body's time).
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { ErrorContext } from './errors';
import { ApiVideoError, abortedError, exchangeError } from './errors';
import type { ExchangeStage, RawReply, ReplyLimits } from './http-exchange';
import {
  BodyTooLarge,
  ExchangeFailure,
  defaultReplyLimits,
  headerReader,
  parserFailureKind,
  readBody,
  stageOf,
} from './http-exchange';
import type { RequestLine } from './transport';

export interface ChunkRequest {
  /** Required with an API key (/videos/{videoId}/source); with an upload token, omitted on the very first chunk. */
  videoId?: string;
  /** 'part 2/5' | 'part 3/*' | 'bytes a-b/t'; omitted for a single-request upload. */
  contentRange?: string;
  /** The file name sent in the multipart part (with a token and no videoId it becomes the video title). */
  fileName: string;
  /** Bytes in this chunk: the stream must yield exactly this many. */
  size: number;
  /** A fresh stream of the chunk's bytes for each attempt; it is streamed, never buffered. */
  body: () => NodeJS.ReadableStream | Readable;
  signal?: AbortSignal;
  /** Bytes of this chunk handed to the socket so far in the current attempt (cumulative; restarts at 0 on a retry). */
  onBytesSent?: (n: number) => void;
}

export interface MultipartFrame {
  contentType: string;
  head: Buffer;
  tail: Buffer;
}

/** Escapes a file name the way browsers do in a Content-Disposition header (UTF-8, quotes and newlines encoded). */
function quoteFileName(name: string): string {
  return name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** The bytes around the file: form fields first (videoId before the file part), then the file part's header. */
export function multipartFrame(fields: [string, string][], fileName: string): MultipartFrame {
  const boundary = `----ConvoyBoundary${randomBytes(12).toString('hex')}`;
  let head = '';
  for (const [name, value] of fields) {
    head += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  }
  head +=
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${quoteFileName(fileName)}"\r\n` +
    'Content-Type: application/octet-stream\r\n\r\n';
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    head: Buffer.from(head, 'utf8'),
    tail: Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'),
  };
}

export interface ChunkSenderOptions {
  url: string;
  line: RequestLine;
  context: ErrorContext;
  /** Idle timeout: the request fails when nothing moves on the socket for this long; also the bound on reading the reply's body. */
  timeoutMs: number;
  headers: Record<string, string>;
  fields: [string, string][];
  /** Default defaultReplyLimits. */
  limits?: ReplyLimits;
}

/** A sender (see transport.sendWithRetries) that posts the chunk once per call. */
export function chunkSender(options: ChunkSenderOptions, request: ChunkRequest) {
  return (authorization: string | null): Promise<RawReply> => postChunk(options, request, authorization);
}

async function postChunk(
  options: ChunkSenderOptions,
  request: ChunkRequest,
  authorization: string | null,
): Promise<RawReply> {
  const { context, line } = options;
  if (request.signal?.aborted) throw abortedError(context, line);
  const frame = multipartFrame(options.fields, request.fileName);
  const headers: Record<string, string> = {
    ...options.headers,
    accept: 'application/json',
    'content-type': frame.contentType,
    'content-length': String(frame.head.length + request.size + frame.tail.length),
  };
  if (authorization) headers.authorization = authorization;
  if (request.contentRange) headers['content-range'] = request.contentRange;

  const url = new URL(options.url);
  const transport = url.protocol === 'https:' ? https : http;
  const limits = options.limits ?? defaultReplyLimits;
  const req = transport.request(url, {
    method: 'POST',
    headers,
    maxHeaderSize: limits.maxHeaderBytes,
    ...(request.signal ? { signal: request.signal } : {}),
  });
  let replied = false;
  let timedOut: ExchangeStage | null = null;
  let sizeMismatch = false;
  const timeOut = (stage: ExchangeStage) => {
    timedOut = stage;
    req.destroy(new Error('timeout'));
  };
  req.setTimeout(options.timeoutMs, () => timeOut(stageOf(req, replied)));

  const reply = new Promise<RawReply>((resolve, reject) => {
    req.on('response', (res) => {
      replied = true;
      // However slowly it trickles (the idle timeout never fires then), the body must end within the timeout.
      const deadline = setTimeout(() => timeOut('reading'), options.timeoutMs);
      readBody(res, limits.maxBodyBytes)
        .then((body) => {
          resolve({ status: res.statusCode ?? 0, text: body.toString('utf8'), header: headerReader(res.headers) });
          // Answered before it read the whole chunk: the server may reset this connection, so it is not reused.
          if (!req.writableFinished) req.destroy();
        }, reject)
        .finally(() => clearTimeout(deadline));
    });
    req.on('error', reject);
  });

  async function* frameAndBody() {
    yield frame.head;
    let sent = 0;
    for await (const piece of request.body() as AsyncIterable<Buffer | string>) {
      const bytes = typeof piece === 'string' ? Buffer.from(piece) : piece;
      sent += bytes.length;
      if (sent > request.size) break;
      yield bytes;
      request.onBytesSent?.(sent);
    }
    if (sent !== request.size) {
      sizeMismatch = true;
      throw new Error('size mismatch');
    }
    yield frame.tail;
  }
  // Errors of the body stream surface through the request's 'error' event; a server that answers early
  // (e.g. 401 before reading the body) still resolves `reply`.
  pipeline(frameAndBody, req).catch(() => {});

  try {
    return await reply;
  } catch (error) {
    if (request.signal?.aborted) throw abortedError(context, line);
    if (sizeMismatch) {
      throw new ApiVideoError(
        'bad-request',
        `${request.fileName}: the chunk should hold ${request.size} bytes but reading it gave a different amount. Was the file changed while uploading?`,
      );
    }
    const kind = timedOut
      ? 'timeout'
      : error instanceof BodyTooLarge
        ? 'body-too-large'
        : (parserFailureKind(error) ?? 'network');
    throw exchangeError(
      context,
      line,
      new ExchangeFailure(kind, timedOut ?? stageOf(req, replied), error),
      options.timeoutMs,
      limits,
    );
  }
}
