// The part reader on a real file: each part's exact bytes and digest (the same as hashed again from disk), again on
// a second attempt and under a bandwidth limit, and a piece it handed out left intact while the consumer still holds
// it (the reader reuses its buffers), null when the path names another file now, and a span of units read in one
// request with each unit's own digest (computed in this thread and in the digest worker).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenBucket } from '../../../main/uploads/bandwidth';
import { hashPart } from '../../../main/uploads/content-hash';
import { identityOf } from '../../../main/uploads/file-identity';
import { PartReader } from '../../../main/uploads/part-reader';
import { placeDigests } from '../../../main/uploads/unit-digests';
import { partRange, spanRange, totalParts } from '../../../main/uploads/plan';
import type { JobRecord } from '../../../main/uploads/records';

const MiB = 1024 * 1024;
const chunkSize = 5 * MiB;

describe('PartReader', () => {
  let dir: string;
  let path: string;
  let bytes: Buffer;
  let job: JobRecord;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'convoy-part-reader-'));
    path = join(dir, 'clip.bin');
    bytes = randomBytes(12 * MiB + 12_345); // bytes on the wire only: what is read must be what the file holds
    writeFileSync(path, bytes);
    // The reader reads only the job's path, name and identity.
    job = { path, name: 'clip.bin', ...identityOf(statSync(path)) } as unknown as JobRecord;
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await placeDigests('auto');
  });

  const open = async (part: number, bucket = new TokenBucket(null)) => {
    const reader = await PartReader.open(job, partRange(bytes.length, chunkSize, part), bucket);
    if (!reader) throw new Error('the file should be the one planned');
    return reader;
  };
  const collect = async (reader: PartReader) => {
    const pieces: Buffer[] = [];
    for await (const piece of reader.body()) pieces.push(Buffer.from(piece as Buffer)); // copies: pieces are reused
    return Buffer.concat(pieces);
  };

  it.each(['thread', 'worker'] as const)(
    'reads a span of units in one stream, with a digest per unit as hashPart computes each from disk (digests in the %s)',
    async (where) => {
      await placeDigests(where);
      const units = totalParts(bytes.length, chunkSize);
      for (const [first, last] of [
        [1, units],
        [2, units],
        [1, 2],
      ] as const) {
        const range = spanRange(bytes.length, chunkSize, first, last);
        const reader = await PartReader.open(job, range, new TokenBucket(null), chunkSize);
        try {
          expect((await collect(reader!)).equals(bytes.subarray(range.start, range.end + 1))).toBe(true);
          const expected = [];
          for (let unit = first; unit <= last; unit += 1)
            expected.push(await hashPart(path, bytes.length, chunkSize, unit));
          expect(await reader!.digests()).toEqual(expected);
        } finally {
          await reader?.close();
        }
      }
    },
  );

  it("reads every part's exact bytes, with the digest hashPart computes from disk, on every attempt", async () => {
    for (let part = 1; part <= totalParts(bytes.length, chunkSize); part += 1) {
      const range = partRange(bytes.length, chunkSize, part);
      const reader = await open(part);
      try {
        expect(await reader.digest()).toBeNull();
        for (let attempt = 0; attempt < 2; attempt += 1) {
          expect((await collect(reader)).equals(bytes.subarray(range.start, range.end + 1))).toBe(true);
          expect(await reader.digest()).toBe(await hashPart(path, bytes.length, chunkSize, part));
        }
      } finally {
        await reader.close();
      }
    }
  });

  it('reads the same bytes under a bandwidth limit', async () => {
    const reader = await open(2, new TokenBucket(256 * MiB));
    try {
      const range = partRange(bytes.length, chunkSize, 2);
      expect((await collect(reader)).equals(bytes.subarray(range.start, range.end + 1))).toBe(true);
      expect(await reader.digest()).toBe(await hashPart(path, bytes.length, chunkSize, 2));
    } finally {
      await reader.close();
    }
  });

  it('never overwrites a piece the consumer still holds while it takes the next one', async () => {
    // Like a socket whose queue still holds the previous piece when the next is asked for: each piece is checked
    // against the file while the next one is taken and after the reader had time to read ahead.
    const range = partRange(bytes.length, chunkSize, 1);
    const reader = await open(1);
    try {
      let held: { piece: Buffer; at: number } | null = null;
      let at = range.start;
      let pieces = 0;
      for await (const chunk of reader.body()) {
        const piece = chunk as Buffer;
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (held) expect(held.piece.equals(bytes.subarray(held.at, held.at + held.piece.length))).toBe(true);
        expect(piece.equals(bytes.subarray(at, at + piece.length))).toBe(true);
        held = { piece, at };
        at += piece.length;
        pieces += 1;
      }
      expect(at).toBe(range.end + 1);
      expect(pieces).toBeGreaterThan(4); // enough pieces for the reader to come back to its first buffers
    } finally {
      await reader.close();
    }
  });

  it('answers null when the path names another file now', async () => {
    const other = { ...job, ino: (job.ino ?? 0) + 1 } as JobRecord;
    expect(await PartReader.open(other, partRange(bytes.length, chunkSize, 1), new TokenBucket(null))).toBeNull();
  });
});
