// Rate limits per caller and request class (uploads, writes, reads) in fixed one-minute windows of the sandbox
// clock, reported on every response as X-RateLimit-Limit / -Remaining / -Retry-After; 429 past the limit.
import type { SandboxClock } from './clock';

export type RateLimitPreset = 'off' | 'production' | 'sandbox';
export type RequestClass = 'upload' | 'write' | 'read';

const PRESETS: Record<Exclude<RateLimitPreset, 'off'>, Record<RequestClass, number>> = {
  production: { upload: 100, write: 200, read: 500 },
  sandbox: { upload: 40, write: 40, read: 100 },
};
/** What "off" reports: a limit no test or client will reach. */
const UNLIMITED = 1_000_000;
const WINDOW_MS = 60_000;

export interface RateDecision {
  allowed: boolean;
  headers: { 'X-RateLimit-Limit': string; 'X-RateLimit-Remaining': string; 'X-RateLimit-Retry-After': string };
}

type Counts = Record<RequestClass, number>;

export class RateLimiter {
  private window = -1;
  /** caller (see callers.ts) → requests counted in the current window; emptied when the window turns */
  private readonly counts = new Map<string, Counts>();

  constructor(
    private readonly clock: SandboxClock,
    public preset: RateLimitPreset = 'off',
  ) {}

  /** Counts one request of `kind` by `caller` (unless `consume` is false) and says whether it may proceed. */
  check(caller: string, kind: RequestClass, consume = true): RateDecision {
    const now = this.clock.now();
    const window = Math.floor(now / WINDOW_MS);
    if (window !== this.window) {
      this.window = window;
      this.counts.clear();
    }
    const counts = this.counts.get(caller) ?? { upload: 0, write: 0, read: 0 };
    const limit = this.preset === 'off' ? UNLIMITED : PRESETS[this.preset][kind];
    const allowed = !consume || counts[kind] < limit;
    if (consume && allowed) {
      counts[kind] += 1;
      this.counts.set(caller, counts);
    }
    const retryAfter = Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000));
    return {
      allowed,
      headers: {
        'X-RateLimit-Limit': String(limit),
        'X-RateLimit-Remaining': String(Math.max(0, limit - counts[kind])),
        'X-RateLimit-Retry-After': String(retryAfter),
      },
    };
  }

  reset(): void {
    this.window = -1;
    this.counts.clear();
  }
}
