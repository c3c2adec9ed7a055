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
