// A server on 127.0.0.1 that takes every request and then answers the way api.video never does: broken JSON, web
// pages, empty successes, endless or late bodies, huge headers, redirects, day-long waits, resets. In front of an
// upstream (the sandbox) it forwards what it does not spoil, so the engine can finish uploads through it.
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { startLocalServer } from '../support/local-server';

/** How the server answers the next requests (until told otherwise). */
export type Misbehaviour =
  /** A valid api.video video, as the real server would send it. */
  | 'well-behaved'
  | 'malformed-json'
  /** A web page with status 200 (a Wi-Fi login page, a web server at the wrong address). */
  | 'html-page'
  /** A web page with status 404 (a proxy's error page: not api.video's problem JSON). */
  | 'html-404'
  | 'empty-200'
  /** Headers, then a body that never ends, as fast as the socket takes it. */
  | 'endless-body'
  /** Headers, then a byte now and then, forever: never idle, never done. */
  | 'trickling-body'
  /** Takes the request and answers nothing for five minutes. */
  | 'late-reply'
  /** 200 KB of headers. */
  | 'huge-headers'
  /** Headers just over 12 KiB: under Node's default limit, over a client limit of 8 KiB. */
  | 'large-headers'
  | 'redirect'
  /** 429 asking to wait a day (X-RateLimit-Retry-After: 86400). */
  | 'retry-after-day'
  /** 503 asking to wait a day (Retry-After: 86400). */
  | 'unavailable-for-a-day'
  /** The connection is reset once the request arrived, before any byte of reply. */
  | 'reset-before-reply'
  /** The headers and half the body, then a reset. */
  | 'reset-mid-body';

export const HOSTILE_VIDEO = {
  videoId: 'vi1234567890123456789012',
  title: 'clip.mp4',
  tags: [],
  metadata: [],
  public: true,
  panoramic: false,
  mp4Support: true,
};

const HTML_PAGE =
  '<!DOCTYPE html>\n<html><head><title>Sign in to the Wi-Fi</title></head><body><h1>Welcome</h1></body></html>\n';

/** Which requests to spoil, and how many of them (default: every request, for ever). */
export interface Spoil {
  match?: (request: { method: string; url: string }) => boolean;
  times?: number;
}

export interface HostileServer {
  readonly url: string;
  /** Requests received so far. */
  readonly requests: number;
  /** Requests answered with a misbehaviour so far. */
  readonly spoiled: number;
  behave(misbehaviour: Misbehaviour, spoil?: Spoil): void;
  /** From now on, forward what is not spoiled to this server (see HostileOptions.upstream). */
  forwardTo(upstream: string): void;
  close(): Promise<void>;
}

export interface HostileOptions {
  /** Forward every request not spoiled to this server (e.g. the sandbox) instead of answering HOSTILE_VIDEO. */
  upstream?: string;
}

export async function startHostileServer(
  initial: Misbehaviour = 'well-behaved',
  options: HostileOptions = {},
): Promise<HostileServer> {
  let behaviour = initial;
  let upstream = options.upstream;
  let spoil: Spoil = {};
  let spoiled = 0;
  let requests = 0;
  /** How to answer this request: the misbehaviour when the rule takes it, else well-behaved. */
  const pick = (req: IncomingMessage): Misbehaviour => {
    if (behaviour === 'well-behaved') return behaviour;
    if (spoil.match && !spoil.match({ method: req.method ?? 'GET', url: req.url ?? '/' })) return 'well-behaved';
    if (spoil.times !== undefined) {
      if (spoil.times <= 0) return 'well-behaved';
      spoil = { ...spoil, times: spoil.times - 1 };
    }
    spoiled += 1;
    return behaviour;
  };
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };

  const local = await startLocalServer((req, res) => {
    requests += 1;
    const how = pick(req);
    if (how === 'well-behaved' && upstream) return forward(upstream, req, res);
    // Read the whole request first (an upload's body too), so every misbehaviour is in the reply.
    req.resume();
    req.on('end', () => answer(how, req, res, later));
  });

  return {
    url: local.url,
    get requests() {
      return requests;
    },
    get spoiled() {
      return spoiled;
    },
    behave(next, rule = {}) {
      behaviour = next;
      spoil = rule;
    },
    forwardTo(url) {
      upstream = url;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      await local.close();
    },
  };
}

/** Passes the request to `upstream` as it came, and its reply back as it comes. */
function forward(upstream: string, req: IncomingMessage, res: ServerResponse): void {
  const target = new URL(req.url ?? '/', upstream);
  const out = httpRequest(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (reply) => {
    res.writeHead(reply.statusCode ?? 502, reply.headers);
    reply.pipe(res);
  });
  out.on('error', () => res.destroy());
  req.pipe(out);
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function answer(
  behaviour: Misbehaviour,
  req: IncomingMessage,
  res: ServerResponse,
  later: (ms: number, fn: () => void) => void,
): void {
  switch (behaviour) {
    case 'well-behaved':
      return json(res, 200, HOSTILE_VIDEO);
    case 'malformed-json':
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end('{"videoId": "vi1234567890123456789012", "title": ');
    case 'html-page':
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return void res.end(HTML_PAGE);
    case 'html-404':
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      return void res.end(HTML_PAGE);
    case 'empty-200':
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '0' });
      return void res.end();
    case 'endless-body': {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"videoId":"vi1234567890123456789012","title":"');
      const block = Buffer.alloc(64 * 1024, 'a');
      const pour = () => {
        while (!res.destroyed && res.write(block));
        if (!res.destroyed) res.once('drain', pour);
      };
      return pour();
    }
    case 'trickling-body': {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"videoId":"vi1234567890123456789012","title":"');
      const drip = () => {
        if (res.destroyed) return;
        res.write('a');
        later(50, drip);
      };
      return drip();
    }
    case 'late-reply':
      return later(5 * 60_000, () => json(res, 200, HOSTILE_VIDEO));
    case 'huge-headers':
      return json(res, 200, HOSTILE_VIDEO, { 'x-padding': 'a'.repeat(200 * 1024) });
    case 'large-headers':
      return json(res, 200, HOSTILE_VIDEO, { 'x-padding': 'a'.repeat(12 * 1024) });
    case 'redirect':
      res.writeHead(302, { location: `https://elsewhere.example.test${req.url ?? '/'}` });
      return void res.end();
    case 'retry-after-day':
      return json(
        res,
        429,
        { type: 'https://docs.api.video/reference/too-many-requests', title: 'Too many requests.', status: 429 },
        { 'x-ratelimit-retry-after': '86400', 'content-type': 'application/problem+json' },
      );
    case 'unavailable-for-a-day':
      return json(
        res,
        503,
        { title: 'Down for maintenance.', status: 503 },
        { 'retry-after': '86400', 'content-type': 'application/problem+json' },
      );
    case 'reset-before-reply':
      return void req.socket.resetAndDestroy();
    case 'reset-mid-body':
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '200' });
      return void res.write('{"videoId":"vi1234', () => later(20, () => req.socket.resetAndDestroy()));
  }
}
