// The durable record of the queue: an append-only log of small checksummed records (one write each, O(1) per
// acknowledged chunk) replayed over the last snapshot; it survives damage and never crashes on a full or read-only disk.
//
// Files in the state directory (generation N is the current one, N-1 the previous one, kept as a fallback):
//   journal.snapshot.json           the queue at the start of generation N: a header line (byte count, CRC-32) and
//                                   the JSON payload (which names its generation); written to `.tmp`, fsynced,
//                                   renamed into place
//   journal.snapshot.previous.json  the snapshot before it (generation N-1)
//   journal.N.ndjson                the records since snapshot N, one a line: `<crc32 hex> <json>`
//   journal.(N-1).previous.ndjson   the records between the two snapshots
//   journal.lock                    the owner's pid; emptied (not removed) on close, so a directory that has held
//                                   a journal says so even when its data is gone
// Earlier versions wrote the snapshot without its header and lines without a CRC: both are still read.
//
// Loading takes the newest readable snapshot and replays every log from its generation on, skipping lines whose
// checksum fails. Snapshot N is snapshot N-1 plus log N-1, so a damaged or missing newest snapshot costs nothing
// while the previous generation is there. What was found is in `journal.damage`:
//   'none'      nothing wrong (a missing directory, or one without any journal file, is a first run: `fresh`)
//   'repaired'  damage found and set aside; `lostRecords` log records were unreadable (0: nothing was lost)
//   'lost'      a part of unknown size is gone (a whole log, every snapshot, or the files beside a left lock):
//               the queue may lack jobs or progress, and only the server can tell
// The repair is written at once, but the report is kept (journal.damage.json) and given again by every open until
// the engine has acted on it and calls `acknowledgeDamage()`: a crash in between does not make it forget.
import {
  closeSync,
  constants,
  existsSync,
  fsync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import { z } from 'zod';
import type { QueueSettings } from '../../common/contract/queue';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../lib/private-files';
import { redact } from '../log/redact';
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

const lockName = 'journal.lock';
const damageName = 'journal.damage.json';
const currentSnapshot = 'journal.snapshot.json';
const previousSnapshot = 'journal.snapshot.previous.json';
const snapshotTemp = `${currentSnapshot}.tmp`;
const logName = (generation: number) => `journal.${generation}.ndjson`;
const previousLogName = (generation: number) => `journal.${generation}.previous.ndjson`;
const logPattern = /^journal\.(\d+)\.(previous\.)?ndjson$/;
const snapshotFormat = 'convoy-journal-snapshot';
const snapshotHeaderSchema = z.object({
  format: z.literal(snapshotFormat),
  generation: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  crc32: z.string().regex(/^[0-9a-f]{8}$/),
});
/** Append-only, created empty (a stale file of the same name from a failed compaction is emptied). */
const freshLogFlags = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_APPEND;

export type JournalLog = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;

export interface JournalOptions {
  dir: string;
  /** Milliseconds between batched fsyncs of the log. */
  fsyncDelayMs?: number;
  /** Milliseconds between automatic retries while writing fails (0: only `retryWrites()` tries again). */
  retryDelayMs?: number;
  log?: JournalLog;
}

export interface JournalDamage {
  kind: 'none' | 'repaired' | 'lost';
  /** Log records known to be unreadable (torn or garbled lines); a lost whole file adds nothing here. */
  lostRecords: number;
  /** What was found and done, in plain words ('' when nothing). */
  detail: string;
  /** Damaged files, renamed aside (`….damaged-<time>`) for a look, never read again. */
  keptAside: string[];
}

/** What a file-system call was doing when it failed. */
export type JournalOperation = 'open' | 'read' | 'append' | 'sync' | 'compact';

/** The state directory cannot be written (or read): full, read-only, no permission, over quota, failing. */
export class JournalWriteError extends Error {
  override readonly name = 'JournalWriteError';
  /** The OS error code: ENOSPC, EDQUOT, EROFS, EACCES, EPERM, EIO, … */
  readonly code: string;

  constructor(
    readonly dir: string,
    readonly operation: JournalOperation,
    cause: unknown,
  ) {
    const code = errorCode(cause) ?? 'EIO';
    super(describeFailure(dir, code, operation, cause), { cause });
    this.code = code;
  }
}

/** Another live process owns the state directory. */
export class JournalBusyError extends Error {
  override readonly name = 'JournalBusyError';
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `The upload queue in ${dir} is in use by another Convoy process (pid ${pid}). Close it, or use another state directory.`,
    );
  }
}

function errorCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** One plain sentence naming the directory and the cause. */
export function describeFailure(dir: string, code: string, operation: JournalOperation, cause?: unknown): string {
  switch (code) {
    case 'ENOSPC':
      return `The state directory ${dir} is full (no space left on device).`;
    case 'EDQUOT':
      return `The state directory ${dir} is full for this user (disk quota exceeded).`;
    case 'EROFS':
      return `The state directory ${dir} is on a read-only file system.`;
    case 'EACCES':
    case 'EPERM':
      return operation === 'read'
        ? `The state directory ${dir} cannot be read (permission denied).`
        : `The state directory ${dir} is not writable (permission denied).`;
    case 'EIO':
      return `The state directory ${dir} could not be ${operation === 'read' ? 'read' : 'written'} (input/output error: the disk is failing or was removed).`;
    case 'EFBIG':
      return `The state directory ${dir} cannot take a larger file (file too large).`;
    case 'ENOTDIR':
    case 'EEXIST':
      return `The state directory ${dir} is not a directory.`;
    default: {
      const message = cause instanceof Error ? cause.message : String(cause ?? code);
      return `The state directory ${dir} could not be ${operation === 'read' ? 'read' : 'written'} (${message}).`;
    }
  }
}

/** A write that stored fewer bytes than asked for: the device ran out of room part-way. */
function shortWrite(written: number, wanted: number): NodeJS.ErrnoException {
  return Object.assign(new Error(`short write: ${written} of ${wanted} bytes`), { code: 'ENOSPC' });
}

// ---- the on-disk formats ------------------------------------------------------------------------------

const hex8 = (value: number) => value.toString(16).padStart(8, '0');

/** The free-text fields of a job, written from servers' and the OS's words: the ones a credential could ride in. */
const freeText = ['reason', 'detailsProblem', 'restartReason'] as const;

/**
 * The record with every known key and token masked in the job's free text (a server may echo the credentials it
 * was sent). Paths, ids and user-given details are left exactly as they are: they are the job's identity.
 */
function withoutSecrets(record: LogRecord): LogRecord {
  if (record.t === 'add') return { ...record, job: maskFreeText(record.job) };
  if (record.t === 'set') return { ...record, patch: maskFreeText(record.patch) };
  return record;
}

function maskFreeText<T extends JobPatch>(fields: T): T {
  if (!freeText.some((name) => fields[name] !== undefined)) return fields;
  const masked = { ...fields };
  for (const name of freeText) if (masked[name] !== undefined) masked[name] = redact(masked[name]);
  return masked;
}

/** One log line: CRC-32 of the JSON, a space, the JSON, a newline. */
export function frameRecord(record: LogRecord): string {
  const json = JSON.stringify(record);
  return `${hex8(crc32(json))} ${json}\n`;
}

/** Whether the line opens with 8 lowercase hex digits and a space (a CRC-32). */
function hasChecksum(line: Buffer): boolean {
  if (line.length <= 9 || line[8] !== 32) return false;
  for (let i = 0; i < 8; i += 1) {
    const byte = line[i]!;
    if (!((byte >= 48 && byte <= 57) || (byte >= 97 && byte <= 102))) return false;
  }
  return true;
}

/** A line's record, or null when torn, garbled or failing its checksum. `legacy`: written without a checksum. */
function parseLine(line: Buffer): { record: LogRecord; legacy: boolean } | null {
  let json: Buffer;
  let legacy = false;
  if (hasChecksum(line)) {
    json = line.subarray(9);
    if (crc32(json) !== Number.parseInt(line.subarray(0, 8).toString('latin1'), 16)) return null;
  } else if (line[0] === 123) {
    json = line;
    legacy = true;
  } else {
    return null;
  }
  try {
    const parsed = logRecordSchema.safeParse(JSON.parse(json.toString('utf8')));
    return parsed.success ? { record: parsed.data, legacy } : null;
  } catch {
    return null;
  }
}

interface LogRead {
  records: LogRecord[];
  /** Lines that could not be read (garbled, failing their checksum, or a torn last line). */
  bad: number;
  /** Bytes up to the end of the last complete line. */
  goodBytes: number;
  torn: boolean;
  legacy: boolean;
}

/** Reads every line whose checksum verifies, skipping the others; a last line without its newline is torn. */
function parseLog(buffer: Buffer): LogRead {
  const result: LogRead = { records: [], bad: 0, goodBytes: 0, torn: false, legacy: false };
  let start = 0;
  while (start < buffer.length) {
    const newline = buffer.indexOf(10, start);
    if (newline === -1) {
      result.torn = true;
      result.bad += 1;
      break;
    }
    const parsed = parseLine(buffer.subarray(start, newline));
    if (parsed) {
      result.records.push(parsed.record);
      if (parsed.legacy) result.legacy = true;
    } else {
      result.bad += 1;
    }
    start = newline + 1;
  }
  result.goodBytes = start;
  return result;
}

function frameSnapshot(snapshot: Snapshot): Buffer {
  const payload = Buffer.from(JSON.stringify(snapshot), 'utf8');
  const header = JSON.stringify({
    format: snapshotFormat,
    generation: snapshot.generation,
    bytes: payload.length,
    crc32: hex8(crc32(payload)),
  });
  return Buffer.concat([Buffer.from(`${header}\n`, 'utf8'), payload]);
}

