// Injected faults for tests (POST /_sandbox/faults): random failures, mid-body connection resets, latency,
// per-connection and total bandwidth caps on request bodies, lost upload replies, and a full outage of the API routes.
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';

export const faultsSchema = z
  .object({
    failRate: z.number().min(0).max(1).optional(),
    failStatus: z.number().int().min(400).max(599).optional(),
    resetRate: z.number().min(0).max(1).optional(),
    latencyMs: z.number().min(0).max(600_000).optional(),
    connectionBytesPerSec: z.number().positive().optional(),
    totalBytesPerSec: z.number().positive().optional(),
    outage: z.boolean().optional(),
    /** The next N chunk uploads are handled as usual (kept, or refused), but their replies are lost: the connection drops. */
    loseUploadReplies: z.number().int().min(0).max(1000).optional(),
  })
  .strict();

export type Faults = z.infer<typeof faultsSchema>;

/** A token bucket allowing `rate` bytes per second with one second of burst. */
class Bucket {
  private tokens: number;
  private last = Date.now();
  constructor(private readonly rate: number) {
    this.tokens = Math.min(rate, 64 * 1024);
  }
  async take(bytes: number): Promise<void> {
    for (;;) {
      const now = Date.now();
      this.tokens = Math.min(this.rate, this.tokens + ((now - this.last) / 1000) * this.rate);
      this.last = now;
      if (this.tokens >= bytes || this.tokens >= this.rate) {
        this.tokens -= bytes;
        return;
      }
      await sleep(Math.max(5, ((bytes - this.tokens) / this.rate) * 1000));
    }
  }
}

export class FaultInjector {
  private faults: Faults = {};
  private totalBucket: Bucket | null = null;
  private readonly connectionBuckets = new WeakMap<Socket, Bucket>();
  /** sockets currently carrying an API request, dropped all at once when an outage starts */
  readonly apiSockets = new Set<Socket>();

  get current(): Faults {
    return this.faults;
  }

  set(faults: Faults): void {
    this.faults = faults;
    this.totalBucket = faults.totalBytesPerSec ? new Bucket(faults.totalBytesPerSec) : null;
    if (faults.outage) for (const socket of this.apiSockets) socket.destroy();
  }

  clear(): void {
    this.set({});
  }

  get outage(): boolean {
    return this.faults.outage === true;
  }

  async delay(): Promise<void> {
    if (this.faults.latencyMs) await sleep(this.faults.latencyMs);
  }

  /** Whether this upload's reply is to be lost after the server kept the chunk (counts one down). */
  loseReply(): boolean {
    const left = this.faults.loseUploadReplies ?? 0;
    if (left <= 0) return false;
    this.faults = { ...this.faults, loseUploadReplies: left - 1 };
    return true;
  }

  /** The status to fail this request with, or null. */
  failure(): number | null {
    return this.faults.failRate && Math.random() < this.faults.failRate ? (this.faults.failStatus ?? 503) : null;
  }

  /** The request body as the handler should read it: capped and possibly cut mid-way. */
  body(req: IncomingMessage): Readable {
    const reset = this.faults.resetRate !== undefined && Math.random() < this.faults.resetRate;
    const perConnection = this.faults.connectionBytesPerSec;
    if (!reset && !perConnection && !this.totalBucket) return req;
    if (reset && !hasBody(req)) {
      req.socket.destroy();
      return req;
    }
    let connectionBucket: Bucket | undefined;
    if (perConnection) {
      connectionBucket = this.connectionBuckets.get(req.socket) ?? new Bucket(perConnection);
      this.connectionBuckets.set(req.socket, connectionBucket);
    }
    const total = this.totalBucket;
    const declared = Number(req.headers['content-length'] ?? 0);
    const cutAt = reset ? Math.max(1, Math.floor((declared || 2) / 2)) : Infinity;
    async function* paced(): AsyncGenerator<Buffer> {
      let seen = 0;
      for await (const chunk of req as AsyncIterable<Buffer>) {
        seen += chunk.length;
        if (seen >= cutAt) {
          req.socket.destroy();
          throw new Error('connection reset by the sandbox (fault injection)');
        }
        for (let offset = 0; offset < chunk.length; offset += 64 * 1024) {
          const slice = chunk.subarray(offset, offset + 64 * 1024);
          if (connectionBucket) await connectionBucket.take(slice.length);
          if (total) await total.take(slice.length);
          yield slice;
        }
      }
    }
    return Readable.from(paced(), { objectMode: false });
  }
}

function hasBody(req: IncomingMessage): boolean {
  return Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
}
