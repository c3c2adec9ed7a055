// Knows whether the API can be reached. A failed request triggers a probe; while offline, probes repeat with
// back-off until the server answers, then everything waiting on the network resumes by itself.
import type { NetworkStatus } from '../../preload/contract/queue';

export type Probe = (baseUrl: string) => Promise<boolean>;

export interface NetworkOptions {
  probe?: Probe;
  /** First delay between probes while offline; doubles up to maxIntervalMs. */
  intervalMs?: number;
  maxIntervalMs?: number;
  onChange?: (status: NetworkStatus) => void;
}

/** Any HTTP answer that is not a gateway/availability error means the server is reachable. */
export const httpProbe: Probe = async (baseUrl) => {
  try {
    const response = await fetch(baseUrl, { method: 'GET', signal: AbortSignal.timeout(5000), redirect: 'manual' });
    await response.body?.cancel().catch(() => {});
    return response.status < 502 || response.status > 504;
  } catch {
    return false;
  }
};

export class NetworkMonitor {
  private online = true;
  private baseUrl = '';
  private nextProbeAt: number | undefined;
  private delay: number;
  private timer: NodeJS.Timeout | null = null;
  private probing: Promise<boolean> | null = null;
  private waiters = new Set<() => void>();
  private closed = false;
  private readonly probe: Probe;
  private readonly intervalMs: number;
  private readonly maxIntervalMs: number;

  constructor(private readonly options: NetworkOptions = {}) {
    this.probe = options.probe ?? httpProbe;
    this.intervalMs = options.intervalMs ?? 2000;
    this.maxIntervalMs = options.maxIntervalMs ?? 30_000;
    this.delay = this.intervalMs;
  }

  get isOnline(): boolean {
    return this.online;
  }

  status(): NetworkStatus {
    if (this.online) return { online: true, message: 'Connected.' };
    return {
      online: false,
      ...(this.nextProbeAt !== undefined ? { nextProbeAt: this.nextProbeAt } : {}),
      message: `The server cannot be reached (${this.baseUrl}). Uploads are paused and resume by themselves when it is back.`,
    };
  }

  /** After a network failure: probes at once. Resolves true when the server still answers (a one-off failure). */
  async check(baseUrl: string): Promise<boolean> {
    if (!this.online) return false;
    this.baseUrl = baseUrl;
    const ok = await this.probeOnce();
    if (!ok) this.goOffline();
    return ok;
  }

  /** Resolves when online (at once if already). */
  waitOnline(signal?: AbortSignal): Promise<void> {
    if (this.online || this.closed) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        this.waiters.delete(done);
        reject(signal?.reason);
      };
      this.waiters.add(done);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Sleep/wake or a clock jump: probe now instead of waiting for the back-off. */
  wake(): void {
    if (!this.online && !this.closed) this.schedule(0);
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const waiter of this.waiters) waiter();
    this.waiters.clear();
  }

  private probeOnce(): Promise<boolean> {
    if (!this.probing) {
      this.probing = this.probe(this.baseUrl).finally(() => {
        this.probing = null;
      });
    }
    return this.probing;
  }

  private goOffline(): void {
    if (!this.online) return;
    this.online = false;
    this.delay = this.intervalMs;
    this.schedule(this.delay);
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.nextProbeAt = Date.now() + ms;
    this.options.onChange?.(this.status());
    this.timer = setTimeout(() => void this.tick(), ms);
  }

  private async tick(): Promise<void> {
    this.timer = null;
    if (this.closed) return;
    if (await this.probeOnce()) {
      this.online = true;
      this.nextProbeAt = undefined;
      this.options.onChange?.(this.status());
      for (const waiter of this.waiters) waiter();
      this.waiters.clear();
      return;
    }
    this.delay = Math.min(this.maxIntervalMs, this.delay * 2);
    this.schedule(this.delay);
  }
}