/** The snapshot a file holds (`legacy`: written by an earlier version, without header), or why it cannot be used. */
function parseSnapshot(buffer: Buffer): { snapshot: Snapshot; legacy: boolean } | string {
  if (buffer.length === 0) return 'it is empty';
  const newline = buffer.indexOf(10);
  let header = null;
  try {
    if (newline !== -1)
      header = snapshotHeaderSchema.safeParse(JSON.parse(buffer.subarray(0, newline).toString('utf8')));
  } catch {
    header = null;
  }
  const legacy = !header?.success;
  let payload = buffer;
  if (header?.success) {
    payload = buffer.subarray(newline + 1);
    if (payload.length !== header.data.bytes) return `it holds ${payload.length} of its ${header.data.bytes} bytes`;
    if (hex8(crc32(payload)) !== header.data.crc32) return 'its checksum does not match';
  } else if (buffer[0] !== 123 || newline !== -1) {
    return 'its header is garbled or torn';
  }
  try {
    const parsed = snapshotSchema.safeParse(JSON.parse(payload.toString('utf8')));
    return parsed.success ? { snapshot: parsed.data, legacy } : 'its content is not a queue';
  } catch {
    return 'it is not complete JSON';
  }
}

// ---- the journal --------------------------------------------------------------------------------------

export class Journal {
  readonly jobs = new Map<string, JobRecord>();
  settings: QueueSettings | null = null;
  /** What opening found (or an earlier open found and nobody acknowledged yet): damage, and what it cost. */
  damage: JournalDamage;
  /** No journal file (nor lock) was there before: a first run in this directory. */
  readonly fresh: boolean;

  private fd: number;
  private generation: number;
  /** Generation of the snapshot the files on disk rebuild from (below `generation` only after damage). */
  private baseGeneration: number;
  /** Generations of the readable snapshots in the current and the previous slot (null: none there). */
  private currentSlot: number | null;
  private previousSlot: number | null;
  /** The current generation's log (named as a previous one after a compaction cut short). */
  private logPath: string;
  /** Bytes of whole records in the current log: a failed append is cut back to this. */
  private size: number;
  private lines: number;
  /** Framed records not yet on disk (writing failed); applied in memory already. */
  private pending: string[] = [];
  private needsTruncate = false;
  private needsSync = false;
  private error: JournalWriteError | null = null;
  private compactBackoff = 0;
  private fsyncTimer: NodeJS.Timeout | null = null;
  /** Flushes on the thread pool not yet returned, by descriptor: a descriptor is closed only once they have. */
  private readonly flushing = new Map<number, number>();
  /** Descriptors given up (compaction, close) while a flush of theirs was out. */
  private readonly closeWhenFlushed = new Set<number>();
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly errorListeners = new Set<(error: JournalWriteError) => void>();
  private readonly writableListeners = new Set<() => void>();
  private closed = false;
  private readonly options: Required<Omit<JournalOptions, 'log'>> & Pick<JournalOptions, 'log'>;

  private constructor(options: JournalOptions, loaded: Loaded, fd: number) {
    this.options = { fsyncDelayMs: 100, retryDelayMs: 1000, ...options };
    this.fd = fd;
    this.generation = loaded.generation;
    this.baseGeneration = loaded.baseGeneration;
    this.currentSlot = loaded.currentSlot;
    this.previousSlot = loaded.previousSlot;
    this.logPath = loaded.logPath;
    this.size = loaded.size;
    this.lines = loaded.lines;
    this.damage = mergeDamage(loaded.damage, loaded.earlierDamage);
    this.fresh = loaded.fresh;
    for (const job of loaded.snapshot?.jobs ?? []) this.jobs.set(job.id, fromStored(job));
    this.settings = loaded.snapshot?.settings ?? null;
    for (const record of loaded.records) this.apply(record);
  }

  /**
   * Opens (or creates) the journal in `options.dir` and restores the queue, repairing damage (see `damage`).
   * Throws `JournalWriteError` when the directory cannot be written or read (read-only, full, no permission),
   * `JournalBusyError` when another live process owns it; never for damaged content.
   */
  static open(options: JournalOptions): Journal {
    const dir = options.dir;
    const log = options.log;
    try {
      mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    } catch (error) {
      throw new JournalWriteError(dir, 'open', mkdirCause(dir, error));
    }
    const hadLock = acquireLock(dir);
    try {
      const loaded = load(dir, hadLock, log);
      let fd: number;
      try {
        fd = openSync(loaded.logPath, 'a', PRIVATE_FILE_MODE);
        // Drop a torn last line so the next record starts on a fresh line.
        if (loaded.fileBytes !== loaded.size) ftruncateSync(fd, loaded.size);
      } catch (error) {
        throw new JournalWriteError(dir, 'open', error);
      }
      const journal = new Journal(options, loaded, fd);
      if (loaded.damage.kind !== 'none') {
        log?.(loaded.damage.kind === 'lost' ? 'error' : 'warn', loaded.damage.detail);
        storeDamage(dir, journal.damage);
      }
      // A repaired or upgraded journal is rewritten at once in the current format (best effort).
      if (loaded.damage.kind !== 'none' || loaded.legacy) journal.compact();
      return journal;
    } catch (error) {
      if (hadLock) releaseLock(dir);
      else removeQuietly(join(dir, lockName)); // a first run that failed leaves no sign of a journal
      throw error;
    }
  }

