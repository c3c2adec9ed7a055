// An optional bandwidth limit shared by every upload stream: a token bucket refilled at the limit, and a
// pass-through Transform that waits for tokens before letting each piece of a chunk body through.
import { Transform, type TransformCallback } from 'node:stream';

export class TokenBucket {
  private rate: number | null;
  private tokens = 0;
  private last = Date.now();
  private waiters: { bytes: number; resolve: () => void }[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(bytesPerSecond: number | null) {
    this.rate = bytesPerSecond;
  }

  setRate(bytesPerSecond: number | null): void {
    this.refill();
    this.rate = bytesPerSecond;
    this.drain();
  }

  get limited(): boolean {
    return this.rate !== null;
  }

  /** Resolves once `bytes` may be sent. */
  take(bytes: number): Promise<void> {
    if (this.rate === null) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiters.push({ bytes, resolve });
      this.drain();
    });
  }

  private refill(): void {
    const now = Date.now();
    if (this.rate !== null) {
      // At most one second of burst.
      this.tokens = Math.min(this.rate, this.tokens + ((now - this.last) / 1000) * this.rate);
    }
    this.last = now;
  }

  private drain(): void {
    this.refill();
    while (this.waiters.length > 0) {
      const head = this.waiters[0]!;
      if (this.rate === null || this.tokens >= Math.min(head.bytes, this.rate)) {
        if (this.rate !== null) this.tokens -= head.bytes;
        this.waiters.shift();
        head.resolve();
        continue;
      }
      break;
    }
    if (this.waiters.length > 0 && !this.timer && this.rate !== null) {
      const head = this.waiters[0]!;
      const wait = Math.max(5, ((Math.min(head.bytes, this.rate) - this.tokens) / this.rate) * 1000);
      this.timer = setTimeout(() => {
        this.timer = null;
        this.drain();
      }, wait);
    }
  }
}

/** Passes data through at the bucket's pace. */
export function throttle(bucket: TokenBucket): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      bucket.take(chunk.length).then(
        () => callback(null, chunk),
        (error: unknown) => callback(error as Error),
      );
    },
  });
}
