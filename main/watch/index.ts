// Watch folders: folders Convoy keeps watching, uploading each new or changed video once it has settled, through
// the same upload engine. The app (through core.ts) and `convoy watch` both open it here.
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename, isAbsolute, resolve } from 'node:path';
import type { WatchDefaults, WatchOrigin, WatchView } from '../../common/contract/watch';
import type { UploadEngine } from '../uploads/index';
import type { LateSidecar } from '../uploads/sidecar-delivery';
import type { Vault } from '../vault/index';
import { FolderWatch, localDay, type FolderWatchTunables, type WatchFileEvent, type WatchHost } from './folder-watch';
import { JobIndex } from './job-index';
import { WatchStore, type WatchRecord } from './watch-store';

export type { WatchFileEvent } from './folder-watch';

/** The engine as the watches use it. */
export type WatchEngine = UploadEngine;

export interface WatchDeps {
  /** Where the watch list and its per-watch state are kept. */
  stateDir: string;
  engine: WatchEngine;
  /** Absent in the CLI, which has no profiles store. */
  vault?: Vault;
  log: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
}

/** Timings (the CLI's --settle, tests, the benchmark); every one has a default. */
export interface WatchTunables extends Partial<FolderWatchTunables> {
  /** The settle time of a watch added without one (ms; default 5 s). */
  settleMs?: number;
  /** Start only these watches' OS watchers (the CLI watches the folders it was given); default: every watch. */
  only?: (watch: WatchView) => boolean;
}

/** A folder to start watching. */
export interface WatchInput {
  path: string;
  /** Default: the vault's active profile. */
  profileId?: string;
  name?: string;
  include?: string[];
  exclude?: string[];
  defaults?: WatchDefaults;
  /** Upload the files already there too. */
  existing?: boolean;
  settleSeconds?: number;
  polling?: boolean;
  /** Leave the captions, chapters and thumbnails beside its videos alone. */
  noSidecars?: boolean;
  /** Upload files the media check does not recognise (the user's word that they are video). */
  uploadUnrecognised?: boolean;
}

export interface WatchEvents {
  changed: { upserts: WatchView[]; removed: string[] };
  origins: { origins: Record<string, WatchOrigin> };
  file: WatchFileEvent;
}

export interface WatchService {
  list(): WatchView[];
  get(id: string): WatchView | undefined;
  /** Starts watching a folder; answers once the files already there were looked at. */
  add(input: WatchInput): Promise<WatchView>;
  /**
   * The watch of this folder and profile with the options given now (files it knows stay known), started; a new one
   * when there is none (then `existing` decides about the files already there). For `convoy watch`.
   */
  ensure(input: WatchInput & { profileId: string }): Promise<WatchView>;
  setPaused(id: string, paused: boolean): Promise<WatchView>;
  /** Stops watching (jobs it added stay in the queue). */
  remove(id: string): Promise<boolean>;
  /** Which watch added each job still in the queue. */
  origins(): Record<string, WatchOrigin>;
  on<E extends keyof WatchEvents>(event: E, listener: (payload: WatchEvents[E]) => void): () => void;
  /** Stops every OS watcher and writes down what the watches know. */
  close(): Promise<void>;
}

/** A request that cannot be carried out as asked, in words for the user; `field` names the input at fault. */
export class WatchError extends Error {
  override readonly name = 'WatchError';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

const defaultTunables: FolderWatchTunables = {
  availabilityMs: 2000,
  pollMs: 2000,
  forgetGoneMs: 7 * 24 * 3600 * 1000,
  now: Date.now,
};

export async function openWatches(deps: WatchDeps, tunables: WatchTunables = {}): Promise<WatchService> {
  const service = new Watches(deps, tunables);
  service.start();
  return service;
}

class Watches implements WatchService, WatchHost {
  readonly jobs: JobIndex;
  private readonly store: WatchStore;
  private readonly watches = new Map<string, FolderWatch>();
  private readonly tunables: FolderWatchTunables;
  private readonly listeners = new Map<keyof WatchEvents, Set<(payload: never) => void>>();
  /** Paths added to the engine whose job has not been reported yet: which watch added them. */
  private readonly awaiting = new Map<string, FolderWatch>();
  private readonly dirtyViews = new Set<string>();
  private readonly dirtyFiles = new Set<string>();
  private readonly newOrigins: Record<string, WatchOrigin> = {};
  private flushTimer: NodeJS.Timeout | null = null;
  private readonly stops: (() => void)[] = [];
  private closed = false;
  /** Said once: this engine cannot take a sidecar that arrives after its video. */
  readonly log: WatchDeps['log'];

