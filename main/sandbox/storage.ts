// The data directory: state.json (written atomically: temp file + rename), the persisted API key,
// and per-video folders holding committed chunk files, the assembled source and what the source was probed to be.
import { existsSync, mkdirSync, readFileSync, rmSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { emptyState, stateSchema, type SandboxState } from './state';
import { isVideoId, newApiKey } from './ids';
import { writeAtomic } from '../lib/write-atomic';
import { probeFile, probeResultSchema, type ProbeResult } from './container-probe';
import { z } from 'zod';

/** probe.json: the probe of the source whose size and modification time make `stamp`. */
const storedProbeSchema = z.object({ stamp: z.string(), result: probeResultSchema });

export class SandboxStorage {
  readonly stateFile: string;
  readonly tmpDir: string;
  readonly videosDir: string;
  private readonly probes = new Map<string, z.infer<typeof storedProbeSchema>>();

  constructor(readonly dataDir: string) {
    this.stateFile = join(dataDir, 'state.json');
    this.tmpDir = join(dataDir, 'tmp');
    this.videosDir = join(dataDir, 'videos');
    mkdirSync(this.videosDir, { recursive: true, mode: 0o700 });
    // Incomplete chunk bodies from a previous run are never committed: start with an empty tmp folder.
    rmSync(this.tmpDir, { recursive: true, force: true });
    mkdirSync(this.tmpDir, { recursive: true, mode: 0o700 });
  }

  loadState(): SandboxState {
    if (!existsSync(this.stateFile)) return emptyState();
    const raw = readFileSync(this.stateFile, 'utf8');
    const parsed = stateSchema.safeParse(JSON.parse(raw));
    if (!parsed.success) {
      throw new Error(
        `Sandbox state file ${this.stateFile} is not valid (${parsed.error.message}); move it away to start empty.`,
      );
    }
    return parsed.data;
  }

  saveState(state: SandboxState): void {
    writeAtomic(this.stateFile, JSON.stringify(state));
  }

  /** The API key given on the command line, else the one persisted in the data dir, else a new persisted one. */
  resolveApiKey(given: string | undefined): string {
    if (given) return given;
    const keyFile = join(this.dataDir, 'api-key');
    if (existsSync(keyFile)) {
      const stored = readFileSync(keyFile, 'utf8').trim();
      if (stored) return stored;
    }
    const key = newApiKey();
    writeAtomic(keyFile, key + '\n', 0o600);
    return key;
  }

  videoDir(videoId: string): string {
    if (!isVideoId(videoId))
      throw new Error(`refusing a storage path for the invalid video id ${JSON.stringify(videoId)}`);
    return join(this.videosDir, videoId);
  }

  chunkPath(videoId: string, key: string): string {
    return join(this.videoDir(videoId), 'chunks', key + '.bin');
  }

  sourcePath(videoId: string): string {
    return join(this.videoDir(videoId), 'source.mp4');
  }

  /**
   * What the stored source of `videoId` is (container-probe.ts): probed once per version of the file and kept beside
   * it as probe.json (and in memory); null while the video has no source file.
   */
  sourceProbe(videoId: string): ProbeResult | null {
    const source = this.sourcePath(videoId);
    let stamp: string;
    try {
      const stat = statSync(source);
      stamp = `${stat.size}:${stat.mtimeMs}`;
    } catch {
      return null;
    }
    const cached = this.probes.get(videoId) ?? this.readProbe(videoId);
    if (cached?.stamp === stamp) return cached.result;
    const stored = { stamp, result: probeFile(source) };
    this.probes.set(videoId, stored);
    writeAtomic(this.probePath(videoId), JSON.stringify(stored), 0o600);
    return stored.result;
  }

  private probePath(videoId: string): string {
    return join(this.videoDir(videoId), 'probe.json');
  }

  private readProbe(videoId: string): z.infer<typeof storedProbeSchema> | undefined {
    try {
      const parsed = storedProbeSchema.safeParse(JSON.parse(readFileSync(this.probePath(videoId), 'utf8')));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  newTempPath(): string {
    return join(this.tmpDir, randomBytes(12).toString('hex') + '.part');
  }

  removeVideo(videoId: string): void {
    this.probes.delete(videoId);
    rmSync(this.videoDir(videoId), { recursive: true, force: true });
  }

  /** Empties all state and bytes (the API key file stays). */
  wipe(): void {
    this.probes.clear();
    for (const entry of readdirSync(this.videosDir))
      rmSync(join(this.videosDir, entry), { recursive: true, force: true });
    rmSync(this.stateFile, { force: true });
  }
}
