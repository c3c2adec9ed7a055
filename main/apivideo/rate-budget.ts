// The request budgets of one credential on one server, shared by everything in this process (every file, part, engine
// and the CLI): api.video counts requests per class (uploads: 100 a minute in production, 40 in the sandbox
// environment) and says on every reply how many are left (X-RateLimit-*). Requests wait for the next window instead
// of drawing 429s.
import { createHash } from 'node:crypto';
import { sleep } from '../lib/sleep';

/** The newest figures the server gave for the current window. */
export interface RateReading {
  /** Requests allowed per window (a minute). */
  limit: number;
  /** Requests left in the window, as of the newest reply. */
  remaining: number;
  /** When the window turns (local clock, ms). */
  resetsAt: number;
}

/** Reads a reply's headers. */
export interface HeaderSource {
  header(name: string): string | null;
}

/** The requests kept back from a window's end: replies come out of order and another program may share the key. */
export function reserveOf(limit: number): number {
  return Math.max(1, Math.ceil(limit * 0.03));
}

/** The classes api.video counts apart: chunk uploads, other writes, and reads. */
export type RequestClass = 'upload' | 'write' | 'read';

export class RateBudget {
  private reading: RateReading | null = null;
  private inflight = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** The server's limit per minute, once a reply named it. */
  get limit(): number | undefined {
    return this.reading?.limit;
  }

  /** What the newest reply said (null before any reply carried the headers, or once its window turned). */
  get current(): RateReading | null {
    if (this.reading && this.now() >= this.reading.resetsAt) this.reading = null;
    return this.reading;
  }

  /** Takes the figures off a reply of this class (any status). Within one window the lowest remaining count wins. */
  observe(reply: HeaderSource): void {
    const limit = intHeader(reply, 'x-ratelimit-limit');
    const remaining = intHeader(reply, 'x-ratelimit-remaining');
    const retryAfter = intHeader(reply, 'x-ratelimit-retry-after');
    if (limit === null || remaining === null || retryAfter === null) return;
    const resetsAt = this.now() + retryAfter * 1000;
    const previous = this.current;
    const sameWindow = previous !== null && Math.abs(previous.resetsAt - resetsAt) < 1500;
    this.reading = {
      limit,
      remaining: sameWindow ? Math.min(previous.remaining, remaining) : remaining,
      resetsAt: sameWindow ? Math.max(previous.resetsAt, resetsAt) : resetsAt,
    };
  }

  /** How long the next request must wait for room in the budget (0: it may go now). */
  waitMs(): number {
    const reading = this.current;
    if (!reading) return 0;
    const available = reading.remaining - this.inflight;
    return available > reserveOf(reading.limit) ? 0 : Math.max(0, reading.resetsAt - this.now());
  }

  /**
   * Waits until a request fits in the budget and counts it as on its way; the returned function releases it (call it
   * once the reply came, or the request failed). A wait longer than `maxWaitMs` is not waited: the request goes and
   * its 429 reaches the caller, who schedules the retry. Rejects when `signal` aborts while waiting.
   */
  async reserve(signal?: AbortSignal, maxWaitMs = Infinity): Promise<() => void> {
    for (;;) {
      signal?.throwIfAborted();
      const wait = this.waitMs();
      if (wait <= 0 || wait > maxWaitMs) break;
      await sleep(wait + 250, signal);
    }
    this.inflight += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inflight -= 1;
    };
  }
}

function intHeader(reply: HeaderSource, name: string): number | null {
  const value = reply.header(name);
  if (value === null || !/^\s*\d+\s*$/.test(value)) return null;
  return Number(value);
}

const budgets = new Map<string, RateBudget>();

/** The one budget of this class, credential and server in the process (the secret is kept only as a short hash). */
export function rateBudgetFor(baseUrl: string, credential: string, kind: RequestClass): RateBudget {
  const key = `${baseUrl}|${createHash('sha256').update(credential).digest('hex').slice(0, 16)}|${kind}`;
  let budget = budgets.get(key);
  if (!budget) {
    budget = new RateBudget();
    budgets.set(key, budget);
  }
  return budget;
}
