// Media preflight off the main thread: a pool of one or two worker threads that read each file's headers and
// index (never the whole file) and answer what the file is, or why it is not a video Convoy should send.
import { cpus } from 'node:os';
import { basename } from 'node:path';
import { Worker } from 'node:worker_threads';
import { workerScript, type WorkerScript } from '../lib/worker-script';
import type { MediaFacts, PreflightResult } from './media-facts';
import { preflightAnswerSchema, preflightReplySchema } from './preflight-messages';
import type { PreflightRequest } from './preflight-messages';

export type { MediaFacts, PreflightResult, WorkerScript };

export interface PreflightPoolOptions {
  /** Worker threads, 1 or 2 (default: 2 where the machine has more than 2 cores, else 1). */
  size?: number;
  /** Files one worker reads at once (default 8: the work is mostly waiting on the disk). */
  perWorker?: number;
  /** A file not answered within this is refused as unreadable, and its worker replaced (default 30 s). */
  timeoutMs?: number;
  /** The worker's script; default preflight-worker.js beside this module when built, else the .ts through tsx. */
  workerFile?: string | WorkerScript;
}

/** Messages between the pool and its workers so far, each way (a message carries a batch of files). */
export interface PreflightTraffic {
  files: number;
  sent: number;
  received: number;
}

interface Task {
  id: number;
  path: string;
  resolve: (result: PreflightResult) => void;
  attempts: number;
  /** When it was last sent to a worker (performance.now()). */
  sentAt: number;
}

interface Slot {
  worker: Worker;
  /** Its files in flight, in the order they were sent (so the first is the oldest). */
  tasks: Map<number, Task>;
  /** The one timer of this worker: set for the deadline of its oldest file in flight. */
  timer?: NodeJS.Timeout;
  /** Terminated after a timeout, not yet exited: takes no more files. */
  retiring: boolean;
}

/** How to start the preflight worker: its built script beside this code, or its source through tsx. */
export function defaultWorkerScript(): WorkerScript {
  return workerScript('preflight-worker', new URL('./preflight-worker.ts', import.meta.url));
}

/**
 * The pool. Files go to a worker in batches (as many as it has room for, in one message) and come back in batches;
 * each worker has one timer, set for its oldest file in flight, rather than one a file. A file not answered within
 * `timeoutMs` of being sent is still refused by name, and its worker replaced; its other files go back in line.
 */
export class PreflightPool {
  private readonly size: number;
  private readonly perWorker: number;
  private readonly timeoutMs: number;
  private readonly script: WorkerScript;
  private readonly slots: Slot[] = [];
  /** Files not yet sent, in line from `head` on (taken by moving `head`, so a batch costs no copy of the line). */
  private waiting: Task[] = [];
  private head = 0;
  private readonly counts: PreflightTraffic = { files: 0, sent: 0, received: 0 };
  private nextId = 1;
  private pumpSoon = false;
  private closed = false;

  constructor(options: PreflightPoolOptions = {}) {
    this.size = Math.min(2, Math.max(1, options.size ?? (cpus().length > 2 ? 2 : 1)));
    this.perWorker = Math.max(1, options.perWorker ?? 8);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    const file = options.workerFile;
    this.script = typeof file === 'string' ? { source: file, eval: false } : (file ?? defaultWorkerScript());
  }

  /** What `path` is (its facts), or why it should not be sent. Never rejects. */
  run(path: string): Promise<PreflightResult> {
    if (this.closed) return Promise.resolve(refused(path, 'the preflight pool is closed'));
    this.counts.files += 1;
    return new Promise((resolve) => {
      this.waiting.push({ id: this.nextId++, path, resolve, attempts: 0, sentAt: 0 });
      // Files asked for in one go (a scan's thousands) leave together, in batches, once the caller yields.
      if (this.pumpSoon) return;
      this.pumpSoon = true;
      queueMicrotask(() => {
        this.pumpSoon = false;
        this.pump();
      });
    });
  }

  /** Files asked for, and messages to and from the workers, since the pool was made. */
  traffic(): PreflightTraffic {
    return { ...this.counts };
  }

