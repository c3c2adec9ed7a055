// Positional reads of one open file with a budget: a parser asks for the bytes at an offset, never the whole
// file, and a file that would make it read more than the budget is refused instead of read.
import type { FileHandle } from 'node:fs/promises';
import { Refusal } from './media-facts';

/** What one preflight may read at most (headers and indexes; a long film's MP4 index is a few MiB). */
export const DEFAULT_READ_BUDGET = 64 * 1024 * 1024;

export class BoundedReader {
  private spent = 0;

  constructor(
    private readonly handle: FileHandle,
    readonly size: number,
    private readonly budget = DEFAULT_READ_BUDGET,
  ) {}

  /** Bytes read so far. */
  get bytesRead(): number {
    return this.spent;
  }

  /** Up to `length` bytes at `offset` (fewer at the end of the file; none past it). */
  async read(offset: number, length: number): Promise<Buffer> {
    const wanted = Math.max(0, Math.min(length, this.size - offset));
    if (wanted === 0) return Buffer.alloc(0);
    if (this.spent + wanted > this.budget) {
      throw new Refusal('unknown', `has headers larger than Convoy reads (over ${this.budget >> 20} MiB)`);
    }
    const buffer = Buffer.allocUnsafe(wanted);
    let got = 0;
    while (got < wanted) {
      const { bytesRead } = await this.handle.read(buffer, got, wanted - got, offset + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    this.spent += got;
    return got === wanted ? buffer : buffer.subarray(0, got);
  }
}
