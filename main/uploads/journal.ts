// The durable record of the queue: an append-only NDJSON log of small records (O(1) per acknowledged chunk),
// replayed on open over the last snapshot. Writes reach the kernel at once (they survive SIGKILL), fsync is
// batched; the log is compacted into a snapshot (temp + fsync + rename) once it outgrows the queue.
import { closeSync, existsSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { QueueSettings } from '../../common/contract/queue';
import {
  fromStored,
  logRecordSchema,
  snapshotSchema,
  toStored,
  type JobPatch,
  type JobRecord,
  type LogRecord,
  type Snapshot,
} from './records';

const snapshotName = 'journal.snapshot.json';
const logName = (generation: number) => `journal.${generation}.ndjson`;
const lockName = 'journal.lock';

export interface JournalOptions {
  dir: string;
  /** Milliseconds between batched fsyncs of the log. */
  fsyncDelayMs?: number;
  log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
}

export class Journal {
  readonly jobs = new Map<string, JobRecord>();
  settings: QueueSettings | null = null;
  private fd: number;
  private generation: number;
  private lines = 0;
  private fsyncTimer: NodeJS.Timeout | null = null;
  private closed = false;

  private constructor(
    private readonly options: Required<Omit<JournalOptions, 'log'>> & Pick<JournalOptions, 'log'>,
    generation: number,
    fd: number,
  ) {
    this.generation = generation;
    this.fd = fd;
  }

  static open(options: JournalOptions): Journal {
    const dir = options.dir;
    mkdirSync(dir, { recursive: true });
    acquireLock(dir);
    const warn = (message: string) => options.log?.('warn', message);
    const snapshot = readSnapshot(dir, warn);
    const generation = snapshot?.generation ?? 0;
    const logPath = join(dir, logName(generation));
    const records = existsSync(logPath) ? readLog(logPath, warn) : { records: [], goodBytes: 0 };
    removeStaleFiles(dir, generation);
    const fd = openSync(logPath, existsSync(logPath) ? 'r+' : 'w+');
    // Drop a torn last line so the next record starts on a fresh line.
    ftruncateSync(fd, records.goodBytes);
    closeSync(fd);
    const appendFd = openSync(logPath, 'a');
    const journal = new Journal({ fsyncDelayMs: 100, ...options }, generation, appendFd);
    for (const job of snapshot?.jobs ?? []) journal.jobs.set(job.id, fromStored(job));
    journal.settings = snapshot?.settings ?? null;
    for (const record of records.records) journal.apply(record);
    journal.lines = records.records.length;
    return journal;
  }

  /** Appends one record and applies it. `durable`: fsync before returning (used before answering a request). */
  write(record: LogRecord, durable = false): void {
    if (this.closed) return;
    this.apply(record);
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
    this.lines += 1;
    if (durable) this.sync();
    else this.scheduleSync();
    if (this.lines > 2000 + 2 * this.jobs.size) this.compact();
  }

  add(job: JobRecord, durable = false): void {
    this.write({ t: 'add', job: toStored(job) }, durable);
  }

  set(id: string, patch: JobPatch, clear: string[] = []): void {
    this.write(clear.length ? { t: 'set', id, patch, clear } : { t: 'set', id, patch });
  }

  ack(id: string, part: number): void {
    this.write({ t: 'ack', id, part });
  }

  replaceAcks(id: string, parts: number[]): void {
    this.write({ t: 'acks', id, parts });
  }

  remove(id: string): void {
    this.write({ t: 'remove', id });
  }

  saveSettings(settings: QueueSettings): void {
    this.write({ t: 'settings', settings }, true);
  }

  /** Forces everything written so far to disk. */
  sync(): void {
    if (this.fsyncTimer) clearTimeout(this.fsyncTimer);
    this.fsyncTimer = null;
    if (!this.closed) fsyncSync(this.fd);
  }

  /** Rewrites the whole state as a snapshot of the next generation and starts an empty log. */
  compact(): void {
    const next = this.generation + 1;
    const snapshot: Snapshot = {
      version: 1,
      generation: next,
      jobs: [...this.jobs.values()].map(toStored),
      settings: this.settings,
    };
    const dir = this.options.dir;
    const temp = join(dir, `${snapshotName}.tmp`);
    const tempFd = openSync(temp, 'w');
    try {
      writeSync(tempFd, JSON.stringify(snapshot));
      fsyncSync(tempFd);
    } finally {
      closeSync(tempFd);
    }
    renameSync(temp, join(dir, snapshotName));
    syncDir(dir);
    const fd = openSync(join(dir, logName(next)), 'w');
    closeSync(this.fd);
    this.fd = fd;
    const old = join(dir, logName(this.generation));
    this.generation = next;
    this.lines = 0;
    try {
      unlinkSync(old);
    } catch {
      // Removed on the next open.
    }
  }

  close(): void {
    if (this.closed) return;
    this.sync();
    this.closed = true;
    closeSync(this.fd);
    releaseLock(this.options.dir);
  }

  private scheduleSync(): void {
    if (this.fsyncTimer) return;
    this.fsyncTimer = setTimeout(() => {
      this.fsyncTimer = null;
      try {
        if (!this.closed) fsyncSync(this.fd);
      } catch (error) {
        this.options.log?.('warn', `journal fsync failed: ${String(error)}`);
      }
    }, this.options.fsyncDelayMs);
    this.fsyncTimer.unref();
  }

  private apply(record: LogRecord): void {
    switch (record.t) {
      case 'add':
        this.jobs.set(record.job.id, fromStored(record.job));
        return;
      case 'set': {
        const job = this.jobs.get(record.id);
        if (!job) return;
        Object.assign(job, record.patch);
        for (const key of record.clear ?? []) delete (job as Record<string, unknown>)[key];
        return;
      }
      case 'ack':
        this.jobs.get(record.id)?.acked.add(record.part);
        return;
      case 'acks': {
        const job = this.jobs.get(record.id);
        if (job) job.acked = new Set(record.parts);
        return;
      }
      case 'remove':
        this.jobs.delete(record.id);
        return;
      case 'settings':
        this.settings = record.settings;
        return;
    }
  }
}

function readSnapshot(dir: string, warn: (message: string) => void): Snapshot | null {
  const path = join(dir, snapshotName);
  if (!existsSync(path)) return null;
  const text = readFileSync(path, 'utf8');
  let parsed;
  try {
    parsed = snapshotSchema.safeParse(JSON.parse(text));
  } catch {
    parsed = null;
  }
  if (parsed?.success) return parsed.data;
  const aside = `${path}.unreadable-${Date.now()}`;
  renameSync(path, aside);
  warn(`The upload journal snapshot ${path} could not be read; it was kept as ${aside} and the queue starts from the log.`);
  return null;
}

/** Reads complete, valid lines; stops at the first torn or invalid one (a crash mid-write leaves at most one). */
function readLog(path: string, warn: (message: string) => void): { records: LogRecord[]; goodBytes: number } {
  const buffer = readFileSync(path);
  const records: LogRecord[] = [];
  let start = 0;
  while (start < buffer.length) {
    const newline = buffer.indexOf(10, start);
    if (newline === -1) break;
    const line = buffer.subarray(start, newline).toString('utf8');
    let record: LogRecord | null = null;
    try {
      const parsed = logRecordSchema.safeParse(JSON.parse(line));
      if (parsed.success) record = parsed.data;
    } catch {
      record = null;
    }
    if (!record) {
      warn(`The upload journal ${path} has an unreadable record at byte ${start}; the rest of the log is ignored.`);
      break;
    }
    records.push(record);
    start = newline + 1;
  }
  return { records, goodBytes: start };
}

function removeStaleFiles(dir: string, generation: number): void {
  for (const name of readdirSync(dir)) {
    const match = /^journal\.(\d+)\.ndjson$/.exec(name);
    if ((match && Number(match[1]) !== generation) || name === `${snapshotName}.tmp`) {
      try {
        unlinkSync(join(dir, name));
      } catch {
        // Harmless: tried again next time.
      }
    }
  }
}

function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not supported on every platform (Windows); the rename is still atomic.
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** One engine per journal: a second process on the same state directory would corrupt it. */
function acquireLock(dir: string): void {
  const path = join(dir, lockName);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && pidAlive(pid)) {
        throw new Error(
          `The upload queue in ${dir} is in use by another Convoy process (pid ${pid}). Close it, or use another state directory.`,
          { cause: error },
        );
      }
      unlinkSync(path);
    }
  }
  throw new Error(`Could not lock the upload queue in ${dir}.`);
}

function releaseLock(dir: string): void {
  try {
    unlinkSync(join(dir, lockName));
  } catch {
    // Already gone.
  }
}
