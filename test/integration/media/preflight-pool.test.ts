// The preflight pool: files checked in worker threads (never on the caller's thread), many at once, in batches
// (few messages for many files), each answer validated and its own; a named pipe is refused without being opened;
// a file that hangs is refused by name at its deadline without holding the others.
import { copyFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { PreflightResult, WorkerScript } from '../../../main/media/preflight';
import { PreflightPool, closePreflight, preflight } from '../../../main/media/preflight';
import { makeClip } from '../../support/media-clips';
import { scratchDirs } from '../../support/scratch-dirs';

const newDir = scratchDirs('media-pool');

/**
 * The real worker (servePreflight with the real probe), except for a file named stuck.mp4, whose probe never ends
 * (a disk that never answers), spin.mp4, whose probe never gives its thread back (a parser in a loop), and
 * garbled.mp4, whose probe answers facts the pool must not accept (a parser's bug): none can be made with real files.
 */
function hangingWorker(): WorkerScript {
  const at = (path: string) => JSON.stringify(fileURLToPath(new URL(path, import.meta.url)));
  const tsx = JSON.stringify(createRequire(import.meta.url).resolve('tsx/cjs'));
  return {
    eval: true,
    source: `require(${tsx});
      const { parentPort } = require('node:worker_threads');
      const { servePreflight } = require(${at('../../../main/media/preflight-serve.ts')});
      const { probeFile } = require(${at('../../../main/media/probe.ts')});
      servePreflight(parentPort, (path) => {
        if (path.endsWith('stuck.mp4')) return new Promise(() => {});
        if (path.endsWith('spin.mp4')) for (;;);
        if (path.endsWith('garbled.mp4')) return Promise.resolve({ ok: true, facts: { container: '', fps: 'fast' } });
        return probeFile(path);
      });`,
  };
}

/** A real 1 s clip, and a copy of it named `name` (a name `hangingWorker` treats as its special case). */
async function clipAndCopy(name: string): Promise<{ clip: string; copy: string }> {
  const dir = newDir();
  const clip = await makeClip(dir, { container: 'mp4', seconds: 1, width: 160, height: 96 });
  const copy = join(dir, name);
  copyFileSync(clip, copy);
  return { clip, copy };
}

/** The promise's result once it settles, and meanwhile whether it has. */
function watched(promise: Promise<PreflightResult>): { done: () => boolean; result: Promise<PreflightResult> } {
  let settled = false;
  const result = promise.finally(() => {
    settled = true;
  });
  return { done: () => settled, result };
}
const pools: PreflightPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
  await closePreflight();
});