  /** The engine has acted on `damage` (adopted from the server, or warned): later opens stop reporting it. */
  acknowledgeDamage(): void {
    removeQuietly(join(this.options.dir, damageName));
    this.damage = noDamage();
  }

  /** Whether records reach the disk now; false from a write failure until `retryWrites()` succeeds. */
  get writable(): boolean {
    return this.error === null;
  }

  /** Why writing stopped (a plain sentence in `message`), or null while it works. */
  get writeError(): JournalWriteError | null {
    return this.error;
  }

  /** Records kept in memory only, waiting for the disk to take them. */
  get pendingRecords(): number {
    return this.pending.length;
  }

  /** Called once when writing stops working (not again for each record while it stays broken). Returns unsubscribe. */
  onWriteError(listener: (error: JournalWriteError) => void): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  /** Called when writing works again and everything pending is on disk. Returns unsubscribe. */
  onWritable(listener: () => void): () => void {
    this.writableListeners.add(listener);
    return () => this.writableListeners.delete(listener);
  }

  /**
   * Appends one record (one write) and applies it. Never throws: while the disk refuses, the record is applied
   * in memory, kept pending and written by `retryWrites()` (tried automatically every `retryDelayMs`).
   * `durable`: fsync before returning (used before answering a request).
   */
  write(given: LogRecord, durable = false): void {
    if (this.closed) return;
    const record = withoutSecrets(given);
    this.apply(record);
    const line = frameRecord(record);
    this.lines += 1;
    if (this.error) {
      this.pending.push(line);
      return;
    }
    try {
      this.append(line);
    } catch (error) {
      this.pending.push(line);
      this.fail(error, 'append');
      return;
    }
    if (durable) this.sync();
    else this.scheduleSync();
    if (this.lines > this.compactThreshold()) this.compact();
  }

  add(job: JobRecord, durable = false): void {
    this.write({ t: 'add', job: toStored(job) }, durable);
  }

  set(id: string, patch: JobPatch, clear: string[] = []): void {
    this.write(clear.length ? { t: 'set', id, patch, clear } : { t: 'set', id, patch });
  }

  /** A part the server acknowledged, with the SHA-256 of what was sent when known. */
  ack(id: string, part: number, digest?: string): void {
    this.write(digest ? { t: 'ack', id, part, digest } : { t: 'ack', id, part });
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

  /** Forces everything written so far to disk. True when all of it is there; never throws. */
  sync(): boolean {
    if (this.fsyncTimer) clearTimeout(this.fsyncTimer);
    this.fsyncTimer = null;
    if (this.closed) return this.pending.length === 0;
    if (this.error) return false;
    try {
      fsyncSync(this.fd);
      return true;
    } catch (error) {
      this.needsSync = true;
      this.fail(error, 'sync');
      return false;
    }
  }

  /**
   * Writes what is pending now that the disk may take it: cuts a torn tail back first, then appends each record.
   * On a full disk it gives up the previous generation's files to make room. True when nothing is pending.
   */
  retryWrites(): boolean {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.closed || !this.error) return this.pending.length === 0;
    try {
      this.flushPending();
    } catch (error) {
      const full = ['ENOSPC', 'EDQUOT'].includes(errorCode(error) ?? '');
      if (!full || !this.dropPrevious()) {
        this.fail(error, this.error.operation);
        return false;
      }
      try {
        this.flushPending();
      } catch (again) {
        this.fail(again, 'append');
        return false;
      }
    }
    this.recovered();
    if (this.lines > this.compactThreshold()) this.compact();
    return true;
  }

  /**
   * Rewrites the whole state as the snapshot of the next generation (temp file, fsync, rename) and starts an empty
   * log; the previous generation stays as a fallback. A failure leaves the current snapshot and log as they were
   * (and loadable): false is returned and compaction is tried again later. Never throws.
   */
  compact(): boolean {
    if (this.closed) return false;
    try {
      this.compactTo(this.generation + 1);
      this.compactBackoff = 0;
      return true;
    } catch (error) {
      const failure = new JournalWriteError(this.options.dir, 'compact', error);
      this.compactBackoff += 2000 + 2 * this.jobs.size;
      this.options.log?.(
        'warn',
        `${failure.message} The upload journal could not be compacted; it keeps its current snapshot and log.`,
      );
      return false;
    }
  }

  /**
   * Forces everything written so far to disk on the thread pool, so that a slow disk (another program's writes
   * queued before ours) never stalls the main thread: true when all of it is there; never rejects. Records written
   * meanwhile are not covered. When the log was compacted or closed meanwhile, the snapshot (written durably) or
   * the closing sync holds what this flush was for.
   */
  flush(): Promise<boolean> {
    if (this.closed) return Promise.resolve(this.pending.length === 0);
    if (this.error) return Promise.resolve(false);
    const fd = this.fd;
    this.flushing.set(fd, (this.flushing.get(fd) ?? 0) + 1);
    return new Promise((resolve) => {
      fsync(fd, (error) => {
        const left = this.flushing.get(fd)! - 1;
        if (left > 0) this.flushing.set(fd, left);
        else {
          this.flushing.delete(fd);
          if (this.closeWhenFlushed.delete(fd)) closeQuietly(fd);
        }
        if (fd !== this.fd || this.closed) return resolve(this.closed ? this.pending.length === 0 : true);
        if (!error) return resolve(true);
        this.needsSync = true;
        this.fail(error, 'sync');
        resolve(false);
      });
    });
  }

