// Knows which API servers can be reached, one base URL at a time: a failed request triggers a probe of its
// server; while that server is offline, probes repeat with back-off until it answers, then the work waiting on
// it resumes by itself. An unreachable server never holds up uploads to another.
import type { NetworkStatus } from '../../common/contract/queue';
import { exchange, ExchangeFailure } from '../apivideo/index';

export type Probe = (baseUrl: string) => Promise<boolean>;

export interface NetworkOptions {
  probe?: Probe;
  /** First delay between probes while offline; doubles up to maxIntervalMs. */
  intervalMs?: number;
  maxIntervalMs?: number;
  onChange?: (status: NetworkStatus) => void;
}

/** Any HTTP answer that is not a gateway/availability error (a redirect too) means the server is reachable. */
export const httpProbe: Probe = async (baseUrl) => {
  try {
    const reply = await exchange(new URL(baseUrl), { method: 'GET', headers: {}, timeoutMs: 5000 });
    return reply.status < 502 || reply.status > 504;
  } catch (error) {
    // Bytes of a reply came back (oversized, not HTTP, cut short while read): the server is there, misbehaving, and
    // that is counted against the retries elsewhere. Silence is not an answer: it may be the network.
    if (!(error instanceof ExchangeFailure)) return false;
    return (
      error.stage === 'reading' ||
      error.kind === 'headers-too-large' ||
      error.kind === 'not-http' ||
      error.kind === 'body-too-large'
    );
  }
};

/** One server's reachability: online until a check fails, then probed with back-off until it answers. */
class ServerWatch {
  online = true;
  nextProbeAt: number | undefined;
  private delay: number;
  private timer: NodeJS.Timeout | null = null;
  private probing: Promise<boolean> | null = null;
  private readonly waiters = new Set<() => void>();
  private closed = false;

  constructor(
    readonly baseUrl: string,
    private readonly probe: Probe,
    private readonly intervalMs: number,
    private readonly maxIntervalMs: number,
    private readonly changed: () => void,
  ) {
    this.delay = intervalMs;
  }

  async check(): Promise<boolean> {
    if (!this.online) return false;
    const ok = await this.probeOnce();
    if (!ok) this.goOffline();
    return ok;
  }

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

  wake(): void {
    if (!this.online && !this.closed) this.schedule(0);
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.release();
  }

  private release(): void {
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
    this.changed();
    this.timer = setTimeout(() => void this.tick(), ms);
  }

  private async tick(): Promise<void> {
    this.timer = null;
    if (this.closed) return;
    if (await this.probeOnce()) {
      this.online = true;
      this.nextProbeAt = undefined;
      this.changed();
      this.release();
      return;
    }
    this.delay = Math.min(this.maxIntervalMs, this.delay * 2);
    this.schedule(this.delay);
  }
}

export class NetworkMonitor {
  private readonly servers = new Map<string, ServerWatch>();
  private closed = false;
  private readonly probe: Probe;
  private readonly intervalMs: number;
  private readonly maxIntervalMs: number;

  constructor(private readonly options: NetworkOptions = {}) {
    this.probe = options.probe ?? httpProbe;
    this.intervalMs = options.intervalMs ?? 2000;
    this.maxIntervalMs = options.maxIntervalMs ?? 30_000;
  }

  /** Whether this server (or, without one, every server) can be reached as far as we know. */
  isOnline(baseUrl?: string): boolean {
    if (baseUrl !== undefined) return this.servers.get(baseUrl)?.online ?? true;
    for (const server of this.servers.values()) if (!server.online) return false;
    return true;
  }

  status(): NetworkStatus {
    const offline = [...this.servers.values()].filter((server) => !server.online);
    if (offline.length === 0) return { online: true, message: 'Connected.' };
    const probes = offline.map((server) => server.nextProbeAt).filter((at): at is number => at !== undefined);
    const which = offline.map((server) => server.baseUrl).join(', ');
    const one = offline.length === 1;
    const reason = one ? `The server cannot be reached (${which}).` : `These servers cannot be reached (${which}).`;
    return {
      online: false,
      ...(probes.length ? { nextProbeAt: Math.min(...probes) } : {}),
      reason,
      message: `${reason} Uploads to ${one ? 'it' : 'them'} are paused and resume by themselves when ${one ? 'it is' : 'they are'} back.`,
    };
  }

  /** After a network failure: probes that server at once. Resolves true when it still answers (a one-off failure). */
  check(baseUrl: string): Promise<boolean> {
    return this.watch(baseUrl).check();
  }

  /** Resolves when that server is online (at once if already). */
  waitOnline(baseUrl: string, signal?: AbortSignal): Promise<void> {
    return this.servers.get(baseUrl)?.waitOnline(signal) ?? Promise.resolve();
  }

  /** Sleep/wake or a clock jump: probe the offline servers now instead of waiting for the back-off. */
  wake(): void {
    for (const server of this.servers.values()) server.wake();
  }

  close(): void {
    this.closed = true;
    for (const server of this.servers.values()) server.close();
  }

  private watch(baseUrl: string): ServerWatch {
    let server = this.servers.get(baseUrl);
    if (!server) {
      server = new ServerWatch(baseUrl, this.probe, this.intervalMs, this.maxIntervalMs, () => {
        if (!this.closed) this.options.onChange?.(this.status());
      });
      this.servers.set(baseUrl, server);
    }
    return server;
  }
}