  constructor(
    private readonly deps: WatchDeps,
    private readonly options: WatchTunables,
  ) {
    this.log = deps.log;
    this.tunables = { ...defaultTunables, ...definedOnly(options) };
    this.store = new WatchStore(deps.stateDir, deps.log);
    this.jobs = new JobIndex(deps.engine);
    this.stops.push(
      this.jobs.onChange((job, before) => {
        if (before === undefined) {
          const watch = this.awaiting.get(pathKey(job.profileId, job.path));
          if (watch) {
            this.awaiting.delete(pathKey(job.profileId, job.path));
            if (watch.jobAdded(job.path, job.id))
              this.newOrigins[job.id] = { watchId: watch.id, watchName: watch.record.name };
            this.scheduleFlush();
          }
        }
        const owner = this.ownerOf(job.id);
        if (!owner) return;
        if (job.state === 'done') owner.jobDone(job.id);
        this.changed(owner);
      }),
      this.jobs.onRemoved((job) => this.ownerOf(job.id)?.jobRemoved(job.id)),
    );
  }

  start(): void {
    for (const record of this.store.loadWatches()) {
      const watch = new FolderWatch(record, this.store.loadFiles(record.id), this, this.tunables);
      this.watches.set(record.id, watch);
    }
    // Not awaited: a large tree takes seconds to get ready, and the app answers meanwhile (each shows watching).
    for (const watch of this.watches.values()) {
      if (this.options.only && !this.options.only(watch.view())) continue;
      watch.start().catch((error: unknown) => {
        this.log('error', `${watch.record.path}: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
  }

  list(): WatchView[] {
    return [...this.watches.values()].map((watch) => watch.view());
  }

  get(id: string): WatchView | undefined {
    return this.watches.get(id)?.view();
  }

  async add(input: WatchInput): Promise<WatchView> {
    if (!isAbsolute(input.path))
      throw new WatchError(`"${input.path}" is not a full path; give the whole path of the folder.`, 'path');
    const path = resolve(input.path);
    const info = await stat(path).catch(() => null);
    if (!info) throw new WatchError(`Nothing is at ${path}: check the path.`, 'path');
    if (!info.isDirectory()) throw new WatchError(`${path} is a file; a watch takes a folder.`, 'path');
    const profileId = input.profileId ?? this.deps.vault?.activeId() ?? null;
    if (!profileId) throw new WatchError('No profile is active. Add or choose a profile before watching a folder.');
    if (this.deps.vault && !this.deps.vault.get(profileId))
      throw new WatchError('That profile no longer exists.', 'profileId');
    for (const watch of this.watches.values()) {
      if (watch.record.path === path && watch.record.profileId === profileId)
        throw new WatchError(`${path} is already watched for this profile ("${watch.record.name}").`, 'path');
    }
    const now = this.tunables.now();
    const record: WatchRecord = {
      id: randomUUID(),
      name: input.name ?? (basename(path) || path),
      path,
      profileId,
      include: input.include ?? [],
      exclude: input.exclude ?? [],
      defaults: input.defaults ?? {},
      settleMs: input.settleSeconds !== undefined ? input.settleSeconds * 1000 : (this.options.settleMs ?? 5000),
      ...(input.polling !== undefined ? { polling: input.polling } : {}),
      ...addOptions(input),
      paused: false,
      createdAt: now,
      today: { day: localDay(now), uploaded: 0 },
    };
    const watch = new FolderWatch(record, [], this, this.tunables);
    this.watches.set(record.id, watch);
    this.saveList();
    await watch.start(!input.existing);
    this.log('info', `watching ${path} (${input.existing ? 'with' : 'without'} the files already there)`);
    return watch.view();
  }

  async ensure(input: WatchInput & { profileId: string }): Promise<WatchView> {
    const path = resolve(input.path);
    const old = [...this.watches.values()].find(
      (w) => w.record.path === path && w.record.profileId === input.profileId,
    );
    if (!old) return this.add(input);
    await old.close();
    const { noSidecars: _n, uploadUnrecognised: _u, ...kept } = old.record;
    const record: WatchRecord = {
      ...kept,
      ...addOptions(input),
      include: input.include ?? [],
      exclude: input.exclude ?? [],
      defaults: input.defaults ?? {},
      ...(input.settleSeconds !== undefined ? { settleMs: input.settleSeconds * 1000 } : {}),
      paused: false,
    };
    if (input.polling !== undefined) record.polling = input.polling;
    else delete record.polling;
    const watch = new FolderWatch(record, [...old.files.values()], this, this.tunables);
    this.watches.set(record.id, watch);
    this.saveList();
    await watch.start();
    return watch.view();
  }

  async setPaused(id: string, paused: boolean): Promise<WatchView> {
    const watch = this.find(id);
    await watch.setPaused(paused);
    this.saveList();
    return watch.view();
  }

  async remove(id: string): Promise<boolean> {
    const watch = this.watches.get(id);
    if (!watch) return false;
    this.watches.delete(id);
    await watch.close();
    this.saveList();
    this.store.removeFiles(id);
    this.dirtyFiles.delete(id);
    this.dirtyViews.delete(id);
    this.emit('changed', { upserts: [], removed: [id] });
    return true;
  }

  origins(): Record<string, WatchOrigin> {
    const origins: Record<string, WatchOrigin> = {};
    for (const watch of this.watches.values())
      for (const jobId of watch.jobIds()) origins[jobId] = { watchId: watch.id, watchName: watch.record.name };
    return origins;
  }

  on<E extends keyof WatchEvents>(event: E, listener: (payload: WatchEvents[E]) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    this.listeners.set(event, set);
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.watches.values()].map((watch) => watch.close()));
    for (const stop of this.stops.splice(0)) stop();
    this.jobs.close();
    this.flush();
    if (this.flushTimer) clearTimeout(this.flushTimer);
  }

  // ---- WatchHost -------------------------------------------------------------------------------------

  async addFiles(watch: FolderWatch, paths: string[]): Promise<{ skipped: Map<string, string> }> {
    const { profileId, defaults } = watch.record;
    for (const path of paths) this.awaiting.set(pathKey(profileId, path), watch);
    let result;
    try {
      // Filtered by the watch already (its globs are relative to the watched folder, not to each file).
      result = await this.deps.engine.add({ paths, profileId, defaults, ...addOptions(watch.record) });
    } catch (error) {
      for (const path of paths) this.awaiting.delete(pathKey(profileId, path));
      throw error;
    }
    const skipped = new Map(result.skipped.map((s) => [s.path, s.reason]));
    for (const path of skipped.keys()) this.awaiting.delete(pathKey(profileId, path));
    return { skipped };
  }

  attachSidecar(jobId: string, path: string): Promise<LateSidecar> {
    return this.deps.engine.attachSidecar(jobId, path);
  }

  removeJob(jobId: string): void {
    this.deps.engine.control('remove', [jobId]);
  }

  changed(watch: FolderWatch): void {
    if (!this.watches.has(watch.id)) return;
    this.dirtyViews.add(watch.id);
    this.scheduleFlush();
  }

  filesChanged(watch: FolderWatch): void {
    if (!this.watches.has(watch.id)) return;
    this.dirtyFiles.add(watch.id);
    this.scheduleFlush();
  }

  fileEvent(event: WatchFileEvent): void {
    this.emit('file', event);
  }

  // ---- inside --------------------------------------------------------------------------------------------

  private find(id: string): FolderWatch {
    const watch = this.watches.get(id);
    if (!watch) throw new WatchError('That watch folder is no longer there.', 'id');
    return watch;
  }

  private ownerOf(jobId: string): FolderWatch | undefined {
    for (const watch of this.watches.values()) if (watch.ownsJob(jobId)) return watch;
    return undefined;
  }

  private emit<E extends keyof WatchEvents>(event: E, payload: WatchEvents[E]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (p: WatchEvents[E]) => void)(payload);
  }

  /** Views and known files change in bursts (500 files arriving): told and written at most 4 times a second. */
  private scheduleFlush(): void {
    if (this.flushTimer || this.closed) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.flush();
    }, 250);
  }

  private flush(): void {
    const lists = [...this.dirtyViews].flatMap((id) => this.watches.get(id) ?? []);
    this.dirtyViews.clear();
    if (lists.length) {
      this.saveList();
      this.emit('changed', { upserts: lists.map((watch) => watch.view()), removed: [] });
    }
    for (const id of this.dirtyFiles) {
      const watch = this.watches.get(id);
      try {
        if (watch) this.store.saveFiles(id, watch.files.values());
      } catch (error) {
        this.log(
          'error',
          `cannot save what watch ${id} knows: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    this.dirtyFiles.clear();
    if (Object.keys(this.newOrigins).length) {
      const origins = { ...this.newOrigins };
      for (const id of Object.keys(this.newOrigins)) delete this.newOrigins[id];
      this.emit('origins', { origins });
    }
  }

  private saveList(): void {
    try {
      this.store.saveWatches([...this.watches.values()].map((watch) => watch.record));
    } catch (error) {
      this.log('error', `cannot save the watch list: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** The add options a watch carries (each only when set, as the journal keeps them). */
function addOptions(from: Pick<WatchInput, 'noSidecars' | 'uploadUnrecognised'>): {
  noSidecars?: true;
  uploadUnrecognised?: true;
} {
  return {
    ...(from.noSidecars ? { noSidecars: true } : {}),
    ...(from.uploadUnrecognised ? { uploadUnrecognised: true } : {}),
  };
}

function pathKey(profileId: string, path: string): string {
  return `${profileId}\u0000${path}`;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