  /** Flushes what it can and releases the directory. False when some records never reached the disk. */
  close(): boolean {
    if (this.closed) return this.pending.length === 0;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.error) this.retryWrites();
    const synced = this.sync();
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer); // set again if the last sync failed
    this.retryTimer = null;
    if (this.pending.length) {
      this.options.log?.(
        'error',
        `${this.error?.message ?? ''} ${this.pending.length} change(s) to the upload queue could not be saved in ${this.options.dir}.`.trim(),
      );
    }
    this.release(this.fd);
    releaseLock(this.options.dir);
    return synced && this.pending.length === 0;
  }

  // ---- writing --------------------------------------------------------------------------------------

  private compactThreshold(): number {
    return 2000 + 2 * this.jobs.size + this.compactBackoff;
  }

  /** One write of one whole record; on failure the file is cut back to its last whole record. */
  private append(line: string): void {
    if (this.needsTruncate) {
      ftruncateSync(this.fd, this.size);
      this.needsTruncate = false;
    }
    const bytes = Buffer.byteLength(line);
    for (let attempt = 1; ; attempt += 1) {
      let written: number;
      try {
        written = writeSync(this.fd, line);
      } catch (error) {
        this.cutBack();
        throw error;
      }
      if (written === bytes) {
        this.size += bytes;
        return;
      }
      // The device ran out part-way. Once more (from the cut): the OS then names the cause (ENOSPC, EDQUOT,
      // EFBIG), or the room has come back.
      this.cutBack();
      if (attempt === 2 || this.needsTruncate) throw shortWrite(written, bytes);
    }
  }

  private cutBack(): void {
    try {
      ftruncateSync(this.fd, this.size);
    } catch {
      this.needsTruncate = true; // done before the next append
    }
  }

  private flushPending(): void {
    let done = 0;
    try {
      for (; done < this.pending.length; done += 1) this.append(this.pending[done]!);
    } finally {
      this.pending.splice(0, done);
    }
    if (this.needsSync) {
      fsyncSync(this.fd);
      this.needsSync = false;
    }
  }

  private fail(cause: unknown, operation: JournalOperation): void {
    const error =
      cause instanceof JournalWriteError ? cause : new JournalWriteError(this.options.dir, operation, cause);
    const first = this.error === null;
    this.error = error;
    if (first) {
      this.options.log?.(
        'error',
        `${error.message} Changes to the upload queue are kept in memory until it can be written.`,
      );
      for (const listener of this.errorListeners) this.notify(() => listener(error));
    }
    this.scheduleRetry();
  }

  private recovered(): void {
    const was = this.error;
    this.error = null;
    this.needsSync = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (!was) return;
    this.options.log?.(
      'info',
      `The state directory ${this.options.dir} takes writes again; the upload journal is up to date.`,
    );
    for (const listener of this.writableListeners) this.notify(listener);
  }

  private notify(call: () => void): void {
    try {
      call();
    } catch (error) {
      this.options.log?.('error', `A journal listener failed: ${String(error)}`);
    }
  }

  private scheduleRetry(): void {
    if (this.retryTimer || this.closed || this.options.retryDelayMs <= 0) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.retryWrites()) this.scheduleRetry();
    }, this.options.retryDelayMs);
    this.retryTimer.unref();
  }

  /** Flushes soon, off the main thread: records written within `fsyncDelayMs` share one fsync. */
  private scheduleSync(): void {
    if (this.fsyncTimer) return;
    this.fsyncTimer = setTimeout(() => {
      this.fsyncTimer = null;
      if (!this.closed && !this.error) void this.flush();
    }, this.options.fsyncDelayMs);
    this.fsyncTimer.unref();
  }

  /** Closes a descriptor the journal no longer writes to, once no flush of it is out (its number is not reused). */
  private release(fd: number): void {
    if (this.flushing.has(fd)) this.closeWhenFlushed.add(fd);
    else closeQuietly(fd);
  }

  /**
   * The new snapshot goes to a temp file and is fsynced, the new (empty) log is created, then the current
   * generation becomes the previous one (its log renamed, its snapshot moved to the previous slot) and the temp
   * file is renamed into place. Every state in between loads as the current generation.
   */
  private compactTo(next: number): void {
    const dir = this.options.dir;
    const content = frameSnapshot({
      version: 1,
      generation: next,
      jobs: [...this.jobs.values()].map(toStored),
      settings: this.settings,
    });
    const temp = join(dir, snapshotTemp);
    const newLog = join(dir, logName(next));
    let fd: number | null = null;
    try {
      try {
        writeDurably(temp, content);
      } catch (error) {
        // Nearly full: the previous generation is a fallback, not a need; give its room to the new snapshot.
        if (!['ENOSPC', 'EDQUOT'].includes(errorCode(error) ?? '') || !this.dropPrevious()) throw error;
        writeDurably(temp, content);
      }
      fd = openSync(newLog, freshLogFlags, PRIVATE_FILE_MODE);
      const previousLog = join(dir, previousLogName(this.generation));
      if (this.logPath !== previousLog) {
        renameSync(this.logPath, previousLog);
        this.logPath = previousLog;
      }
      if (this.currentSlot !== null) {
        renameSync(join(dir, currentSnapshot), join(dir, previousSnapshot));
        this.previousSlot = this.currentSlot;
        this.currentSlot = null;
      }
      renameSync(temp, join(dir, currentSnapshot));
      syncDir(dir);
    } catch (error) {
      if (fd !== null) {
        closeQuietly(fd);
        removeQuietly(newLog);
      }
      removeQuietly(temp);
      throw error;
    }
    // Committed: the snapshot of `next` holds everything in memory, pending records included.
    if (this.needsTruncate) this.cutBack();
    this.release(this.fd);
    this.fd = fd;
    this.logPath = newLog;
    this.generation = next;
    this.baseGeneration = next;
    this.currentSlot = next;
    this.size = 0;
    this.lines = 0;
    this.pending = [];
    this.needsTruncate = false;
    this.recovered();
    this.removeLogsBelow(this.previousSlot ?? next - 1);
  }

  /** Frees the previous generation's files (only while the current snapshot is whole). True if any went. */
  private dropPrevious(): boolean {
    if (this.currentSlot !== this.generation) return false;
    let removed = this.removeLogsBelow(this.generation);
    if (removeQuietly(join(this.options.dir, previousSnapshot))) {
      this.previousSlot = null;
      removed += 1;
    }
    return removed > 0;
  }

  private removeLogsBelow(generation: number): number {
    const dir = this.options.dir;
    let removed = 0;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return 0;
    }
    for (const name of names) {
      const match = logPattern.exec(name);
      if (match && Number(match[1]) < generation && removeQuietly(join(dir, name))) removed += 1;
    }
    return removed;
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
      case 'ack': {
        const job = this.jobs.get(record.id);
        if (!job) return;
        job.acked.add(record.part);
        if (record.digest) (job.partDigests ??= {})[record.part] = record.digest;
        return;
      }
      case 'acks': {
        const job = this.jobs.get(record.id);
        if (!job) return;
        job.acked = new Set(record.parts);
        // Digests only of parts still acknowledged: the others are sent again, and hashed again.
        if (job.partDigests)
          job.partDigests = Object.fromEntries(
            Object.entries(job.partDigests).filter(([part]) => job.acked.has(Number(part))),
          );
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

// ---- loading and repair ---------------------------------------------------------------------------------

interface Loaded {
  snapshot: Snapshot | null;
  records: LogRecord[];
  generation: number;
  baseGeneration: number;
  currentSlot: number | null;
  previousSlot: number | null;
  logPath: string;
  /** Whole-record bytes of the current log, and its size on disk (larger when its last line is torn). */
  size: number;
  fileBytes: number;
  lines: number;
  damage: JournalDamage;
  /** Found by an earlier open and not acknowledged yet. */
  earlierDamage: JournalDamage;
  fresh: boolean;
  /** Something was in the format of earlier versions: rewrite it. */
  legacy: boolean;
}

/** Reads a journal file; a missing file is null, an unreadable one (not a permission problem) is damage. */
function readData(dir: string, name: string): Buffer | { unreadable: string } | null {
  try {
    return readFileSync(join(dir, name));
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') return null;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EIO') throw new JournalWriteError(dir, 'read', error);
    return { unreadable: code ?? String(error) };
  }
}

