// The preflight pool: files checked in worker threads (never on the caller's thread), many at once, each answer
// validated; a named pipe is refused without being opened.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { PreflightPool, closePreflight, preflight } from '../../../main/media/preflight';
import { makeClip } from '../../support/media-clips';
import { scratchDirs } from '../../support/scratch-dirs';

const newDir = scratchDirs('media-pool');
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
});
