// Rate limits per request class (uploads, writes, reads) in fixed one-minute windows of the sandbox clock,
// reported on every response as X-RateLimit-Limit / -Remaining / -Retry-After; 429 past the limit.
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

export class RateLimiter {
  private window = -1;
  private counts: Record<RequestClass, number> = { upload: 0, write: 0, read: 0 };

  constructor(
    private readonly clock: SandboxClock,
    public preset: RateLimitPreset = 'off',
  ) {}

  /** Counts one request of `kind` (unless `consume` is false) and says whether it may proceed. */
  check(kind: RequestClass, consume = true): RateDecision {
    const now = this.clock.now();
    const window = Math.floor(now / WINDOW_MS);
    if (window !== this.window) {
      this.window = window;
      this.counts = { upload: 0, write: 0, read: 0 };
    }
    const limit = this.preset === 'off' ? UNLIMITED : PRESETS[this.preset][kind];
    const allowed = !consume || this.counts[kind] < limit;
    if (consume && allowed) this.counts[kind] += 1;
    const retryAfter = Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000));
    return {
      allowed,
      headers: {
        'X-RateLimit-Limit': String(limit),
        'X-RateLimit-Remaining': String(Math.max(0, limit - this.counts[kind])),
        'X-RateLimit-Retry-After': String(retryAfter),
      },
    };
  }

  reset(): void {
    this.window = -1;
  }
}
