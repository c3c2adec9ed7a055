// The digests of a request's units off the main thread: the worker's digests equal SHA-256 of each unit's bytes
// (also when units end inside a piece, or bytes outgrow its ring), a worker that stops loses only its open streams' digests (null) and after
// a few stops hashing stays in this thread, and reading waits while a stuck worker is far behind.
import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { DigestWorker, InThreadDigests, type UnitDigests } from '../../../main/uploads/unit-digests';

const MiB = 1024 * 1024;
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('base64url');

/** Feeds `bytes` in pieces of `piece` bytes, cut into units of `unit` bytes (as PartStream does). */
function feed(digests: UnitDigests, bytes: Buffer, unit: number, piece: number): void {
  let unitEnd = Math.min(bytes.length, unit);
  for (let at = 0; at < bytes.length;) {
    const take = Math.min(piece, unitEnd - at);
    const endsUnit = at + take === unitEnd && unitEnd < bytes.length;
    digests.update(bytes.subarray(at, at + take), endsUnit);
    at += take;
    if (endsUnit) unitEnd = Math.min(bytes.length, at + unit);
  }
}

function unitsOf(bytes: Buffer, unit: number): string[] {
  const out: string[] = [];
  for (let at = 0; at < bytes.length || out.length === 0; at += unit) out.push(sha(bytes.subarray(at, at + unit)));
  return out;
}

describe('DigestWorker', () => {
  const workers: DigestWorker[] = [];
  const make = (...args: ConstructorParameters<typeof DigestWorker>) => {
    const worker = new DigestWorker(...args);
    workers.push(worker);
    return worker;
  };
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.close()));
  });

  it("hashes each unit in its thread, equal to SHA-256 of the unit's bytes, for several streams at once", async () => {
    const worker = make();
    const bytes = randomBytes(3 * MiB + 777);
    const cases = [
      { unit: MiB, piece: 256 * 1024 },
      { unit: 700_000, piece: 256 * 1024 }, // units end inside pieces
      { unit: bytes.length, piece: 100_000 }, // one unit: the whole range
    ];
    const streams = cases.map(() => worker.open());
    for (const stream of streams) expect(stream).not.toBeInstanceOf(InThreadDigests);
    cases.forEach(({ unit, piece }, i) => feed(streams[i]!, bytes, unit, piece));
    const results = await Promise.all(streams.map((s) => s.finish()));
    cases.forEach(({ unit }, i) => expect(results[i]).toEqual(unitsOf(bytes, unit)));
    // The same as hashing in this thread.
    const local = new InThreadDigests();
    feed(local, bytes, MiB, 256 * 1024);
    expect(await local.finish()).toEqual(results[0]);
  });

  it('keeps the order and the digests when a burst outgrows the ring (the rest goes in copies of its own)', async () => {
    const worker = make();
    const bytes = randomBytes(21 * MiB + 99);
    const streams = [worker.open(), worker.open()];
    // Fed without yielding: the worker cannot report any room free before the ring is full.
    for (const stream of streams) feed(stream, bytes, 5 * MiB, 256 * 1024);
    const expected = unitsOf(bytes, 5 * MiB);
    for (const digests of await Promise.all(streams.map((s) => s.finish()))) expect(digests).toEqual(expected);
  });

  it('gives the digest of an empty stream, and forgets a dropped one', async () => {
    const worker = make();
    const dropped = worker.open();
    dropped.update(randomBytes(1000), false);
    dropped.drop();
    const empty = worker.open();
    expect(await empty.finish()).toEqual([sha(Buffer.alloc(0))]);
  });

  it('keeps the bytes it was given even when the caller reuses its buffer at once', async () => {
    const worker = make();
    const stream = worker.open();
    const buffer = Buffer.alloc(64 * 1024);
    const expected = createHash('sha256');
    for (let i = 0; i < 20; i += 1) {
      buffer.fill(i);
      expected.update(buffer);
      stream.update(buffer, false);
    }
    expect(await stream.finish()).toEqual([expected.digest('base64url')]);
  });

  it('loses only the open streams when the worker stops, then hashes in this thread after repeated stops', async () => {
    // A worker that dies at its first message.
    const worker = make({
      source: "require('node:worker_threads').parentPort.on('message', () => process.exit(3));",
      eval: true,
    });
    for (let stop = 0; stop < 3; stop += 1) {
      const stream = worker.open();
      expect(stream).not.toBeInstanceOf(InThreadDigests);
      stream.update(randomBytes(1000), false);
      expect(await stream.finish()).toBeNull(); // lost with the worker: the engine hashes those units from disk
    }
    const local = worker.open();
    expect(local).toBeInstanceOf(InThreadDigests);
    const bytes = randomBytes(5000);
    local.update(bytes, false);
    expect(await local.finish()).toEqual([sha(bytes)]);
  });

  it('makes reading wait while a stuck worker is far behind, and lets it go when the worker is gone', async () => {
    const worker = make({ source: "require('node:worker_threads').parentPort.on('message', () => {});", eval: true });
    const stream = worker.open();
    expect(stream.behind()).toBeNull();
    const piece = Buffer.alloc(MiB);
    for (let i = 0; i < 33; i += 1) stream.update(piece, false);
    const waiting = stream.behind();
    expect(waiting).not.toBeNull();
    let released = false;
    void waiting!.then(() => (released = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(released).toBe(false);
    await worker.close();
    await waiting;
    expect(await stream.finish()).toBeNull();
  });
});
