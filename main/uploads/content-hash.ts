// What a file holds, by hash: SHA-256 of each part as it streams past (recorded when the server acknowledges it),
// the same digests read again from disk, and the whole content's hash: SHA-256 over the part digests in order,
// tagged with the chunk size that cut them (so another cut is hashed again locally before two are compared).
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { partRange, totalParts } from './plan';

/** The video metadata key that carries the content hash of a finished upload. */
export const CONTENT_KEY = 'convoy-content';

const PREFIX = 'sha256-parts';

/** The SHA-256 of one part, fed the part's bytes in order as they are read for sending. */
export class PartHash {
  private readonly hash: Hash = createHash('sha256');

  update(bytes: Buffer): void {
    this.hash.update(bytes);
  }

  /** The digest (base64url), as hashPart computes it from disk; call once, after the last byte. */
  digest(): string {
    return this.hash.digest('base64url');
  }
}

/** A pass-through that hashes every byte it passes; `digest` once it has ended. */
export class DigestStream extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private result: string | null = null;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.result = this.hash.digest('base64url');
    callback();
  }

  /** The SHA-256 of everything that passed (base64url); null before the stream ended. */
  get digest(): string | null {
    return this.result;
  }
}

/** SHA-256 (base64url) of one part of the file as it is on disk now. */
export async function hashPart(
  path: string,
  size: number,
  chunkSize: number,
  part: number,
  signal?: AbortSignal,
): Promise<string> {
  const range = partRange(size, chunkSize, part);
  const hash = createHash('sha256');
  if (range.length > 0) {
    const stream = createReadStream(path, {
      start: range.start,
      end: range.end,
      highWaterMark: 1024 * 1024,
      ...(signal ? { signal } : {}),
    });
    for await (const piece of stream) hash.update(piece as Buffer);
  }
  return hash.digest('base64url');
}

/** The digests of the given parts as the file holds them now, by part number. */
export async function hashParts(
  path: string,
  size: number,
  chunkSize: number,
  parts: Iterable<number>,
  signal?: AbortSignal,
): Promise<Map<number, string>> {
  const digests = new Map<number, string>();
  for (const part of parts) digests.set(part, await hashPart(path, size, chunkSize, part, signal));
  return digests;
}

/** The content hash from every part's digest, in order. */
export function contentHashOf(chunkSize: number, digests: readonly string[]): string {
  const hash = createHash('sha256');
  for (const digest of digests) hash.update(digest);
  return `${PREFIX}:${chunkSize}:${hash.digest('base64url')}`;
}

/** The content hash of the file as it is on disk now, cut by `chunkSize`. */
export async function contentHashOfFile(
  path: string,
  size: number,
  chunkSize: number,
  signal?: AbortSignal,
): Promise<string> {
  const parts = Array.from({ length: totalParts(size, chunkSize) }, (_, i) => i + 1);
  const digests = await hashParts(path, size, chunkSize, parts, signal);
  return contentHashOf(
    chunkSize,
    parts.map((part) => digests.get(part)!),
  );
}

/** The chunk size a content hash was cut with; null for a value that is not one of ours. */
export function chunkSizeOf(contentHash: string): number | null {
  const match = /^sha256-parts:(\d+):[A-Za-z0-9_-]{43}$/.exec(contentHash);
  return match ? Number(match[1]) : null;
}

/** Local content hashes of one file per chunk size, each computed at most once (a candidate may be cut otherwise). */
export class LocalContent {
  private readonly byChunk = new Map<number, Promise<string>>();

  constructor(
    private readonly path: string,
    private readonly size: number,
  ) {}

  /** Whether the file holds exactly the content hashed as `other`. */
  async matches(other: string, signal?: AbortSignal): Promise<boolean> {
    const chunkSize = chunkSizeOf(other);
    if (chunkSize === null) return false;
    let mine = this.byChunk.get(chunkSize);
    if (!mine) this.byChunk.set(chunkSize, (mine = contentHashOfFile(this.path, this.size, chunkSize, signal)));
    return (await mine) === other;
  }

  /** Seeds the hash already known for one cut (the job's own, from its part digests). */
  know(chunkSize: number, contentHash: string): void {
    this.byChunk.set(chunkSize, Promise.resolve(contentHash));
  }
}
