// Waits for files to be complete: a file being written or copied is left alone until its size and modification time
// have not moved for the settle time and it can be opened for reading; then it is handed on, once.
import type { Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';

export interface SettleOptions {
  settleMs: number;
  /** Called with the files that settled (at most once per arrival); their stat as it was when they settled. */
  onSettled(files: { path: string; info: Stats }[]): void;
  /** How often the waiting files are looked at (default: a quarter of the settle time, 100 ms to 1 s). */
  tickMs?: number;
  now?: () => number;
  /** Reading test (default: opening the file for reading); false while another program holds it exclusively. */
  readable?: (path: string) => Promise<boolean>;
}

interface Waiting {
  size: number;
  mtimeMs: number;
  /** When size and mtime last moved (or the file was first seen). */
  since: number;
}

async function openable(path: string): Promise<boolean> {
  try {
    const handle = await open(path, 'r');
    await handle.close();
    return true;
  } catch {
    return false;
  }
}

export class SettleTracker {
  private readonly waiting = new Map<string, Waiting | null>();
  private timer: NodeJS.Timeout | null = null;
  private ticking = false;
  private closed = false;
  private readonly now: () => number;
  private readonly tickMs: number;

  constructor(private readonly options: SettleOptions) {
    this.now = options.now ?? Date.now;
    this.tickMs = options.tickMs ?? Math.min(1000, Math.max(100, Math.round(options.settleMs / 4)));
  }

  /** Files waiting to settle now. */
  get size(): number {
    return this.waiting.size;
  }

  has(path: string): boolean {
    return this.waiting.has(path);
  }

  /** A file arrived or changed: it waits (again) for the whole settle time. */
  touch(path: string): void {
    if (this.closed) return;
    this.waiting.set(path, null);
    this.schedule();
  }

  /** The file is gone (deleted, moved away): it no longer waits. */
  forget(path: string): void {
    this.waiting.delete(path);
  }

  /** Forgets every waiting file under `dir` (or all of them). */
  clear(dir?: string): void {
    if (dir === undefined) this.waiting.clear();
    else for (const path of this.waiting.keys()) if (path.startsWith(dir)) this.waiting.delete(path);
  }

  close(): void {
    this.closed = true;
    this.waiting.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.timer || this.ticking || this.closed || this.waiting.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.tick();
    }, this.tickMs);
  }

  /** Looks at every waiting file once: moved ones wait on, still ones past the settle time and readable go on. */
  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      const paths = [...this.waiting.keys()];
      const infos = await Promise.all(paths.map((path) => stat(path).catch(() => null)));
      const settled: { path: string; info: Stats }[] = [];
      const checks: Promise<void>[] = [];
      const at = this.now();
      for (const [i, path] of paths.entries()) {
        if (!this.waiting.has(path)) continue; // forgotten meanwhile
        const info = infos[i];
        if (!info || !info.isFile()) {
          this.waiting.delete(path); // gone, or not a file: its next event brings it back
          continue;
        }
        const seen = this.waiting.get(path);
        if (!seen || seen.size !== info.size || seen.mtimeMs !== info.mtimeMs) {
          this.waiting.set(path, { size: info.size, mtimeMs: info.mtimeMs, since: at });
          continue;
        }
        if (at - seen.since < this.options.settleMs) continue;
        checks.push(
          (this.options.readable ?? openable)(path).then((ok) => {
            if (!ok || this.waiting.get(path) !== seen) return; // still held by its writer, or touched meanwhile
            this.waiting.delete(path);
            settled.push({ path, info });
          }),
        );
      }
      await Promise.all(checks);
      if (settled.length && !this.closed) this.options.onSettled(settled);
    } finally {
      this.ticking = false;
      this.schedule();
    }
  }
}
