// The queue's running totals stay exact: after every step of a realistic session on the real engine and
// sandbox (add, progress, retries, file changes, fail, cancel, remove, pause, restart, retry, complete), and
// on every progress event, they equal a count from scratch over every job; and the reporter alone at 10,000 jobs.
import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { QueueSnapshot, QueueTotals } from '../../../common/contract/queue';
import type { UploadEngine } from '../../../main/uploads/index';
import { QueueReporter } from '../../../main/uploads/reporter';
import { FakeQueue, jobRecord, noCounts, reporterOptions } from './fake-queue';
import { harness, makeFiles, MiB, waitFor, type Harness } from './helpers';
import { recountTotals } from './recount-totals';

/** The snapshot's totals against a count from scratch over its jobs at the same moment. */
function expectExact(snapshot: QueueSnapshot, totals: QueueTotals = snapshot.totals, step = ''): void {
  expect(totals, step).toEqual(recountTotals(snapshot.jobs, (job) => job.confirmedBytes, totals));
}

let h: Harness | null = null;
afterEach(async () => {
  await h?.cleanup();
  h = null;
});

describe('queue totals on the real engine', () => {
  it('equal a recount after every step and on every progress event', async () => {
    h = await harness({ settings: { chunkSize: 5 * MiB, concurrency: 2 } });
    const mismatches: unknown[] = [];
    let events = 0;
    let progressed = 0;
    // Listener errors are caught and logged by the reporter: collect them and assert at the end.
    const watch = (engine: UploadEngine) => {
      engine.on('progress', ({ totals }) => {
        events += 1;
        if (totals.inflightBytes > 0 || (totals.confirmedBytes > 0 && totals.confirmedBytes < totals.bytes))
          progressed += 1;
        try {
          expectExact(engine.snapshot(), totals, `progress event ${events}`);
        } catch (error) {
          mismatches.push(error);
        }
      });
      engine.on('jobs', () => {
        try {
          expectExact(engine.snapshot(), undefined, 'jobs event');
        } catch (error) {
          mismatches.push(error);
        }
      });
    };
    const check = (step: string) => expectExact(h!.engine.snapshot(), undefined, step);
    const jobAt = (path: string) => h!.engine.snapshot().jobs.find((j) => j.path === path)!;
    watch(h.engine);
    await h.sandbox.setFaults({ connectionBytesPerSec: 8 * MiB });

    const big = makeFiles(join(h.dir, 'big'), [12 * MiB, 11 * MiB, 12 * MiB]);
    const small = makeFiles(
      join(h.dir, 'small'),
      Array.from({ length: 30 }, (_, i) => 32 * 1024 + i),
    );
    await h.engine.add({ paths: [join(h.dir, 'big')], profileId: 'p1' });
    check('big files added');
    await h.engine.add({ paths: [join(h.dir, 'small')], profileId: 'p1' });
    check('small files added');

    // Before they start: one small file vanishes (it will fail), another grows (its size changes when it starts).
    rmSync(small[29]!);
    appendFileSync(small[28]!, Buffer.alloc(4096, 7));

    await waitFor(() => jobAt(big[0]!).confirmedBytes > 0, 30_000, 'a first part confirmed');
    check('mid-upload');
    expect(h.engine.control('cancel', [jobAt(big[0]!).id])).toBe(1);
    check('cancelled mid-upload');
    expect(h.engine.control('remove', [jobAt(big[1]!).id, jobAt(small[0]!).id])).toBe(2);
    check('removed a running and a queued job');

    await h.sandbox.setFaults({ connectionBytesPerSec: 8 * MiB, failRate: 0.3, failStatus: 503 });
    await waitFor(() => jobAt(big[2]!).confirmedBytes > 0, 30_000, 'the third file under way');
    await h.sandbox.setFaults({ connectionBytesPerSec: 8 * MiB });
    h.engine.control('pause');
    check('paused everything');
    h.engine.control('resume');
    check('resumed everything');

    // Quit mid-upload and open again: the restored queue starts from the journal.
    await waitFor(() => h!.engine.snapshot().totals.inflightBytes > 0, 30_000, 'bytes in flight');
    await h.engine.close();
    watch(await h.open());
    check('reopened');

    await h.engine.idle();
    check('idle');
    expect(jobAt(small[29]!).state).toBe('failed');
    expect(jobAt(small[28]!).size).toBe(32 * 1024 + 28 + 4096);
    expect(jobAt(big[0]!).state).toBe('cancelled');

    await h.sandbox.clearFaults();
    writeFileSync(small[29]!, Buffer.alloc(10_000, 1));
    const again = h.engine
      .snapshot()
      .jobs.filter((j) => j.state === 'failed' || j.state === 'cancelled')
      .map((j) => j.id);
    expect(h.engine.control('retry', again)).toBe(again.length);
    check('retried the failed and the cancelled');
    await h.engine.idle();

    const end = h.engine.snapshot();
    expectExact(end, undefined, 'finished');
    expect(end.totals.files).toBe(31); // 33 added, 2 removed
    expect(end.totals.byState.done).toBe(31);
    expect(end.totals.confirmedBytes).toBe(end.totals.bytes);
    expect(mismatches).toEqual([]);
    expect(events).toBeGreaterThan(10);
    expect(progressed).toBeGreaterThan(0);
  });
});