interface SlotRead {
  snapshot: Snapshot;
  legacy: boolean;
}

function load(dir: string, hadLock: boolean, log: JournalLog | undefined): Loaded {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    throw new JournalWriteError(dir, 'read', error);
  }
  const notes: string[] = [];
  const keptAside: string[] = [];
  let lost = false;
  let lostRecords = 0;
  let legacy = false;
  let damagedSnapshots = 0;

  const readSlot = (name: string): SlotRead | null => {
    if (!names.includes(name)) return null;
    const data = readData(dir, name);
    const parsed =
      data === null
        ? 'it vanished'
        : 'unreadable' in data
          ? `it cannot be read: ${data.unreadable}`
          : parseSnapshot(data);
    if (typeof parsed !== 'string') return parsed;
    damagedSnapshots += 1;
    notes.push(`${name} was damaged (${parsed})`);
    const aside = `${name}.damaged-${Date.now()}`;
    try {
      renameSync(join(dir, name), join(dir, aside));
      keptAside.push(aside);
    } catch {
      // Read-only or gone: it is ignored again next time.
    }
    return null;
  };
  for (const name of names) if (name.startsWith('journal.') && name.endsWith('.tmp')) removeQuietly(join(dir, name)); // a compaction cut short
  const current = readSlot(currentSnapshot);
  // The previous snapshot is read only when the current one cannot be used; otherwise its header says enough.
  const previous = current ? null : readSlot(previousSnapshot);
  const previousGeneration = previous
    ? previous.snapshot.generation
    : current && names.includes(previousSnapshot)
      ? peekGeneration(join(dir, previousSnapshot))
      : null;
  const logs = new Map<number, { current?: string; previous?: string }>();
  for (const name of names) {
    const match = logPattern.exec(name);
    if (!match) continue;
    const entry = logs.get(Number(match[1])) ?? {};
    if (match[2]) entry.previous = name;
    else entry.current = name;
    logs.set(Number(match[1]), entry);
  }

  const valid = [current, previous].filter((slot): slot is SlotRead => slot !== null);
  const generations = [...logs.keys(), ...valid.map((slot) => slot.snapshot.generation)];
  const fresh = generations.length === 0 && damagedSnapshots === 0 && !hadLock;
  if (generations.length === 0 && !fresh) {
    lost = true;
    notes.push(
      damagedSnapshots
        ? 'no readable snapshot or log is left'
        : 'the lock file of an earlier journal is there, but its snapshot and log are gone',
    );
  }
  const maxGeneration = generations.length ? Math.max(...generations) : 0;
  // The newest readable snapshot; generation 0 starts from an empty queue.
  const baseSlot = valid.sort((a, b) => b.snapshot.generation - a.snapshot.generation)[0] ?? null;
  let base: number;
  if (baseSlot) base = baseSlot.snapshot.generation;
  else if (logs.has(0) || generations.length === 0) base = 0;
  else {
    base = logs.size ? Math.min(...logs.keys()) : maxGeneration;
    lost = true;
    notes.push(
      logs.size
        ? `no readable snapshot is left; only the logs from generation ${base} on could be replayed`
        : 'no readable snapshot or log is left',
    );
  }
  if (baseSlot?.legacy) legacy = true;

  // An empty newest log above a whole snapshot, with no damaged snapshot about: a compaction cut short before
  // its rename. The generation below is the current one.
  let generation = maxGeneration;
  const newest = logs.get(maxGeneration);
  const newestName = newest?.current ?? newest?.previous;
  if (
    maxGeneration > 0 &&
    base === maxGeneration - 1 &&
    damagedSnapshots === 0 &&
    newestName &&
    fileSize(join(dir, newestName)) === 0
  ) {
    removeQuietly(join(dir, newestName));
    logs.delete(maxGeneration);
    generation = maxGeneration - 1;
  } else if (base < maxGeneration && !lost) {
    notes.push(
      `the newest snapshot (generation ${maxGeneration}) is ${damagedSnapshots ? 'unusable' : 'missing'}, so the queue was rebuilt from generation ${base} and the logs after it`,
    );
  }
  // Logs named as current below the base are stale (left by a crash of an earlier version mid-compaction).
  for (const [g, entry] of logs) {
    if (g < base && entry.current) {
      removeQuietly(join(dir, entry.current));
      delete entry.current;
    }
  }

  const records: LogRecord[] = [];
  let size = 0;
  let fileBytes = 0;
  let lines = 0;
  let logPath = join(dir, logName(generation));
  for (let g = base; g <= generation; g += 1) {
    const entry = logs.get(g);
    const name = g === generation ? (entry?.current ?? entry?.previous) : (entry?.previous ?? entry?.current);
    if (g === generation && name) logPath = join(dir, name);
    const data = name === undefined ? null : readData(dir, name);
    if (data === null || 'unreadable' in data) {
      // A current-format snapshot's own log is created before the snapshot: its absence is a loss. Earlier
      // versions renamed the snapshot first, and a first run has no file at all.
      const baseOwnLog = g === base && baseSlot !== null && !baseSlot.legacy;
      if (generations.length && (g < generation || baseOwnLog || data !== null)) {
        lost = true;
        notes.push(
          `the log of generation ${g} is ${data === null ? 'missing' : 'unreadable'}: the changes it held are unknown`,
        );
      }
      continue;
    }
    const read = parseLog(data);
    for (const record of read.records) records.push(record);
    if (read.legacy) legacy = true;
    if (read.bad) {
      lostRecords += read.bad;
      notes.push(
        `${name} had ${read.bad} unreadable record(s)${read.torn ? ' (its last line was torn)' : ''}, skipped`,
      );
    }
    if (g === generation) {
      size = read.goodBytes;
      fileBytes = data.length;
      lines = read.records.length + read.bad;
    }
  }

  const kind: JournalDamage['kind'] = lost ? 'lost' : notes.length ? 'repaired' : 'none';
  const detail =
    kind === 'none'
      ? ''
      : `The upload journal in ${dir} was ${kind === 'lost' ? 'lost' : 'damaged'}: ${notes.join('; ')}. ${
          kind === 'lost'
            ? 'Part of the queue is unknown: uploads it held may be missing or start over.'
            : lostRecords
              ? `Everything else was kept; ${lostRecords} change(s) were lost.`
              : 'Nothing was lost.'
        }`;
  log?.('debug', `journal: generation ${generation} from snapshot ${base}, ${records.length} record(s) replayed`);
  return {
    snapshot: baseSlot?.snapshot ?? null,
    records,
    generation,
    baseGeneration: base,
    currentSlot: current?.snapshot.generation ?? null,
    previousSlot: previousGeneration,
    logPath,
    size,
    fileBytes,
    lines,
    damage: { kind, lostRecords, detail, keptAside },
    earlierDamage: readDamage(dir, names),
    fresh,
    legacy,
  };
}