describe('preflight in worker threads', () => {
  it('answers for clips in every container and for a fake, many at once, in file order', async () => {
    const dir = newDir();
    const clips = await Promise.all(
      (['mp4', 'mkv', 'webm', 'avi', 'ts'] as const).map((container) =>
        makeClip(dir, { container, seconds: 1, width: 160, height: 96 }),
      ),
    );
    const fake = join(dir, 'invoice.mp4');
    writeFileSync(fake, '%PDF-1.4\n%%EOF\n');
    const pool = new PreflightPool({ size: 2 });
    pools.push(pool);
    const paths = [...clips, fake, ...clips];
    const results = await Promise.all(paths.map((path) => pool.run(path)));
    expect(results.map((r) => (r.ok ? r.facts.container : r.reason))).toEqual([
      ...['mp4', 'mkv', 'webm', 'avi', 'mpeg-ts'],
      'invoice.mp4 is not a video: it starts like a PDF document',
      ...['mp4', 'mkv', 'webm', 'avi', 'mpeg-ts'],
    ]);
    expect(results[0]).toMatchObject({ ok: true, facts: { width: 160, height: 96, durationSec: 1 } });
  });

  it('the shared preflight() answers through its own pool, which closePreflight() stops', async () => {
    const dir = newDir();
    const clip = await makeClip(dir, { container: 'mov', seconds: 1, width: 160, height: 96 });
    expect(await preflight(clip)).toMatchObject({ ok: true, facts: { container: 'mov' } });
  });

  it('answers at once for a named pipe given as a video (never opened: that would wait for a writer)', async () => {
    const dir = newDir();
    const pipe = join(dir, 'stream.mp4');
    execFileSync('mkfifo', [pipe]);
    const pool = new PreflightPool({ size: 1, timeoutMs: 20_000 });
    pools.push(pool);
    expect(await pool.run(pipe)).toEqual({ ok: false, code: 'not-video', reason: 'stream.mp4 is not a regular file' });
  });

  it('sends and answers files in batches, many to a message, each answer to its own file', async () => {
    const dir = newDir();
    const clip = await makeClip(dir, { container: 'mp4', seconds: 1, width: 160, height: 96 });
    const paths: string[] = [];
    for (let i = 0; i < 64; i += 1) {
      const path = join(dir, `take-${i}.mp4`);
      // Every eighth file is a document named as a video: its answer must come back to it and to no other.
      if (i % 8 === 5) writeFileSync(path, '%PDF-1.4\n%%EOF\n');
      else copyFileSync(clip, path);
      paths.push(path);
    }
    const pool = new PreflightPool({ size: 1, perWorker: 8 });
    pools.push(pool);
    await pool.run(clip); // the worker started (not counted below)
    const before = pool.traffic();
    const results = await Promise.all(paths.map((path) => pool.run(path)));
    results.forEach((result, i) =>
      expect(result.ok ? 'video' : result.reason).toBe(
        i % 8 === 5 ? `take-${i}.mp4 is not a video: it starts like a PDF document` : 'video',
      ),
    );
    const traffic = pool.traffic();
    expect(traffic.files - before.files).toBe(64);
    // One message a file each way before batching; at most half as many now.
    expect(traffic.sent - before.sent).toBeLessThanOrEqual(32);
    expect(traffic.received - before.received).toBeLessThanOrEqual(32);
  });

  it('refuses a file stuck on its disk by name at its deadline; the files sent with it are answered meanwhile', async () => {
    const { clip, copy: stuck } = await clipAndCopy('stuck.mp4');
    const pool = new PreflightPool({ size: 1, perWorker: 8, timeoutMs: 4000, workerFile: hangingWorker() });
    pools.push(pool);
    await pool.run(clip); // the worker started
    const hung = watched(pool.run(stuck));
    const others = await Promise.all(Array.from({ length: 20 }, () => pool.run(clip)));
    expect(others.every((result) => result.ok)).toBe(true);
    expect(hung.done()).toBe(false);
    expect(await hung.result).toEqual({
      ok: false,
      code: 'unreadable',
      reason: 'stuck.mp4 could not be read within 4 s (a slow or stuck disk?)',
    });
    // Its worker was replaced: the pool goes on.
    expect(await pool.run(clip)).toMatchObject({ ok: true, facts: { container: 'mp4' } });
  });

  it('refuses at once, by name, a file whose check answers what the pool does not accept; the others go on', async () => {
    const { clip, copy: garbled } = await clipAndCopy('garbled.mp4');
    // A deadline longer than the test's own timeout: the refusal must not wait for it.
    const pool = new PreflightPool({ size: 1, perWorker: 8, timeoutMs: 600_000, workerFile: hangingWorker() });
    pools.push(pool);
    const results = await Promise.all([pool.run(clip), pool.run(garbled), pool.run(clip)]);
    expect(results[1]).toEqual({
      ok: false,
      code: 'unknown',
      reason: 'garbled.mp4 could not be checked (its check answered wrongly)',
    });
    expect(results[0]).toMatchObject({ ok: true, facts: { container: 'mp4', width: 160 } });
    expect(results[2]).toMatchObject({ ok: true, facts: { container: 'mp4', width: 160 } });
  });

  it('refuses a file that holds its worker thread by name; the other worker answers the rest meanwhile', async () => {
    const { clip, copy: spin } = await clipAndCopy('spin.mp4');
    const pool = new PreflightPool({ size: 2, perWorker: 1, timeoutMs: 4000, workerFile: hangingWorker() });
    pools.push(pool);
    await Promise.all([pool.run(clip), pool.run(clip)]); // both workers started
    const hung = watched(pool.run(spin));
    const others = await Promise.all(Array.from({ length: 12 }, () => pool.run(clip)));
    expect(others.every((result) => result.ok)).toBe(true);
    expect(hung.done()).toBe(false);
    expect(await hung.result).toMatchObject({
      code: 'unreadable',
      reason: expect.stringMatching(/^spin\.mp4 could not be read within 4 s/),
    });
  });
});