// ---- the reporter alone, at scale, fed the way the engine feeds it --------------------------------------

describe('queue totals in the reporter at 10,000 jobs', () => {
  it('count the jobs already there when the reporter is made, before any is marked', () => {
    const jobs = new Map([1, 2, 3].map((i) => [`job-${i}`, jobRecord(i)] as const));
    jobs.get('job-2')!.state = 'done';
    const reporter = new QueueReporter({
      jobs,
      runtime: new Map(),
      runs: new Map(),
      counts: noCounts(),
      options: reporterOptions,
      log: () => {},
    });
    const { byState: _, ...totals } = reporter.totals();
    const { byState: __, ...recounted } = recountTotals(jobs.values(), (job) => (job.state === 'done' ? job.size : 0), {
      inflightBytes: 0,
      speed: 0,
    });
    expect(totals).toEqual(recounted);
    expect(totals.bytes).toBe(7 * MiB + 8 * MiB + 9 * MiB);
  });

  it('stay exact through runs, acks, state changes, removals and flushes', () => {
    const q = new FakeQueue(Array.from({ length: 10_000 }, (_, i) => jobRecord(i)));
    const expectRecount = (step: string) => expect(q.reporter.totals(), step).toEqual(q.recount());
    expectRecount('10,000 queued');
    q.reporter.flush();
    expectRecount('after the first flush');
    for (let round = 0; round < 50; round += 1) {
      const ids = [0, 1, 2, 3].map((k) => `job-${round * 4 + k}`);
      for (const id of ids) q.start(id);
      q.reporter.flush(); // from here on the runs change unmarked, as acks do between ticks
      for (const [k, id] of ids.entries()) q.send(id, 1, (k + 1) * MiB);
      expectRecount(`round ${round}: parts in flight`);
      for (const id of ids) q.ack(id, 1);
      expectRecount(`round ${round}: parts acknowledged`);
      // A paused run whose last part is acknowledged after the tick, then ends before the next one.
      q.setState(ids[3]!, 'paused');
      q.reporter.flush();
      q.send(ids[3]!, 2, MiB / 2);
      q.ack(ids[3]!, 2);
      q.endRun(ids[3]!);
      expectRecount(`round ${round}: a paused run ended`);
      q.setState(ids[0]!, 'done');
      q.setState(ids[1]!, 'failed');
      q.setState(ids[2]!, 'cancelled');
      for (const id of ids.slice(0, 3)) q.endRun(id);
      expectRecount(`round ${round}: runs ended`);
      // A change to a job that is not running, then a tick before anyone asks for the totals.
      q.setState(`job-${9_000 + round}`, 'paused');
      q.reporter.flush();
      expectRecount(`round ${round}: a queued job paused, then a tick`);
      // Another waits for its profile's key (counted as "needs key"); every other round, the key comes back.
      q.jobs.get(`job-${8_000 + round}`)!.waitingForKey = true;
      q.setState(`job-${8_000 + round}`, 'paused');
      if (round % 2 === 1) {
        delete q.jobs.get(`job-${8_000 + round - 1}`)!.waitingForKey;
        q.setState(`job-${8_000 + round - 1}`, 'queued');
      }
      expectRecount(`round ${round}: waiting for a key`);
      q.remove(ids[2]!);
      q.remove(`job-${9_999 - round}`);
      q.setState(ids[1]!, 'queued'); // retried
      q.track({ ...jobRecord(20_000 + round), size: 3 * MiB + round });
      if (round % 3 === 0) q.reporter.flush();
      expectRecount(`round ${round}: removed, retried, added`);
    }
    q.reporter.flush();
    expectRecount('last flush');
    expect(q.reporter.totals().files).toBe(10_000 - 50); // each round removed two and added one
    expect(q.reporter.totals().needsKey).toBe(25);
  });
});
