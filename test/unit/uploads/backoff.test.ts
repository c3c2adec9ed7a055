// The back-off before a retry: exponential, capped, with jitter, honouring a server's Retry-After.
import { describe, expect, it } from 'vitest';
import { retryDelay } from '../../../main/uploads/backoff';

describe('retry delays', () => {
  const policy = { attempts: 5, baseDelayMs: 1000, maxDelayMs: 8000, maxRetryAfterMs: 60_000 };
  it('grow, are jittered, capped, and honour Retry-After', () => {
    expect(retryDelay(policy, 1, undefined, () => 0)).toBe(500);
    expect(retryDelay(policy, 3, undefined, () => 1)).toBe(4000);
    expect(retryDelay(policy, 10, undefined, () => 1)).toBe(8000);
    expect(retryDelay(policy, 1, 30, () => 0)).toBe(30_000);
    expect(retryDelay(policy, 1, 300, () => 0)).toBe(60_000);
  });
});
