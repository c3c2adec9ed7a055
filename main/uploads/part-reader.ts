// Reads one request's bytes of a file for sending (a part, or a span of units): from a descriptor opened on the
// file the job planned (checked by its identity), through a digest per unit of what was read (unit-digests.ts) and
// the bandwidth limit. A read error is kept as the file's own fault (permission, vanished, disk), never the network's.
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { describeReadError } from '../lib/read-error';
import type { TokenBucket } from './bandwidth';
import { sameIdentity } from './file-identity';
import { Failure } from './outcomes';
import type { PartRange } from './plan';
import type { JobRecord } from './records';
import { unitDigests, type UnitDigests } from './unit-digests';

/**
 * How much one read takes from the file: a piece. Pieces are few enough that the work per read (a promise, a push,
 * a socket write) stays small, and small enough that a part in flight holds no more than its ring of them.
 */
const PIECE = 256 * 1024;
/** Buffers a part's stream reads into in turn (see PartStream). */
const RING = 3;

export class PartReader {
  private stream: PartStream | null = null;
  private failure: NodeJS.ErrnoException | null = null;

  private constructor(
    private readonly handle: FileHandle,
    private readonly job: JobRecord,
    private readonly range: PartRange,
    private readonly bucket: TokenBucket,
    private readonly unit: number,
  ) {}

  /**
   * Opens the job's file; null when the path now names a file other than the one planned (the caller checks its
   * content again). Throws Failure, in plain words, when it cannot be opened. `unit`: the range is hashed in units
   * of this many bytes from its start (the whole range by default: one digest).
   */
  static async open(
    job: JobRecord,
    range: PartRange,
    bucket: TokenBucket,
    unit = range.length,
  ): Promise<PartReader | null> {
    let handle: FileHandle;
    try {
      handle = await open(job.path, 'r');
    } catch (error) {
      throw new Failure(describeReadError(error as NodeJS.ErrnoException, job.name));
    }
    const info = await handle.stat();
    if (!sameIdentity(job, info)) {
      await handle.close();
      return null;
    }
    return new PartReader(handle, job, range, bucket, Math.max(1, unit));
  }

  /**
   * A fresh stream of the part (one per attempt of the request: a refused first attempt, a refreshed token).
   * Positional reads on the open descriptor, so attempts never share a stream's state or lock the handle for one
   * another; each read is hashed as it is taken, and paced by the bandwidth limit when one is set.
   */
  body(): Readable {
    this.stream?.destroy();
    this.stream = new PartStream(this.handle, this.range, this.unit, this.bucket, (error) => (this.failure ??= error));
    return this.stream;
  }

  /** SHA-256 of the part as the last stream read it (its first unit's); null when it did not read all of it. */
  async digest(): Promise<string | null> {
    return (await this.digests())?.[0] ?? null;
  }

  /**
   * SHA-256 of each unit of the range as the last stream read it, in order; null when it did not read all of it
   * (or the digests were lost: the engine then hashes those units from disk before it trusts them).
   */
  async digests(): Promise<string[] | null> {
    return (await this.stream?.digests) ?? null;
  }

  /** The file's own fault that stopped reading, in plain words (null when reading went fine). */
  get readFailure(): string | null {
    return this.failure ? describeReadError(this.failure, this.job.name) : null;
  }

  async close(): Promise<void> {
    this.stream?.destroy();
    await this.handle.close().catch(() => {});
  }
}

/**
 * The bytes of one part as a plain Readable: one positional read per `_read`, each piece given to its digests (and
 * reading paused while they are far behind) and pushed as it is. Pieces are read into a ring of RING buffers: a buffer is read into again only once the consumer has
 * taken the two pieces after it. The consumer (the chunk request) asks for the next piece only after the socket
 * drained the previous one (a full piece is always above the socket's high-water mark), so by then the bytes of
 * the older piece are in the kernel, never overwritten while queued. A short read stops the reuse (its piece may be
 * small enough to sit in the socket's queue) and so does anything unexpected: a fresh buffer is always safe.
 */
class PartStream extends Readable {
  private position: number;
  private readonly end: number;
  private readonly hashes: UnitDigests = unitDigests();
  /** Where the unit being hashed ends. */
  private unitEnd: number;
  /** Each unit's digest, once every byte of the range was read. */
  private result: Promise<string[] | null> | null = null;
  private ring: Buffer[] | null = [];
  private pieces = 0;

  constructor(
    private readonly handle: FileHandle,
    range: PartRange,
    private readonly unit: number,
    private readonly bucket: TokenBucket,
    private readonly onReadError: (error: NodeJS.ErrnoException) => void,
  ) {
    super({ highWaterMark: PIECE });
    this.position = range.start;
    this.end = range.end + 1;
    this.unitEnd = Math.min(this.end, range.start + unit);
  }

  /** Each unit's SHA-256 once every byte of the range was read; null before (or when the file came up short). */
  get digests(): Promise<string[] | null> | null {
    return this.result;
  }

  override _read(): void {
    const behind = this.hashes.behind();
    if (behind) {
      void behind.then(() => this.destroyed || this.readPiece());
      return;
    }
    this.readPiece();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.result) this.hashes.drop();
    callback(error);
  }

  private readPiece(): void {
    if (this.position >= this.end) {
      this.result ??= this.hashes.finish(); // the last unit ends with the range
      this.push(null);
      return;
    }
    const limited = this.bucket.limited;
    const buffer = this.nextBuffer(Math.min(PIECE, this.end - this.position));
    this.handle.read(buffer, 0, buffer.length, this.position).then(
      async ({ bytesRead }) => {
        if (this.destroyed) return;
        if (bytesRead === 0) {
          this.push(null); // the file got shorter: the transport notices the missing bytes
          return;
        }
        let piece = buffer;
        if (bytesRead < buffer.length) {
          this.ring = null;
          piece = buffer.subarray(0, bytesRead);
        }
        this.consume(piece);
        if (limited) await this.bucket.take(bytesRead);
        if (!this.destroyed) this.push(piece);
      },
      (error: NodeJS.ErrnoException) => {
        this.onReadError(error);
        this.destroy(error);
      },
    );
  }

  /** Hands a piece read at the current position to the digests, closing each unit at its end. */
  private consume(piece: Buffer): void {
    let offset = 0;
    while (offset < piece.length) {
      const take = Math.min(piece.length - offset, this.unitEnd - this.position);
      offset += take;
      this.position += take;
      const endsUnit = this.position === this.unitEnd && this.position < this.end;
      this.hashes.update(take === piece.length ? piece : piece.subarray(offset - take, offset), endsUnit);
      if (endsUnit) this.unitEnd = Math.min(this.end, this.position + this.unit);
    }
  }

  /** The buffer for the next piece: the ring's oldest when it holds one of this size, otherwise a new one. */
  private nextBuffer(size: number): Buffer {
    const slot = this.pieces++ % RING;
    const reused = this.ring?.[slot];
    if (reused && reused.length === size) return reused;
    const fresh = Buffer.allocUnsafeSlow(size);
    if (this.ring && size === PIECE) this.ring[slot] = fresh;
    return fresh;
  }
}
