// The watch list on disk (survives restarts): each watch's settings in watches.json, and per watch the files it
// knows (by identity: device, inode, size, modification time) in files-<id>.json, so a restart, a rename or a move
// is told apart from a new file. Every write is atomic; what is read back is validated.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeAtomic } from '../lib/write-atomic';

const watchRecord = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  path: z.string().min(1),
  profileId: z.string().min(1),
  include: z.array(z.string()),
  exclude: z.array(z.string()),
  defaults: z.object({
    description: z.string().optional(),
    tags: z.array(z.string()).optional(),
    public: z.boolean().optional(),
  }),
  settleMs: z.number().positive(),
  polling: z.boolean().optional(),
  /** Leave the captions, chapters and thumbnails beside its videos alone (engine.add's noSidecars). */
  noSidecars: z.boolean().optional(),
  /** Upload the files the media check does not recognise, on the user's word (engine.add's uploadUnrecognised). */
  uploadUnrecognised: z.boolean().optional(),
  paused: z.boolean(),
  createdAt: z.number(),
  /** Local day (YYYY-MM-DD) and how many files this watch uploaded on it. */
  today: z.object({ day: z.string(), uploaded: z.number().int().nonnegative() }),
});
export type WatchRecord = z.infer<typeof watchRecord>;

const watchList = z.object({ version: z.literal(1), watches: z.array(watchRecord) });

/** A file a watch knows: where it is, the job that uploads it (none: it was there before, or skipped). */
export interface KnownFile {
  key: string;
  path: string;
  jobId?: string;
  /** When its upload finished (epoch ms). */
  doneAt?: number;
  /** When it was last found missing (deleted or moved away); kept a while so a move is recognised. */
  goneAt?: number;
}

const knownFile = z.object({
  key: z.string(),
  path: z.string(),
  jobId: z.string().optional(),
  doneAt: z.number().optional(),
  goneAt: z.number().optional(),
});
const knownFiles = z.object({ version: z.literal(1), files: z.array(knownFile) });

export type LogFn = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;

export class WatchStore {
  constructor(
    private readonly dir: string,
    private readonly log: LogFn,
  ) {}

  loadWatches(): WatchRecord[] {
    const raw = this.read('watches.json');
    if (raw === undefined) return [];
    const parsed = watchList.safeParse(raw);
    if (!parsed.success) {
      this.log('error', `the watch list in ${this.dir} could not be read; starting without watches`);
      return [];
    }
    return parsed.data.watches;
  }

  saveWatches(watches: WatchRecord[]): void {
    writeAtomic(join(this.dir, 'watches.json'), JSON.stringify({ version: 1, watches }, null, 1));
  }

  loadFiles(id: string): KnownFile[] {
    const raw = this.read(filesName(id));
    if (raw === undefined) return [];
    const parsed = knownFiles.safeParse(raw);
    if (!parsed.success) {
      // Without it, files already there look new after a restart: the engine's own duplicate check still applies.
      this.log('warn', `the known files of watch ${id} could not be read; the folder is scanned afresh`);
      return [];
    }
    return parsed.data.files;
  }

  saveFiles(id: string, files: Iterable<KnownFile>): void {
    writeAtomic(join(this.dir, filesName(id)), JSON.stringify({ version: 1, files: [...files] }));
  }

  removeFiles(id: string): void {
    rmSync(join(this.dir, filesName(id)), { force: true });
  }

  private read(name: string): unknown {
    let text: string;
    try {
      text = readFileSync(join(this.dir, name), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        this.log('error', `cannot read ${join(this.dir, name)}: ${(error as Error).message}`);
      return undefined;
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return null;
    }
  }
}

function filesName(id: string): string {
  return `files-${id}.json`;
}
