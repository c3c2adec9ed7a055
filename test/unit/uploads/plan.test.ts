// How a file is cut into parts: chunk sizes within api.video's limits and the byte range of each part.
import { describe, expect, it } from 'vitest';
import {
  chooseChunkSize,
  chooseUnit,
  MiB,
  partRange,
  spanAcked,
  spanRange,
  spanUnits,
  totalParts,
  unitsOfRanges,
} from '../../../main/uploads/plan';

describe('chunk planning', () => {
  it('cuts files into parts with stable, inclusive byte ranges', () => {
    expect(totalParts(12 * MiB, 5 * MiB)).toBe(3);
    expect(partRange(12 * MiB, 5 * MiB, 2)).toEqual({ part: 2, start: 5 * MiB, end: 10 * MiB - 1, length: 5 * MiB });
    expect(partRange(12 * MiB, 5 * MiB, 3)).toEqual({ part: 3, start: 10 * MiB, end: 12 * MiB - 1, length: 2 * MiB });
    expect(totalParts(1, 5 * MiB)).toBe(1);
  });
  it('keeps a fixed chunk size within 5..200 MiB and at most 10,000 parts', () => {
    expect(chooseChunkSize(100, 1)).toBe(5 * MiB);
    expect(chooseChunkSize(100, 999 * MiB)).toBe(200 * MiB);
    expect(chooseChunkSize(1e9, 5 * MiB)).toBe(5 * MiB); // the user override, left alone
    expect(chooseChunkSize(60_000 * MiB, 5 * MiB)).toBe(10 * MiB); // 12,000 parts of 5 MiB: doubled
    expect(totalParts(60_000 * MiB, chooseChunkSize(60_000 * MiB, 5 * MiB))).toBeLessThanOrEqual(10_000);
  });

  it('cuts an empty file into one empty part', () => {
    expect(totalParts(0, chooseChunkSize(0, 50 * MiB))).toBe(1);
    expect(partRange(0, 50 * MiB, 1)).toEqual({ part: 1, start: 0, end: -1, length: 0 });
  });
});

describe('automatic sizes: spans of units chosen as each request leaves', () => {
  it('cuts a file into 5 MiB units, larger only for a file of more than 2000 of them', () => {
    expect(chooseUnit(12 * MiB)).toBe(5 * MiB);
    expect(chooseUnit(10_000 * MiB)).toBe(5 * MiB);
    expect(chooseUnit(10_001 * MiB)).toBe(10 * MiB);
    expect(chooseUnit(30 * 1024 * MiB)).toBe(20 * MiB);
  });

  it('sizes a span to about 15 s at the speed one request gets, at least one unit, at most 200 MiB', () => {
    expect(spanUnits(5 * MiB, 2 * MiB)).toBe(6); // 30 MiB
    expect(spanUnits(5 * MiB, 100 * 1024)).toBe(1); // a slow link: one unit
    expect(spanUnits(5 * MiB, 0)).toBe(2); // nothing measured yet: a small first request
    expect(spanUnits(5 * MiB, 1000 * MiB)).toBe(40); // 200 MiB at most
    expect(spanUnits(5 * MiB, 2 * MiB, { queueSpeed: 0 }, 5)).toBe(2); // a shorter target
  });

  it('raises a span so the queue stays under 80% of the server upload requests per minute', () => {
    // 100 MiB/s for the queue at 100 requests a minute: at least 75 MiB per request, 15 units.
    expect(spanUnits(5 * MiB, 2 * MiB, { queueSpeed: 100 * MiB, limitPerMinute: 100 })).toBe(15);
    expect(spanUnits(5 * MiB, 2 * MiB, { queueSpeed: 1000 * MiB, limitPerMinute: 40 })).toBe(40);
  });

  it('gives the bytes of a span and maps the server received ranges back to units', () => {
    const size = 12 * MiB;
    expect(spanRange(size, 5 * MiB, 1, 2)).toEqual({ part: 1, start: 0, end: 10 * MiB - 1, length: 10 * MiB });
    expect(spanRange(size, 5 * MiB, 2, 3)).toEqual({ part: 2, start: 5 * MiB, end: size - 1, length: 7 * MiB });
    const ranges = [
      { from: 0, to: 5 * MiB - 1 },
      { from: 10 * MiB, to: size - 1 },
      { from: 1, to: 5 * MiB }, // off the grid: not ours, proves nothing
    ];
    expect(unitsOfRanges(size, 5 * MiB, ranges)).toEqual([1, 3]);
    expect(unitsOfRanges(size, 5 * MiB, [{ from: 0, to: size - 1 }])).toEqual([1, 2, 3]);
  });

  it('says whether all or any of a span of units are acknowledged', () => {
    const acked = new Set([1, 2, 4]);
    expect(spanAcked(acked, 1, 2, 'all')).toBe(true);
    expect(spanAcked(acked, 1, 4, 'all')).toBe(false); // unit 3 is missing
    expect(spanAcked(acked, 2, 4, 'any')).toBe(true);
    expect(spanAcked(acked, 3, 3, 'any')).toBe(false);
    expect(spanAcked(acked, 5, 9, 'any')).toBe(false);
    // One-unit spans: the unit itself.
    expect(spanAcked(acked, 4, 4, 'all')).toBe(true);
    expect(spanAcked(acked, 4, 4, 'any')).toBe(true);
    expect(spanAcked(acked, 3, 3, 'all')).toBe(false);
    // Nothing acknowledged yet.
    expect(spanAcked(new Set(), 1, 3, 'all')).toBe(false);
    expect(spanAcked(new Set(), 1, 3, 'any')).toBe(false);
    // An empty span (the units before unit 1): all of none, any of none.
    expect(spanAcked(acked, 1, 0, 'all')).toBe(true);
    expect(spanAcked(acked, 1, 0, 'any')).toBe(false);
  });
});
