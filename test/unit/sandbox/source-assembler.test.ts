// The source assembler on real files: chunks joined byte for byte and probed; a video purged while its chunks are
// being joined is dropped without an error in the log; a discarded one (kept for restore) keeps its source.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SandboxContext } from '../../../main/sandbox/context';
import { SandboxStorage } from '../../../main/sandbox/storage';
import { emptyState } from '../../../main/sandbox/state';
import { newVideoRecord } from '../../../main/sandbox/videos';
import { SourceAssembler } from '../../../main/sandbox/upload/assembler';
import { makeClip } from '../../support/media-clips';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A sandbox context on a fresh data dir, with one completed three-part upload of a real clip. */
async function completedUpload() {
  const dir = mkdtempSync(join(tmpdir(), 'convoy-assembler-'));
  dirs.push(dir);
  const logged: string[] = [];
  const ctx = new SandboxContext(emptyState(), new SandboxStorage(dir), 'key', (line) => logged.push(line));
  const clip = readFileSync(await makeClip(dir, { container: 'mp4', seconds: 1, width: 320, height: 180 }));
  const video = newVideoRecord(ctx, 'three parts');
  const cuts = [0, Math.floor(clip.length / 3), Math.floor((2 * clip.length) / 3), clip.length];
  const parts = [0, 1, 2].map((i) => ({ n: i + 1, size: cuts[i + 1]! - cuts[i]! }));
  for (const [i, part] of parts.entries()) {
    const file = ctx.storage.chunkPath(video.videoId, `part-${part.n}`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, clip.subarray(cuts[i], cuts[i + 1]));
  }
  video.upload = {
    ...video.upload,
    mode: 'part',
    totalParts: 3,
    parts,
    firstChunkAt: ctx.clock.now(),
    completedAt: ctx.clock.now(),
    filesize: clip.length,
  };
  ctx.state.videos[video.videoId] = video;
  return { ctx, video, clip, logged, assembler: new SourceAssembler(ctx) };
}

describe('SourceAssembler', () => {
  it('joins the parts byte for byte and probes what they are', async () => {
    const { ctx, video, clip, logged, assembler } = await completedUpload();
    await assembler.assemble(video.videoId);
    expect(readFileSync(ctx.storage.sourcePath(video.videoId)).equals(clip)).toBe(true);
    expect(ctx.state.videos[video.videoId]!.upload.assembled).toBe(true);
    expect(ctx.storage.sourceProbe(video.videoId)).toMatchObject({ kind: 'video', facts: { width: 320 } });
    expect(logged).toEqual([]);
  });

  it('drops a video purged while its parts are being joined, with nothing in the log', async () => {
    const { ctx, video, logged, assembler } = await completedUpload();
    const joining = assembler.assemble(video.videoId);
    delete ctx.state.videos[video.videoId]; // purged with its files, as the assembly starts
    ctx.storage.removeVideo(video.videoId);
    await joining;
    expect(logged).toEqual([]);
  });

  it('finishes the source of a video discarded mid-assembly, so that a restore finds it whole', async () => {
    const { ctx, video, clip, logged, assembler } = await completedUpload();
    const joining = assembler.assemble(video.videoId);
    delete ctx.state.videos[video.videoId];
    ctx.state.discardedVideos[video.videoId] = video;
    await joining;
    expect(ctx.state.discardedVideos[video.videoId]!.upload.assembled).toBe(true);
    expect(readFileSync(ctx.storage.sourcePath(video.videoId)).equals(clip)).toBe(true);
    expect(logged).toEqual([]);
  });
});