const damageSchema = z.object({
  kind: z.enum(['repaired', 'lost']),
  lostRecords: z.number().int().nonnegative(),
  detail: z.string(),
  keptAside: z.array(z.string()),
});

function noDamage(): JournalDamage {
  return { kind: 'none', lostRecords: 0, detail: '', keptAside: [] };
}

function readDamage(dir: string, names: string[]): JournalDamage {
  if (!names.includes(damageName)) return noDamage();
  try {
    return damageSchema.parse(JSON.parse(readFileSync(join(dir, damageName), 'utf8')));
  } catch {
    return {
      kind: 'lost',
      lostRecords: 0,
      detail: `The upload journal in ${dir} was damaged earlier, and the report of what was lost cannot be read.`,
      keptAside: [],
    };
  }
}

/** The worse kind, the losses added up, both stories told. */
function mergeDamage(now: JournalDamage, earlier: JournalDamage): JournalDamage {
  if (earlier.kind === 'none') return now;
  if (now.kind === 'none') return earlier;
  return {
    kind: now.kind === 'lost' || earlier.kind === 'lost' ? 'lost' : 'repaired',
    lostRecords: now.lostRecords + earlier.lostRecords,
    detail: `${earlier.detail} Later: ${now.detail}`,
    keptAside: [...earlier.keptAside, ...now.keptAside],
  };
}

