// Speed smoothing: an exponentially weighted moving average of bytes per second over irregular samples, with a
// warm-up that never trusts the first burst (socket buffers swallow megabytes long before they are on the wire).
export class SpeedMeter {
  private last: { at: number; bytes: number } | null = null;
  /** Where the current stretch of movement began; null while idle (speed 0). */
  private start: { at: number; bytes: number } | null = null;
  private value = 0;

  constructor(private readonly tauMs = 3000) {}

  /** Feeds the monotonic byte counter; returns the smoothed speed in bytes/s. */
  sample(bytes: number, at: number): number {
    if (!this.last) {
      this.last = { at, bytes };
      return this.value;
    }
    const dt = at - this.last.at;
    if (dt <= 0) return this.value;
    const instant = (Math.max(0, bytes - this.last.bytes) * 1000) / dt;
    this.start ??= instant > 0 ? this.last : null;
    if (this.start && at - this.start.at <= this.tauMs) {
      // Warm-up: what moved since the start, spread over at least one time constant.
      this.value = ((bytes - this.start.bytes) * 1000) / this.tauMs;
    } else {
      const alpha = 1 - Math.exp(-dt / this.tauMs);
      this.value += alpha * (instant - this.value);
    }
    if (this.value < 1) {
      this.value = 0;
      this.start = null;
    }
    this.last = { at, bytes };
    return this.value;
  }

  get speed(): number {
    return this.value;
  }
}

export function etaSeconds(remainingBytes: number, speed: number): number | null {
  if (remainingBytes <= 0) return 0;
  if (speed <= 0) return null;
  return Math.ceil(remainingBytes / speed);
}
