// Counts a benchmark child's upload requests (chunk POSTs to /videos/{id}/source and /upload) as they leave through
// node:http, whoever makes them (Convoy's client, the official client's axios, a bare request), and how each was
// answered: how many a minute, how many refused with 429. Read through diagnostics_channel: nothing is wrapped.
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';

export interface RequestFigures {
  /** Upload requests sent (each attempt counts), and how many were answered 429. */
  uploads: number;
  tooMany: number;
  /** Upload requests by reply status ('error' when no reply came). */
  byStatus: Record<string, number>;
  /** Upload requests per minute over the whole run, and the most sent in any 60 s. */
  perMinute: number;
  peakPerMinute: number;
}

const isUpload = (request: ClientRequest) =>
  request.method === 'POST' && (/^\/videos\/[^/]+\/source/.test(request.path) || request.path.startsWith('/upload?'));

/** Starts counting now; `finish` gives the figures over `seconds`. */
export function countRequests(): { finish(seconds: number): RequestFigures; retryAfterSeconds(): number | null } {
  const started = performance.now();
  const sentAt: number[] = [];
  const byStatus: Record<string, number> = {};
  const answered = new WeakSet<ClientRequest>();
  let retryAfter: number | null = null;
  const note = (status: string) => (byStatus[status] = (byStatus[status] ?? 0) + 1);
  subscribe('http.client.request.start', (message) => {
    const { request } = message as { request: ClientRequest };
    if (!isUpload(request)) return;
    sentAt.push(performance.now() - started);
    request.once('close', () => {
      if (!answered.has(request)) note('error');
    });
  });
  subscribe('http.client.response.finish', (message) => {
    const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
    if (!isUpload(request) || answered.has(request)) return;
    answered.add(request);
    note(String(response.statusCode ?? 0));
    if (response.statusCode === 429) retryAfter = Number(response.headers['x-ratelimit-retry-after'] ?? NaN);
  });
  return {
    /** The wait the last 429 asked for (X-RateLimit-Retry-After), in seconds. */
    retryAfterSeconds: () => (retryAfter !== null && Number.isFinite(retryAfter) ? retryAfter : null),
    finish(seconds) {
      let peak = 0;
      for (let first = 0, last = 0; last < sentAt.length; last += 1) {
        while (sentAt[last]! - sentAt[first]! >= 60_000) first += 1;
        peak = Math.max(peak, last - first + 1);
      }
      return {
        uploads: sentAt.length,
        tooMany: byStatus['429'] ?? 0,
        byStatus,
        perMinute: sentAt.length / (seconds / 60),
        peakPerMinute: peak,
      };
    },
  };
}
