// Retry timing: exponential back-off with full jitter, capped, honouring a server's Retry-After.
export interface RetryPolicy {
  /** Attempts per chunk (or request) before the file fails; reset whenever the file makes progress. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Upper bound on honouring a server's Retry-After (tests shorten it). */
  maxRetryAfterMs: number;
}

/**
 * The longest single wait a server can impose (Retry-After, X-RateLimit-Retry-After): a longer request is cut to this
 * and the job says so, instead of sitting silently for a day on one header.
 */
export const MAX_SERVER_WAIT_MS = 5 * 60_000;

export const defaultRetryPolicy: RetryPolicy = {
  attempts: 8,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  maxRetryAfterMs: MAX_SERVER_WAIT_MS,
};

/** The wait kept for a server's request of `requestedSeconds`, in whole seconds: at most MAX_SERVER_WAIT_MS. */
export function cappedServerWait(requestedSeconds: number, capMs = MAX_SERVER_WAIT_MS): number {
  return Math.min(requestedSeconds, Math.floor(capMs / 1000));
}

/** The exponential, capped delay before retry number `attempt` (1-based), before any jitter. */
export function backoffCeiling(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
}

/** Delay before retry number `attempt` (1-based). */
export function retryDelay(
  policy: RetryPolicy,
  attempt: number,
  retryAfterSeconds?: number,
  random = Math.random,
): number {
  const exponential = backoffCeiling(policy, attempt);
  const jittered = exponential / 2 + random() * (exponential / 2);
  if (retryAfterSeconds !== undefined && retryAfterSeconds > 0) {
    return Math.max(jittered, Math.min(policy.maxRetryAfterMs, retryAfterSeconds * 1000) + random() * 250);
  }
  return Math.round(jittered);
}