/** Best effort: where it cannot be written the report is still given by this open. */
function storeDamage(dir: string, damage: JournalDamage): void {
  try {
    writeDurably(join(dir, `${damageName}.tmp`), Buffer.from(JSON.stringify(damage)));
    renameSync(join(dir, `${damageName}.tmp`), join(dir, damageName));
  } catch {
    // Full or read-only: reported now, and the next open finds the damage again if the repair was not written.
  }
}

// ---- file helpers -----------------------------------------------------------------------------------------

/** Node's recursive mkdir says ENOENT for a parent it could not make (read-only, no permission): find the real cause. */
function mkdirCause(dir: string, error: unknown): unknown {
  if (errorCode(error) !== 'ENOENT') return error;
  let missing = dir;
  while (dirname(missing) !== missing && !existsSync(dirname(missing))) missing = dirname(missing);
  try {
    mkdirSync(missing);
  } catch (real) {
    return real;
  }
  return error;
}

/** The generation a snapshot's header names, without reading the rest (null: no readable header). */
function peekGeneration(path: string): number | null {
  try {
    const fd = openSync(path, 'r');
    try {
      const head = Buffer.alloc(512);
      const line = head.subarray(0, readSync(fd, head, 0, head.length, 0));
      const newline = line.indexOf(10);
      const header = snapshotHeaderSchema.safeParse(JSON.parse(line.subarray(0, newline).toString('utf8')));
      return newline !== -1 && header.success ? header.data.generation : null;
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return -1;
  }
}

/** Writes a whole file and fsyncs it; a failure removes the partial file and throws. */
function writeDurably(path: string, content: Buffer): void {
  const fd = openSync(path, 'w', PRIVATE_FILE_MODE);
  try {
    let offset = 0;
    while (offset < content.length) {
      const written = writeSync(fd, content, offset, content.length - offset);
      if (written === 0) throw shortWrite(offset, content.length);
      offset += written;
    }
    fsyncSync(fd);
    closeSync(fd);
  } catch (error) {
    closeQuietly(fd);
    removeQuietly(path);
    throw error;
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Already closed or unusable.
  }
}

function removeQuietly(path: string): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch {
    return false; // harmless: tried again next time
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

/**
 * One engine per journal: a second process on the same state directory would corrupt it. Returns whether a lock
 * file was there already (left by a crash, or emptied by a clean close): the directory has held a journal.
 */
function acquireLock(dir: string): boolean {
  const path = join(dir, lockName);
  let existed = false;
  try {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        writeFileSync(path, String(process.pid), { flag: 'wx', mode: PRIVATE_FILE_MODE });
        return existed;
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') throw error;
        existed = true;
        const pid = Number(readFileSync(path, 'utf8').trim());
        if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && pidAlive(pid))
          throw new JournalBusyError(dir, pid);
        unlinkSync(path);
      }
    }
  } catch (error) {
    if (error instanceof JournalBusyError) throw error;
    throw new JournalWriteError(dir, 'open', error);
  }
  throw new Error(`Could not lock the upload queue in ${dir}.`);
}

/** Empties the lock (it stays as the sign that this directory holds a journal). */
function releaseLock(dir: string): void {
  try {
    writeFileSync(join(dir, lockName), '', { mode: PRIVATE_FILE_MODE });
  } catch {
    // Read-only or gone: the next open sees a dead pid.
  }
}
