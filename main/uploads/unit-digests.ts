// The SHA-256 of each unit of the bytes a request reads for sending: hashed by one shared worker thread
// (digest-worker.ts) so that the main thread only reads, copies and sends; in this thread when no worker can run.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { workerScript, type WorkerScript } from '../lib/worker-script';
import { PartHash } from './content-hash';
import { digestReplySchema, type DigestMessage, type DigestRequest } from './digest-messages';

/** The digests of one stream of bytes cut into units, fed in order. */
export interface UnitDigests {
  /** The next bytes; `endsUnit`: they complete a unit that is not the stream's last (`finish` ends that one). */
  update(bytes: Buffer, endsUnit: boolean): void;
  /** Each unit's digest (base64url), after the last byte; null when they were lost with the worker. Call once. */
  finish(): Promise<string[] | null>;
  /** Forgets the stream (an attempt that did not read to its end). */
  drop(): void;
  /** Null when reading on is fine now; else settles once the worker caught up with what was read. */
  behind(): Promise<void> | null;
}

/**
 * The ring of shared memory bytes are copied into for the worker, in bytes: room for several requests' pieces
 * (each is 256 KiB), small enough to cost little resident memory. Reading waits while more than half of it is
 * not yet hashed.
 */
const RING = 8 * 1024 * 1024;
/** Ring bytes named by one message to the worker (see DigestWorker.send). */
const BATCH = 1024 * 1024;
/** A worker that stopped this many times is not started again: hashing stays in the main thread. */
const MAX_FAILURES = 3;

/** Hashing in the calling thread: the fallback, and the measure the worker's digests must equal. */
export class InThreadDigests implements UnitDigests {
  private hash = new PartHash();
  private readonly done: string[] = [];

  update(bytes: Buffer, endsUnit: boolean): void {
    this.hash.update(bytes);
    if (endsUnit) {
      this.done.push(this.hash.digest());
      this.hash = new PartHash();
    }
  }

  finish(): Promise<string[]> {
    this.done.push(this.hash.digest());
    return Promise.resolve(this.done);
  }

  drop(): void {}

  behind(): null {
    return null;
  }
}

interface Open {
  /** Set once the stream finished: called with its digests (or null when the worker was lost). */
  resolve?: (digests: string[] | null) => void;
}

/** The worker thread and the ring it reads: bytes written and hashed so far (the ring holds the difference). */
interface Thread {
  worker: Worker;
  ring: Buffer;
  written: number;
  hashed: number;
  /** Requests not yet posted, and how many ring bytes they name (see send). */
  batch: DigestRequest[];
  batched: number;
  transfer: ArrayBuffer[];
}

/**
 * One worker thread for the process's uploads. Bytes are copied once, into a ring of shared memory, and the worker
 * told where they are, in batches (a message costs far less than handing over a buffer, and one message for many
 * pieces less than one each: every message wakes the thread); it reports what it hashed, so the ring's
 * room is reused, and reading waits while it is behind. A piece that finds no room goes in a copy of its own. A
 * worker that stops loses only the digests of its open streams (null: the engine then hashes those units from disk
 * before it trusts them); the next stream starts another, up to MAX_FAILURES, then hashing stays in this thread.
 */
export class DigestWorker {
  private thread: Thread | null = null;
  private readonly streams = new Map<number, Open>();
  private nextId = 1;
  private waiters: (() => void)[] = [];
  private failures = 0;
  private closed = false;
  private readonly script: WorkerScript | null;

  /**
   * `script`: default digest-worker.js beside this code, else its source through tsx (neither: in this thread);
   * null: always in this thread.
   */
  constructor(script?: WorkerScript | null) {
    this.script = script === undefined ? findScript() : script;
  }

  /** A new stream's digests: through the worker, or in this thread when it cannot run. */
  open(): UnitDigests {
    const usable = !this.closed && this.failures < MAX_FAILURES && this.script;
    const thread = usable ? (this.thread ?? this.start(usable)) : null;
    if (!thread) return new InThreadDigests();
    const id = this.nextId++;
    const entry: Open = {};
    this.streams.set(id, entry);
    if (this.streams.size === 1) thread.worker.ref();
    // The stream is live while it is in `streams`: a drop, its digests' reply or the loss of its worker (which
    // clears them all) takes it out, and ids are never reused, so a later worker cannot make it live again.
    const live = () => this.streams.has(id);
    return {
      update: (bytes, endsUnit) => {
        if (live()) this.write(thread, id, bytes, endsUnit);
      },
      finish: () => {
        if (!live()) return Promise.resolve(null);
        const digests = new Promise<string[] | null>((resolve) => (entry.resolve = resolve));
        this.send(thread, { kind: 'end', id }, true);
        return digests;
      },
      drop: () => {
        if (!live()) return;
        this.send(thread, { kind: 'drop', id });
        this.streams.delete(id);
        if (this.streams.size === 0) thread.worker.unref();
      },
      behind: () => {
        if (thread.written - thread.hashed <= RING / 2 || this.thread !== thread) return null;
        this.flush(thread); // what it waits for must have been asked for
        return new Promise<void>((resolve) => this.waiters.push(resolve));
      },
    };
  }

