// How a file is cut into parts: chunk sizes within api.video's limits and the byte range of each part.
import { describe, expect, it } from 'vitest';
import { chooseChunkSize, MiB, partRange, totalParts } from '../../../main/uploads/plan';

describe('chunk planning', () => {
  it('cuts files into parts with stable, inclusive byte ranges', () => {
    expect(totalParts(12 * MiB, 5 * MiB)).toBe(3);
    expect(partRange(12 * MiB, 5 * MiB, 3)).toEqual({ part: 3, start: 10 * MiB, end: 12 * MiB - 1, length: 2 * MiB });
    expect(totalParts(1, 5 * MiB)).toBe(1);
  });
  it('keeps chunk sizes within 5..200 MiB and at most 10,000 parts', () => {
    expect(chooseChunkSize(100, 1)).toBe(5 * MiB);
    expect(chooseChunkSize(100, 999 * MiB)).toBe(200 * MiB);
    expect(totalParts(60_000 * MiB, chooseChunkSize(60_000 * MiB, 5 * MiB))).toBeLessThanOrEqual(10_000);
    expect(chooseChunkSize(1e9, 'adaptive', 2 * MiB)).toBe(30 * MiB);
  });
});

describe('automatic chunk size and the server upload budget', () => {
  it('grows chunks so the queue stays under 80% of the requests per minute the server allows', () => {
    // 100 MiB/s for the queue, 100 requests a minute: 6000 MiB a minute over 80 requests: at least 75 MiB.
    expect(chooseChunkSize(10_000 * MiB, 'adaptive', 2 * MiB, { queueSpeed: 100 * MiB, limitPerMinute: 100 })).toBe(
      75 * MiB,
    );
    // The sandbox environment's 40 a minute at the same speed would need 188 MiB chunks.
    expect(chooseChunkSize(10_000 * MiB, 'adaptive', 2 * MiB, { queueSpeed: 100 * MiB, limitPerMinute: 40 })).toBe(
      188 * MiB,
    );
  });

  it('keeps the speed-based size when the budget allows it, and the 200 MiB ceiling when it cannot', () => {
    expect(chooseChunkSize(1e9, 'adaptive', 2 * MiB, { queueSpeed: 4 * MiB, limitPerMinute: 100 })).toBe(30 * MiB);
    expect(chooseChunkSize(1e12, 'adaptive', 2 * MiB, { queueSpeed: 1000 * MiB, limitPerMinute: 40 })).toBe(200 * MiB);
  });

  it('leaves a fixed setting alone: it is the user override', () => {
    expect(chooseChunkSize(1e9, 5 * MiB, 2 * MiB, { queueSpeed: 100 * MiB, limitPerMinute: 100 })).toBe(5 * MiB);
  });
});
