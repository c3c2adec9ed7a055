// The sandbox clock: real time plus an offset that tests push forward (POST /_sandbox/clock).
// Every expiry (tokens, upload windows, encoding) is measured against it.

export class SandboxClock {
  constructor(private offsetMs = 0) {}

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(seconds: number): void {
    this.offsetMs += Math.round(seconds * 1000);
  }

  get offset(): number {
    return this.offsetMs;
  }

  set offset(ms: number) {
    this.offsetMs = ms;
  }
}

/** ATOM UTC, as api.video prints dates: 2020-12-02T10:26:46+00:00 */
export function atom(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}