  /** Stops the workers; files still waiting are answered as not checked. */
  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.take(this.waiting.length))
      task.resolve(refused(task.path, 'Convoy stopped before checking it'));
    const slots = this.slots.splice(0);
    for (const slot of slots) {
      clearTimeout(slot.timer);
      for (const task of slot.tasks.values()) task.resolve(refused(task.path, 'Convoy stopped before checking it'));
      slot.tasks.clear();
    }
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private pump(): void {
    if (this.closed) return;
    while (this.head < this.waiting.length) {
      const slot = this.freeSlot();
      if (!slot) return;
      const batch = this.take(this.perWorker - slot.tasks.size);
      const sentAt = performance.now();
      for (const task of batch) {
        task.attempts += 1;
        task.sentAt = sentAt;
        slot.tasks.set(task.id, task);
      }
      slot.worker.ref();
      this.arm(slot);
      const request: PreflightRequest = { files: batch.map(({ id, path }) => ({ id, path })) };
      slot.worker.postMessage(request);
      this.counts.sent += 1;
    }
  }

  /** The next `count` files in line, taken out of it. */
  private take(count: number): Task[] {
    const batch = this.waiting.slice(this.head, this.head + count);
    this.head += batch.length;
    if (this.head === this.waiting.length) {
      this.waiting = [];
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.waiting.length) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
    return batch;
  }

  private freeSlot(): Slot | undefined {
    let best: Slot | undefined;
    let running = 0;
    for (const slot of this.slots) {
      if (slot.retiring) continue;
      running += 1;
      if (!best || slot.tasks.size < best.tasks.size) best = slot;
    }
    if (best && best.tasks.size === 0) return best;
    if (running < this.size) return this.spawn();
    return best && best.tasks.size < this.perWorker ? best : undefined;
  }

  private spawn(): Slot {
    const worker = new Worker(this.script.source, { eval: this.script.eval });
    const slot: Slot = { worker, tasks: new Map(), retiring: false };
    worker.on('message', (message: unknown) => {
      const reply = preflightReplySchema.safeParse(message);
      if (!reply.success) return;
      this.counts.received += 1;
      for (const item of reply.data.answers) {
        const answer = preflightAnswerSchema.safeParse(item);
        // An answer that does not validate refuses its file, when it says which; otherwise the file's deadline does.
        const id = answer.success ? answer.data.id : answeredId(item);
        const task = id === undefined ? undefined : slot.tasks.get(id);
        if (!task) continue;
        slot.tasks.delete(task.id);
        task.resolve(answer.success ? answer.data.result : wrongAnswer(task.path));
      }
      this.idle(slot);
      this.pump();
    });
    const lost = (why: string) => {
      const at = this.slots.indexOf(slot);
      if (at < 0) return;
      this.slots.splice(at, 1);
      clearTimeout(slot.timer);
      // Its files go back in line once (a crash caused by another file); a file that fails twice is answered.
      const again: Task[] = [];
      for (const task of slot.tasks.values()) {
        if (task.attempts < 2 && !this.closed) again.push(task);
        else task.resolve(refused(task.path, why));
      }
      slot.tasks.clear();
      this.waiting.splice(this.head, 0, ...again);
      this.pump();
    };
    worker.on('error', (error) => lost(`its check failed (${error.message})`));
    worker.on('exit', (code) => lost(`its check stopped (worker exit ${code})`));
    this.slots.push(slot);
    return slot;
  }

  /** Sets the worker's timer for its oldest file in flight, unless it is set (then for an older one, or the same). */
  private arm(slot: Slot): void {
    if (slot.timer) return;
    const oldest = slot.tasks.values().next().value as Task | undefined;
    if (!oldest) return;
    const wait = Math.max(0, oldest.sentAt + this.timeoutMs - performance.now());
    slot.timer = setTimeout(() => this.expire(slot), wait);
  }

  /** A worker with nothing in flight: no timer, and it does not keep the process alive. */
  private idle(slot: Slot): void {
    if (slot.tasks.size > 0) return;
    clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.worker.unref();
  }

  /** The worker's timer: its files past their deadline are refused, and the worker replaced; else it waits on. */
  private expire(slot: Slot): void {
    slot.timer = undefined;
    // Timers keep whole milliseconds: a deadline within the next one counts as reached.
    const now = performance.now() + 1;
    const late: Task[] = [];
    for (const task of slot.tasks.values()) {
      if (task.sentAt + this.timeoutMs > now) break;
      late.push(task);
    }
    if (late.length === 0) return this.arm(slot);
    for (const task of late) {
      slot.tasks.delete(task.id);
      task.resolve({
        ok: false,
        code: 'unreadable',
        reason: `${basename(task.path)} could not be read within ${Math.round(this.timeoutMs / 1000)} s (a slow or stuck disk?)`,
      });
    }
    // The worker may be stuck on that file: replace it; its other files go back in line when it has stopped.
    slot.retiring = true;
    void slot.worker.terminate();
    this.pump();
  }
}

/** The file id of an answer that did not validate, if it has one. */
function answeredId(item: unknown): number | undefined {
  const id = typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined;
  return typeof id === 'number' ? id : undefined;
}

/** The refusal of a file whose worker answered in a shape the pool does not accept (a parser's bug). */
function wrongAnswer(path: string): PreflightResult {
  return { ok: false, code: 'unknown', reason: `${basename(path)} could not be checked (its check answered wrongly)` };
}

function refused(path: string, why: string): PreflightResult {
  return { ok: false, code: 'unreadable', reason: `${basename(path)} could not be checked: ${why}` };
}

let shared: PreflightPool | undefined;

/** Preflight through the process's shared pool (made on first use). */
export function preflight(path: string): Promise<PreflightResult> {
  shared ??= new PreflightPool();
  return shared.run(path);
}

/** Stops the shared pool's workers (at quit; a later preflight starts a new pool). */
export async function closePreflight(): Promise<void> {
  const pool = shared;
  shared = undefined;
  await pool?.close();
}
