// Chunk planning: how a file of a given size is cut into parts (5 MiB .. 200 MiB, at most 10,000 parts),
// and the byte range of each part. Boundaries depend only on (size, chunkSize), both journaled, so they
// are identical across restarts.
export const MiB = 1024 * 1024;
export const minChunkSize = 5 * MiB;
export const maxChunkSize = 200 * MiB;
export const defaultChunkSize = 50 * MiB;
export const maxParts = 10_000;

export interface PartRange {
  part: number;
  start: number;
  /** Inclusive. */
  end: number;
  length: number;
}

/** What the server allows: its upload requests per minute for this credential, and how fast the queue sends. */
export interface UploadPace {
  /** The whole queue's bytes per second. */
  queueSpeed: number;
  /** The server's upload requests per minute (X-RateLimit-Limit), when a reply named it. */
  limitPerMinute?: number;
}

/** The share of the server's upload budget the queue plans to use; the rest absorbs bursts and other programs. */
const BUDGET_SHARE = 0.8;

/**
 * The chunk size for a new upload: the setting, or automatic: about 15 s of sending at the measured speed per
 * request (so a pause or a crash loses little), but never so small that the queue's requests would pass 80% of the
 * server's upload requests per minute.
 */
export function chooseChunkSize(
  size: number,
  setting: number | 'adaptive',
  measuredSpeed = 0,
  pace: UploadPace = { queueSpeed: 0 },
): number {
  let chunk: number;
  if (setting !== 'adaptive') chunk = setting;
  else {
    chunk = measuredSpeed > 0 ? Math.round((measuredSpeed * 15) / MiB) * MiB : defaultChunkSize;
    if (pace.limitPerMinute && pace.queueSpeed > 0) {
      const budgetFloor = (pace.queueSpeed * 60) / (pace.limitPerMinute * BUDGET_SHARE);
      chunk = Math.max(chunk, Math.ceil(budgetFloor / MiB) * MiB);
    }
  }
  chunk = Math.min(maxChunkSize, Math.max(minChunkSize, chunk));
  while (Math.ceil(size / chunk) > maxParts && chunk < maxChunkSize) chunk = Math.min(maxChunkSize, chunk * 2);
  return chunk;
}

export function totalParts(size: number, chunkSize: number): number {
  return Math.max(1, Math.ceil(size / chunkSize));
}

export function partRange(size: number, chunkSize: number, part: number): PartRange {
  const start = (part - 1) * chunkSize;
  const end = Math.min(size, start + chunkSize) - 1;
  return { part, start, end, length: end - start + 1 };
}

/** Bytes in the given acknowledged parts. */
export function bytesOfParts(size: number, chunkSize: number, parts: Iterable<number>): number {
  let sum = 0;
  for (const part of parts) sum += partRange(size, chunkSize, part).length;
  return sum;
}
