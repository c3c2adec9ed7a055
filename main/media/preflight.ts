// Media preflight off the main thread: a pool of one or two worker threads that read each file's headers and
// index (never the whole file) and answer what the file is, or why it is not a video Convoy should send.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { MediaFacts, PreflightResult } from './media-facts';
import { preflightReplySchema } from './preflight-messages';
import type { PreflightRequest } from './preflight-messages';

export type { MediaFacts, PreflightResult };

export interface PreflightPoolOptions {
  /** Worker threads, 1 or 2 (default: 2 where the machine has more than 2 cores, else 1). */
  size?: number;
  /** Files one worker reads at once (default 8: the work is mostly waiting on the disk). */
  perWorker?: number;
  /** A file not answered within this is refused as unreadable, and its worker replaced (default 30 s). */
  timeoutMs?: number;
  /** The worker's script; default preflight-worker.js beside this module when built, else the .ts through tsx. */
  workerFile?: string;
}

/** A worker's script: a file to run, or (eval) the code itself. */
export interface WorkerScript {
  source: string;
  eval: boolean;
}

interface Task {
  id: number;
  path: string;
  resolve: (result: PreflightResult) => void;
  attempts: number;
  timer?: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  tasks: Map<number, Task>;
}

/**
 * How to start the worker: the built preflight-worker.js beside this module, or (running from source: tests,
 * tsx) a small bootstrap that registers tsx's loader in the thread and imports the TypeScript source.
 */
export function defaultWorkerScript(): WorkerScript {
  // Built, the worker is an entry of its own: beside this code, or one folder up when this code landed in a shared
  // chunk (electron-vite writes those to out/main/chunks/).
  for (const beside of ['./preflight-worker.js', '../preflight-worker.js']) {
    const js = fileURLToPath(new URL(beside, import.meta.url));
    if (existsSync(js)) return { source: js, eval: false };
  }
  const tsx = createRequire(import.meta.url).resolve('tsx/cjs');
  const ts = fileURLToPath(new URL('./preflight-worker.ts', import.meta.url));
  return {
    source: `require(${JSON.stringify(tsx)}); require(${JSON.stringify(ts)});`,
    eval: true,
  };
}

export class PreflightPool {
  private readonly size: number;
  private readonly perWorker: number;
  private readonly timeoutMs: number;
  private readonly script: WorkerScript;
  private readonly slots: Slot[] = [];
  private readonly waiting: Task[] = [];
  private nextId = 1;
  private closed = false;

  constructor(options: PreflightPoolOptions = {}) {
    this.size = Math.min(2, Math.max(1, options.size ?? (cpus().length > 2 ? 2 : 1)));
    this.perWorker = Math.max(1, options.perWorker ?? 8);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.script = options.workerFile ? { source: options.workerFile, eval: false } : defaultWorkerScript();
  }

  /** What `path` is (its facts), or why it should not be sent. Never rejects. */
  run(path: string): Promise<PreflightResult> {
    if (this.closed) return Promise.resolve(refused(path, 'the preflight pool is closed'));
    return new Promise((resolve) => {
      this.waiting.push({ id: this.nextId++, path, resolve, attempts: 0 });
      this.pump();
    });
  }

  /** Stops the workers; files still waiting are answered as not checked. */
  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.waiting.splice(0)) task.resolve(refused(task.path, 'Convoy stopped before checking it'));
    const slots = this.slots.splice(0);
    for (const slot of slots)
      for (const task of slot.tasks.values())
        this.settle(slot, task, refused(task.path, 'Convoy stopped before checking it'));
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private pump(): void {
    while (this.waiting.length > 0) {
      const slot = this.freeSlot();
      if (!slot) return;
      const task = this.waiting.shift() as Task;
      task.attempts += 1;
      slot.tasks.set(task.id, task);
      slot.worker.ref();
      task.timer = setTimeout(() => this.timedOut(slot, task), this.timeoutMs);
      const request: PreflightRequest = { id: task.id, path: task.path };
      slot.worker.postMessage(request);
    }
  }

  private freeSlot(): Slot | undefined {
    let best: Slot | undefined;
    for (const slot of this.slots) if (!best || slot.tasks.size < best.tasks.size) best = slot;
    if (best && best.tasks.size === 0) return best;
    if (this.slots.length < this.size) return this.spawn();
    return best && best.tasks.size < this.perWorker ? best : undefined;
  }

  private spawn(): Slot {
    const worker = new Worker(this.script.source, { eval: this.script.eval });
    const slot: Slot = { worker, tasks: new Map() };
    worker.on('message', (message: unknown) => {
      const reply = preflightReplySchema.safeParse(message);
      if (!reply.success) return;
      const task = slot.tasks.get(reply.data.id);
      if (task) this.settle(slot, task, reply.data.result);
      this.pump();
    });
    const lost = (why: string) => {
      const at = this.slots.indexOf(slot);
      if (at < 0) return;
      this.slots.splice(at, 1);
      // Its files go back in line once (a crash caused by another file); a file that fails twice is answered.
      for (const task of slot.tasks.values()) {
        clearTimeout(task.timer);
        if (task.attempts < 2 && !this.closed) this.waiting.unshift(task);
        else task.resolve(refused(task.path, why));
      }
      slot.tasks.clear();
      this.pump();
    };
    worker.on('error', (error) => lost(`its check failed (${error.message})`));
    worker.on('exit', (code) => lost(`its check stopped (worker exit ${code})`));
    this.slots.push(slot);
    return slot;
  }

  private settle(slot: Slot, task: Task, result: PreflightResult): void {
    clearTimeout(task.timer);
    slot.tasks.delete(task.id);
    if (slot.tasks.size === 0) slot.worker.unref();
    task.resolve(result);
  }

  private timedOut(slot: Slot, task: Task): void {
    this.settle(slot, task, {
      ok: false,
      code: 'unreadable',
      reason: `${basename(task.path)} could not be read within ${Math.round(this.timeoutMs / 1000)} s (a slow or stuck disk?)`,
    });
    // The worker may be stuck on that file: replace it; its other files go back in line.
    void slot.worker.terminate();
  }
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
