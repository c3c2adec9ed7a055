// Sends a video's sidecars once its source is complete, journaled in a small state file of their own so that a
// crash neither loses one (pending ones are sent on restart) nor sends one twice (one that may have landed is
// looked up with a GET first).
import { readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { SidecarApi } from '../apivideo/client';
import { sidecarsNeedKey } from '../apivideo/client';
import { ApiVideoError } from '../apivideo/errors';
import { writeAtomic } from '../lib/write-atomic';
import type { RetryPolicy } from '../uploads/backoff';
import { defaultRetryPolicy, retryDelay } from '../uploads/backoff';
import type { FileSidecar, Sidecar } from './sidecars';
import { prepareSidecar, sidecarKey, sidecarSchema } from './sidecars';

/**
 * pending: to send; sending: a request left (it may have landed: looked up before sending again); done; failed
 * (the file or the server refused it: the reason says which); needs-key (only an API key can send it).
 */
export const sidecarStates = ['pending', 'sending', 'done', 'failed', 'needs-key'] as const;
export type SidecarState = (typeof sidecarStates)[number];

const entrySchema = z
  .object({
    sidecar: sidecarSchema,
    state: z.enum(sidecarStates),
    attempts: z.number().int().nonnegative(),
    reason: z.string().optional(),
  })
  .strict();
export type SidecarEntry = z.infer<typeof entrySchema>;

const journalSchema = z
  .object({ version: z.literal(1), videos: z.record(z.string(), z.record(z.string(), entrySchema)) })
  .strict();
type Journal = z.infer<typeof journalSchema>;

export const SIDECAR_JOURNAL = 'sidecars.json';

export interface SidecarEvent {
  videoId: string;
  key: string;
  entry: SidecarEntry;
}

export interface SidecarUploaderOptions {
  /** The folder of the journal (sidecars.json), given by the caller (the engine's state directory). */
  stateDir: string;
  /** The calls for one video (its profile's client, or an API key of the same account); undefined: not now. */
  api: SidecarApi | ((videoId: string) => SidecarApi | undefined);
  /** Each change of a sidecar's state, for the file's row. */
  onChange?: (event: SidecarEvent) => void;
  /** Attempts that fail for a reason that may pass (network, server, rate limit) before the sidecar fails (5). */
  maxAttempts?: number;
  /** Back-off between those attempts (default: the engine's, 1 s doubling to 60 s, a server's wait honoured). */
  retryPolicy?: RetryPolicy;
}

export class SidecarUploader {
  private readonly file: string;
  private readonly journal: Journal;
  private readonly maxAttempts: number;
  private queue: Promise<unknown> = Promise.resolve();
  private retryTimer: NodeJS.Timeout | undefined;
  /** Set when the journal was found damaged at start (it was kept aside and a new one begun). */
  readonly notice: string | undefined;

  constructor(private readonly options: SidecarUploaderOptions) {
    this.file = join(options.stateDir, SIDECAR_JOURNAL);
    this.maxAttempts = options.maxAttempts ?? 5;
    const loaded = loadJournal(this.file);
    this.journal = loaded.journal;
    this.notice = loaded.notice;
  }

  /**
   * Journals the sidecars of a video whose source just completed (those already journaled keep their state),
   * then sends what is pending. Resolves with every sidecar's entry for that video.
   */
  add(videoId: string, sidecars: Sidecar[]): Promise<Record<string, SidecarEntry>> {
    return this.serial(async () => {
      const entries = (this.journal.videos[videoId] ??= {});
      let added = false;
      for (const sidecar of sidecars) {
        const key = sidecarKey(sidecar);
        if (entries[key]) continue;
        entries[key] = { sidecar, state: 'pending', attempts: 0 };
        added = true;
      }
      if (added) this.save();
      await this.sendVideo(videoId);
      return { ...this.journal.videos[videoId] };
    });
  }

  /** Sends every sidecar not done yet (after a restart: pending ones, and those that were on their way). */
  resume(): Promise<void> {
    return this.serial(async () => {
      for (const videoId of Object.keys(this.journal.videos)) await this.sendVideo(videoId);
    });
  }

  /** The entries of one video (empty when it has none). */
  entries(videoId: string): Record<string, SidecarEntry> {
    return { ...this.journal.videos[videoId] };
  }

  /** Forgets a sidecar the user dropped, or (without key) every sidecar of a video that was removed. */
  drop(videoId: string, key?: string): Promise<void> {
    return this.serial(async () => {
      const entries = this.journal.videos[videoId];
      if (!entries) return;
      if (key === undefined) delete this.journal.videos[videoId];
      else delete entries[key];
      this.save();
    });
  }

  /** Resolves once nothing is on its way and no retry is scheduled (at once after close()). */
  async settled(): Promise<void> {
    for (;;) {
      const current = this.queue;
      await current;
      if (!this.retryTimer && current === this.queue) return;
      if (this.retryTimer) await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Stops the scheduled retry (entries stay journaled for the next run). */
  close(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  /** After a failure that may pass, another resume() later (one timer at a time; it never keeps the process up). */
  private retryLater(attempt: number, retryAfterSeconds: number | undefined): void {
    if (this.retryTimer) return;
    const delay = retryDelay(this.options.retryPolicy ?? defaultRetryPolicy, attempt, retryAfterSeconds);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.resume().catch(() => {});
    }, delay);
    this.retryTimer.unref();
  }

  private serial<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => {});
    return next;
  }

  private async sendVideo(videoId: string): Promise<void> {
    const entries = this.journal.videos[videoId] ?? {};
    for (const [key, entry] of Object.entries(entries)) {
      if (entry.state === 'done' || entry.state === 'failed') continue;
      await this.sendOne(videoId, key, entry);
    }
  }

  private apiFor(videoId: string): SidecarApi | undefined {
    const { api } = this.options;
    return typeof api === 'function' ? api(videoId) : api;
  }

  private async sendOne(videoId: string, key: string, entry: SidecarEntry): Promise<void> {
    const api = this.apiFor(videoId);
    if (!api) return; // its profile is gone for now: the entry waits, journaled
    if (!api.canSend) return this.set(videoId, key, { ...entry, state: 'needs-key', reason: sidecarsNeedKey });
    const { sidecar } = entry;
    // A frame of the video is a time, not a file: nothing to read, and picking it twice does no harm.
    const prepared = sidecar.kind === 'frame' ? null : await prepareSidecar(sidecar);
    if (prepared && !prepared.ok) return this.set(videoId, key, { ...entry, state: 'failed', reason: prepared.reason });
    try {
      // A request left before (a crash, a lost reply): look before sending, so it is never sent twice.
      const landed =
        entry.state === 'sending' &&
        sidecar.kind !== 'frame' &&
        prepared?.ok === true &&
        (await this.landed(api, videoId, sidecar, prepared.body));
      if (!landed) {
        this.set(videoId, key, { ...entry, state: 'sending', attempts: entry.attempts + 1 });
        if (sidecar.kind === 'frame') await api.pickThumbnail(videoId, sidecar.timecode);
        else if (!prepared?.ok) throw new Error(`sidecar ${key} of ${videoId} was not read`);
        else if (sidecar.kind === 'thumbnail') await api.uploadThumbnail(videoId, prepared.body, prepared.fileName);
        else await api.uploadTrack(trackKind(sidecar), videoId, sidecar.language, prepared.body);
      }
      if (sidecar.kind === 'caption' && sidecar.isDefault) await api.makeDefaultCaption(videoId, sidecar.language);
      const done: SidecarEntry = { sidecar, state: 'done', attempts: this.current(videoId, key).attempts };
      const changes = prepared?.ok ? prepared.changes : [];
      if (changes.length > 0) done.reason = `Sent as WebVTT (${changes.join(', ')})`;
      this.set(videoId, key, done);
    } catch (error) {
      // Anything but an api.video error is not ours to judge: the journal stays as it is (as after a crash).
      if (!(error instanceof ApiVideoError)) throw error;
      const now = this.current(videoId, key);
      if (error.retryable && now.attempts < this.maxAttempts) {
        // It may have landed (a lost reply): the state stays 'sending' so that the next attempt looks first.
        this.set(videoId, key, { ...now, reason: `Will retry: ${error.message}` });
        this.retryLater(now.attempts, error.retryAfterSeconds);
      } else {
        const state = error.kind === 'auth' && !api.canSend ? 'needs-key' : 'failed';
        this.set(videoId, key, { ...now, state, reason: error.message });
      }
    }
  }

  private async landed(api: SidecarApi, videoId: string, sidecar: FileSidecar, body: Buffer): Promise<boolean> {
    if (sidecar.kind === 'thumbnail') return api.thumbnailIs(videoId, body);
    return api.hasTrack(trackKind(sidecar), videoId, sidecar.language);
  }

  private current(videoId: string, key: string): SidecarEntry {
    const entry = this.journal.videos[videoId]?.[key];
    if (!entry) throw new Error(`sidecar ${key} of ${videoId} is not journaled`);
    return entry;
  }

  private set(videoId: string, key: string, entry: SidecarEntry): void {
    const entries = this.journal.videos[videoId];
    // Dropped while its request was on its way: nothing to record.
    if (!entries?.[key]) return;
    entries[key] = entry;
    this.save();
    this.options.onChange?.({ videoId, key, entry });
  }

  private save(): void {
    writeAtomic(this.file, `${JSON.stringify(this.journal, null, 1)}\n`);
  }
}

function trackKind(sidecar: Extract<Sidecar, { kind: 'caption' | 'chapters' }>): 'captions' | 'chapters' {
  return sidecar.kind === 'caption' ? 'captions' : 'chapters';
}

function loadJournal(file: string): { journal: Journal; notice?: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { journal: { version: 1, videos: {} } };
    throw error;
  }
  let parsed: ReturnType<typeof journalSchema.safeParse> | undefined;
  try {
    parsed = journalSchema.safeParse(JSON.parse(text));
  } catch {
    parsed = undefined;
  }
  if (parsed?.success) return { journal: parsed.data };
  const aside = `${file}.damaged-${Date.now()}`;
  renameSync(file, aside);
  return {
    journal: { version: 1, videos: {} },
    notice: `The sidecar journal ${file} was damaged; it was kept as ${aside} and sidecars not yet sent there are not retried.`,
  };
}
