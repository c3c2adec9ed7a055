// Reads one part of a file for sending: from a descriptor opened on the file the job planned (checked by its
// identity), through a digest of what was read and the bandwidth limit. A read error is kept as the file's own
// fault (permission, vanished, disk), never taken for the network's.
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { pipeline, Readable } from 'node:stream';
import { throttle, type TokenBucket } from './bandwidth';
import { DigestStream } from './content-hash';
import { sameIdentity } from './file-identity';
import { Failure } from './outcomes';
import type { PartRange } from './plan';
import type { JobRecord } from './records';

/** How much one read takes from the file. */
const PIECE = 256 * 1024;

export class PartReader {
  private digester: DigestStream | null = null;
  private failure: NodeJS.ErrnoException | null = null;

  private constructor(
    private readonly handle: FileHandle,
    private readonly job: JobRecord,
    private readonly range: PartRange,
    private readonly bucket: TokenBucket,
  ) {}

  /**
   * Opens the job's file; null when the path now names a file other than the one planned (the caller checks its
   * content again). Throws Failure, in plain words, when it cannot be opened.
   */
  static async open(job: JobRecord, range: PartRange, bucket: TokenBucket): Promise<PartReader | null> {
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
    return new PartReader(handle, job, range, bucket);
  }

  /**
   * A fresh stream of the part (one per attempt of the request: a refused first attempt, a refreshed token). Positional
   * reads on the open descriptor, so attempts never share a stream's state or lock the handle for one another.
   */
  body(): Readable {
    const source = Readable.from(this.read(), { objectMode: false });
    const digester = new DigestStream();
    this.digester = digester;
    const stages: NodeJS.ReadWriteStream[] = [digester];
    if (this.bucket.limited) stages.push(throttle(this.bucket));
    // The last stage errors (and so the request) when any stage does: nothing is left unhandled.
    return pipeline(
      [source, ...stages] as unknown as [Readable, NodeJS.ReadWriteStream],
      () => {},
    ) as unknown as Readable;
  }

  /** The part's bytes, 256 KiB at a time; a read error is kept as the file's own fault, then rethrown. */
  private async *read(): AsyncGenerator<Buffer> {
    let position = this.range.start;
    const end = this.range.end + 1;
    while (position < end) {
      const buffer = Buffer.allocUnsafe(Math.min(PIECE, end - position));
      let bytesRead: number;
      try {
        ({ bytesRead } = await this.handle.read(buffer, 0, buffer.length, position));
      } catch (error) {
        this.failure ??= error as NodeJS.ErrnoException;
        throw error;
      }
      if (bytesRead === 0) return; // the file got shorter: the transport notices the missing bytes
      position += bytesRead;
      yield bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
    }
  }

  /** SHA-256 of the part as the last stream read it; null when it did not read all of it. */
  get digest(): string | null {
    return this.digester?.digest ?? null;
  }

  /** The file's own fault that stopped reading, in plain words (null when reading went fine). */
  get readFailure(): string | null {
    return this.failure ? describeReadError(this.failure, this.job.name) : null;
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => {});
  }
}

/** What went wrong reading a file, for the user: the OS reason in plain words. */
export function describeReadError(error: NodeJS.ErrnoException, name: string): string {
  switch (error.code) {
    case 'EACCES':
    case 'EPERM':
      return `Permission denied reading ${name}. Make it readable, then retry.`;
    case 'ENOENT':
      return `${name} is no longer there (moved, renamed or deleted).`;
    case 'EISDIR':
      return `${name} is now a folder, not a file.`;
    case 'EBUSY':
    case 'ETXTBSY':
      return `${name} is locked by another program. Close it there, then retry.`;
    case 'EIO':
      return `The disk could not read ${name} (input/output error). Check the disk, then retry.`;
    case 'EMFILE':
    case 'ENFILE':
      return `Too many files are open to read ${name}; retry in a moment.`;
    default:
      return `Could not read ${name}: ${error.message}`;
  }
}