  /** Stops the worker; open streams end without digests. */
  async close(): Promise<void> {
    this.closed = true;
    const thread = this.thread;
    this.lose();
    await thread?.worker.terminate();
  }

  /** Copies `bytes` into the ring (in two runs where it wraps) and says where; in a copy of its own without room. */
  private write(thread: Thread, id: number, bytes: Buffer, endsUnit: boolean): void {
    if (RING - (thread.written - thread.hashed) < bytes.length) {
      const own = new Uint8Array(bytes);
      thread.transfer.push(own.buffer);
      this.send(thread, { kind: 'bytes', id, at: 0, length: bytes.length, bytes: own, endsUnit }, true);
      return;
    }
    let done = 0;
    do {
      const at = thread.written % RING;
      const length = Math.min(bytes.length - done, RING - at);
      bytes.copy(thread.ring, at, done, done + length);
      done += length;
      thread.written += length;
      thread.batched += length;
      this.send(thread, { kind: 'bytes', id, at, length, endsUnit: endsUnit && done === bytes.length });
    } while (done < bytes.length);
  }

  /** Queues a request; the batch leaves when it names BATCH bytes, or at once when `now` (someone waits on it). */
  private send(thread: Thread, request: DigestRequest, now = false): void {
    thread.batch.push(request);
    if (now || thread.batched >= BATCH) this.flush(thread);
  }

  private flush(thread: Thread): void {
    if (thread.batch.length === 0) return;
    const message: DigestMessage = { kind: 'batch', requests: thread.batch };
    thread.worker.postMessage(message, thread.transfer);
    thread.batch = [];
    thread.batched = 0;
    thread.transfer = [];
  }

  private start(script: WorkerScript): Thread | null {
    let worker: Worker;
    try {
      worker = new Worker(script.source, { eval: script.eval });
    } catch {
      this.failures = MAX_FAILURES;
      return null;
    }
    const shared = new SharedArrayBuffer(RING);
    const thread: Thread = {
      worker,
      ring: Buffer.from(shared),
      written: 0,
      hashed: 0,
      batch: [],
      batched: 0,
      transfer: [],
    };
    worker.postMessage({ kind: 'ring', ring: shared } satisfies DigestMessage);
    worker.unref();
    worker.on('message', (message: unknown) => {
      const reply = digestReplySchema.safeParse(message);
      if (!reply.success || this.thread !== thread) return;
      if (reply.data.kind === 'hashed') return this.hashed(thread, reply.data.bytes);
      const entry = this.streams.get(reply.data.id);
      this.streams.delete(reply.data.id);
      if (this.streams.size === 0) worker.unref();
      entry?.resolve?.(reply.data.digests);
    });
    const lost = () => {
      if (this.thread !== thread) return;
      this.failures += 1;
      this.lose();
    };
    worker.on('error', lost);
    worker.on('exit', lost);
    this.thread = thread;
    return thread;
  }

  private hashed(thread: Thread, bytes: number): void {
    thread.hashed = Math.min(thread.written, thread.hashed + bytes);
    if (thread.written - thread.hashed <= RING / 4) this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** The worker is gone: its streams' digests with it, and nothing waits for it any more. */
  private lose(): void {
    this.thread = null;
    const streams = [...this.streams.values()];
    this.streams.clear();
    for (const entry of streams) entry.resolve?.(null);
    this.wake();
  }
}

/** How to start the digest worker: its built script beside this code, or its source through tsx; null if neither. */
function findScript(): WorkerScript | null {
  try {
    return workerScript('digest-worker', new URL('./digest-worker.ts', import.meta.url));
  } catch {
    return null;
  }
}

/**
 * Where digests are computed: in a worker thread, in the calling thread, or 'auto': a worker where the machine has
 * more than two cores. With two, measured (BENCHMARKS.md, *Throughput*), no core is idle while an upload runs
 * against a local server, and the worker's copies and wake-ups cost more than it frees.
 */
export type DigestPlacement = 'auto' | 'worker' | 'thread';

let placement: DigestPlacement = 'auto';
let shared: DigestWorker | undefined;

/** Sets where later streams' digests are computed (benchmarks compare the two; the default is 'auto'). */
export async function placeDigests(where: DigestPlacement): Promise<void> {
  placement = where;
  await closeDigests();
}

/** A stream's digests, through the process's shared worker (started on first use) or in this thread. */
export function unitDigests(): UnitDigests {
  const worker = placement === 'worker' || (placement === 'auto' && availableParallelism() > 2);
  shared ??= new DigestWorker(worker ? undefined : null);
  return shared.open();
}

/** Stops the shared worker (at quit; a later stream starts another). */
export async function closeDigests(): Promise<void> {
  const worker = shared;
  shared = undefined;
  await worker?.close();
}
