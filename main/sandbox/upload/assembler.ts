// Joins a completed upload's chunk files into one source file (byte-identical to what was sent) and probes what it
// is, in the background; readers of the source (status, assets) wait for the pending assembly of that video.
import { createReadStream, createWriteStream, existsSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { SandboxContext } from '../context';
import { chunkKeysInOrder } from './rules';

export class SourceAssembler {
  private readonly pending = new Map<string, Promise<void>>();

  constructor(private readonly ctx: SandboxContext) {}

  /** The record of a video, live or discarded (DELETE keeps it, with its files, for restore); undefined once purged. */
  private recordOf(videoId: string) {
    return this.ctx.state.videos[videoId] ?? this.ctx.state.discardedVideos[videoId];
  }

  /** Starts (or joins) the assembly of a completed video's source. */
  assemble(videoId: string): Promise<void> {
    const running = this.pending.get(videoId);
    if (running) return running;
    const job = this.run(videoId)
      .catch((error: unknown) => {
        // A video purged while its source was being joined has nothing left to assemble: not an error.
        if (!this.recordOf(videoId)) {
          this.ctx.storage.removeVideo(videoId);
          return;
        }
        this.ctx.log(`sandbox: assembling ${videoId} failed: ${(error as Error).message}`);
      })
      .finally(() => this.pending.delete(videoId));
    this.pending.set(videoId, job);
    return job;
  }

  /** Resolves once no assembly of this video is running. */
  async settled(videoId: string): Promise<void> {
    await this.pending.get(videoId);
  }

  async settleAll(): Promise<void> {
    await Promise.allSettled([...this.pending.values()]);
  }

  /** After a restart: finishes every completed upload whose assembly had not ended. */
  resumeAll(): void {
    for (const video of [...Object.values(this.ctx.state.videos), ...Object.values(this.ctx.state.discardedVideos)]) {
      if (video.upload.completedAt !== null && !video.upload.assembled) void this.assemble(video.videoId);
    }
  }

  private async run(videoId: string): Promise<void> {
    const video = this.recordOf(videoId);
    if (!video || video.upload.assembled) return;
    const storage = this.ctx.storage;
    const keys = chunkKeysInOrder(video.upload);
    const target = storage.sourcePath(videoId);
    const chunkFiles = keys.map((key) => storage.chunkPath(videoId, key));
    if (chunkFiles.length === 1 && existsSync(chunkFiles[0]!)) {
      renameSync(chunkFiles[0]!, target);
    } else if (!existsSync(target) || chunkFiles.some((file) => existsSync(file))) {
      const partial = join(dirname(target), 'source.assembling');
      // pipeline: an error on either side (a folder purged meanwhile) rejects here, never as an unhandled event.
      await pipeline(
        async function* () {
          for (const file of chunkFiles) yield* createReadStream(file, { highWaterMark: 1024 * 1024 });
        },
        createWriteStream(partial, { mode: 0o600 }),
      );
      renameSync(partial, target);
    }
    const current = this.recordOf(videoId);
    if (!current) {
      storage.removeVideo(videoId);
      return;
    }
    rmSync(join(storage.videoDir(videoId), 'chunks'), { recursive: true, force: true });
    current.upload.assembled = true;
    this.ctx.save();
    storage.sourceProbe(videoId); // what the bytes are, known before anyone asks for the status
  }
}
