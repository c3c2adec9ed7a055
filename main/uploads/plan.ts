// Chunk planning: how a file is cut into parts (5 MiB .. 200 MiB, at most 10,000 parts) and the byte range of
// each; with automatic sizes, the grid of units a file is cut into and how many units the next request carries.
// Boundaries depend only on journaled facts (size, chunk size, spans), so they are identical across restarts.
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
/** How long one automatic request should take at the measured speed: a pause or a crash loses little. */
export const REQUEST_SECONDS = 15;
/** Automatic sizes cut a file into units of 5 MiB, doubled while a file would have more units than this. */
const MAX_UNITS = 2000;
/** The first automatic request of a file when nothing was measured yet: small, it measures the link. */
const START_BYTES = 10 * MiB;

/** The smallest request that keeps the queue under its share of the server's upload requests per minute. */
function budgetFloor(pace: UploadPace): number {
  if (!pace.limitPerMinute || pace.queueSpeed <= 0) return 0;
  return (pace.queueSpeed * 60) / (pace.limitPerMinute * BUDGET_SHARE);
}

/**
 * A fixed chunk size as api.video takes it: within 5..200 MiB, doubled while the file would have more than 10,000
 * parts. (Automatic sizes cut by `chooseUnit` and size each request as it leaves: `spanUnits`.)
 */
export function chooseChunkSize(size: number, setting: number): number {
  let chunk = Math.min(maxChunkSize, Math.max(minChunkSize, setting));
  while (Math.ceil(size / chunk) > maxParts && chunk < maxChunkSize) chunk = Math.min(maxChunkSize, chunk * 2);
  return chunk;
}

export function totalParts(size: number, chunkSize: number): number {
  return Math.max(1, Math.ceil(size / chunkSize));
}

/** The bytes of part `part` (1-based) of a file cut by `chunkSize`: a span of that one unit. */
export function partRange(size: number, chunkSize: number, part: number): PartRange {
  return spanRange(size, chunkSize, part, part);
}

/** Bytes in the given acknowledged parts. */
export function bytesOfParts(size: number, chunkSize: number, parts: Iterable<number>): number {
  let sum = 0;
  for (const part of parts) sum += partRange(size, chunkSize, part).length;
  return sum;
}

/**
 * The grid of an automatic upload: every request carries whole units of it (the last unit may be short), acknowledged
 * and hashed one by one. 5 MiB (api.video's smallest chunk) unless the file would have more than MAX_UNITS of them.
 */
export function chooseUnit(size: number): number {
  let unit = minChunkSize;
  while (Math.ceil(size / unit) > MAX_UNITS && unit * 2 <= maxChunkSize) unit *= 2;
  return unit;
}

/**
 * How many units the next request of an automatic upload carries, chosen as it is about to leave: about
 * `seconds` of sending at the speed one request gets now, never so few that the queue would pass its share of the
 * server's upload requests per minute, at most 200 MiB.
 */
export function spanUnits(
  unit: number,
  requestSpeed: number,
  pace: UploadPace = { queueSpeed: 0 },
  seconds = REQUEST_SECONDS,
): number {
  const wanted = requestSpeed > 0 ? requestSpeed * seconds : START_BYTES;
  const units = Math.max(1, Math.round(wanted / unit), Math.ceil(budgetFloor(pace) / unit));
  return Math.min(units, Math.max(1, Math.floor(maxChunkSize / unit)));
}

/** The bytes of units `first`..`last` (1-based, inclusive) of a file cut by `unit`. */
export function spanRange(size: number, unit: number, first: number, last: number): PartRange {
  const start = (first - 1) * unit;
  const end = Math.min(size, last * unit) - 1;
  return { part: first, start, end, length: end - start + 1 };
}

/**
 * Whether `how` ('all' or 'any') of units `first`..`last` (1-based, inclusive) are acknowledged. An empty span
 * (`last` < `first`) has all of its units acknowledged and none of them.
 */
export function spanAcked(acked: ReadonlySet<number>, first: number, last: number, how: 'all' | 'any'): boolean {
  const any = how === 'any';
  // The first unit that settles it: an acknowledged one for 'any', a missing one for 'all'.
  for (let unit = first; unit <= last; unit += 1) if (acked.has(unit) === any) return any;
  return !any;
}

/**
 * The units the server holds, from its received byte ranges: each range whole units of the grid (a range
 * off the grid, not ours, proves nothing and is left out).
 */
export function unitsOfRanges(size: number, unit: number, ranges: readonly { from: number; to: number }[]): number[] {
  const units: number[] = [];
  for (const { from, to } of ranges) {
    if (from % unit !== 0 || to >= size || ((to + 1) % unit !== 0 && to !== size - 1)) continue;
    for (let u = from / unit + 1; u <= Math.ceil((to + 1) / unit); u += 1) units.push(u);
  }
  return units.sort((a, b) => a - b);
}
