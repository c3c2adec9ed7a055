// One watched folder: the OS watcher (chokidar; polling on network shares), files waiting to settle, the files it
// knows by identity (so a rename or a move is not a new upload), the folder's availability, and the rescan that
// finds what arrived while nobody watched.
import type { Stats } from 'node:fs';
import { stat, statfs } from 'node:fs/promises';
import { basename, dirname, join, sep } from 'node:path';
import { watch as chokidarWatch, type FSWatcher } from 'chokidar';
import type { WatchState, WatchView } from '../../common/contract/watch';
import { withoutExtension } from '../lib/file-name';
import type { FileFacts } from '../uploads/file-identity';
import { scanPaths } from '../uploads/index';
import { sidecarStems } from '../media/sidecars';
import type { LateSidecar } from '../uploads/sidecar-delivery';
import { isFinished, type JobIndex } from './job-index';
import { SettleTracker } from './settle';
import { watchFilter, type WatchFilter } from './watch-filter';
import type { KnownFile, LogFn, WatchRecord } from './watch-store';

/** What a watch did with one file, for a log or the CLI's --json. */
export interface WatchFileEvent {
  /** attached / not-attached: a caption, chapters or thumbnail that arrived after its video was queued. */
  kind: 'noticed' | 'settled' | 'added' | 'renamed' | 'changed' | 'not-added' | 'attached' | 'not-attached';
  watchId: string;
  path: string;
  /** renamed: where it was. */
  from?: string;
  /** attached / not-attached: the video it goes with. */
  video?: string;
  /** not-added / not-attached: why. */
  reason?: string;
}

/** What a watch needs from the service around it. */
export interface WatchHost {
  jobs: JobIndex;
  /**
   * Adds the files to the engine for this watch; answers which were added (their jobs are learnt from the engine's
   * events), which were skipped and why. Throws when nothing could be added (no such profile, no key).
   */
  addFiles(watch: FolderWatch, paths: string[]): Promise<{ skipped: Map<string, string> }>;
  /**
   * Hands a sidecar file that arrived after its video was queued to the engine, for that video's job; undefined when
   * the engine cannot take one.
   */
  attachSidecar(jobId: string, path: string): Promise<LateSidecar | undefined>;
  /** Takes a job out of the engine's queue (a finished one before a new file takes its path; a moved one). */
  removeJob(jobId: string): void;
  changed(watch: FolderWatch): void;
  filesChanged(watch: FolderWatch): void;
  fileEvent(event: WatchFileEvent): void;
  log: LogFn;
}

export interface FolderWatchTunables {
  /** How often the folder is looked for while unavailable, and checked while watched (ms). */
  availabilityMs: number;
  /** Polling interval for polled folders (ms). */
  pollMs: number;
  /** How long a file missing from the folder is remembered, so it is known if it comes back (ms). */
  forgetGoneMs: number;
  now: () => number;
}

/** The identity a watch knows a file by: the same across renames and moves on one file system. */
export function fileKey(info: Pick<FileFacts, 'dev' | 'ino' | 'size' | 'mtimeMs'>): string {
  return `${info.dev}:${info.ino}:${info.size}:${info.mtimeMs}`;
}

/** Linux file systems whose changes the kernel does not report (NFS, SMB/CIFS, 9p, AFS, Ceph): these are polled. */
const networkFileSystems = new Set([0x6969, 0x517b, 0xff534d42, 0xfe534d42, 0x01021997, 0x5346414f, 0x00c36400]);

async function isNetworkShare(path: string): Promise<boolean> {
  if (process.platform === 'win32') return path.startsWith('\\\\');
  if (process.platform !== 'linux') return false;
  try {
    return networkFileSystems.has((await statfs(path)).type);
  } catch {
    return false;
  }
}

/** Why a folder cannot be watched now, or null when it can. */
async function folderProblem(path: string): Promise<string | null> {
  try {
    const info = await stat(path);
    return info.isDirectory() ? null : 'It is not a folder.';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      return 'The folder is not there (removed, renamed, or its drive is unplugged); watching resumes when it is back.';
    if (code === 'EACCES' || code === 'EPERM') return 'Convoy may not read the folder (permission denied).';
    return `The folder cannot be reached (${code ?? String(error)}); watching resumes when it can.`;
  }
}

export class FolderWatch {
  readonly files = new Map<string, KnownFile>();
  private readonly byPath = new Map<string, string>();
  private readonly byJob = new Map<string, string>();
  private readonly filter: WatchFilter;
  private readonly tracker: SettleTracker;
  private watcher: FSWatcher | null = null;
  private available = false;
  private unavailableReason: string | undefined;
  /** The last problem adding files (kept until an add works). */
  private addProblem: string | undefined;
  /** Settled files the engine did not take (no key yet, profile gone): tried again on each check. */
  private blocked: string[] = [];
  private serial: Promise<void> = Promise.resolve();
  private checkTimer: NodeJS.Timeout | null = null;
  private checking = false;
  private starting: Promise<void> | null = null;
  /** Ends the wait for the OS watcher to be ready when it is closed first. */
  private abandonReady: (() => void) | null = null;
  private closed = false;
  usesPolling = false;

  constructor(
    readonly record: WatchRecord,
    known: KnownFile[],
    private readonly host: WatchHost,
    private readonly tunables: FolderWatchTunables,
  ) {
    for (const file of known) this.remember(file);
    this.filter = watchFilter(record.path, record.include, record.exclude, !record.noSidecars);
    this.tracker = new SettleTracker({
      settleMs: record.settleMs,
      now: tunables.now,
      onSettled: (files) => this.enqueue(() => this.settled(files)),
    });
  }

  get id(): string {
    return this.record.id;
  }

  get state(): WatchState {
    if (this.record.paused) return 'paused';
    // Getting ready (the OS watcher walks the tree): shown as watching unless the folder was found missing.
    if (!this.available) return this.starting && !this.unavailableReason ? 'watching' : 'unavailable';
    return this.tracker.size > 0 ? 'settling' : 'watching';
  }

  /** The job ids this watch added that are still in the engine's queue and not finished. */
  openJobs(): number {
    let open = 0;
    for (const jobId of this.byJob.keys()) {
      const job = this.host.jobs.get(jobId);
      if (job && !isFinished(job.state)) open += 1;
    }
    return open;
  }

  ownsJob(jobId: string): boolean {
    return this.byJob.has(jobId);
  }

  jobIds(): IterableIterator<string> {
    return this.byJob.keys();
  }

  view(): WatchView {
    const r = this.record;
    const reason = this.record.paused ? undefined : (this.unavailableReason ?? this.addProblem);
    return {
      id: r.id,
      name: r.name,
      path: r.path,
      profileId: r.profileId,
      include: r.include,
      exclude: r.exclude,
      defaults: r.defaults,
      state: this.state,
      ...(reason ? { reason } : {}),
      settleSeconds: r.settleMs / 1000,
      polling: this.usesPolling,
      ...(r.noSidecars ? { noSidecars: true } : {}),
      ...(r.uploadUnrecognised ? { uploadUnrecognised: true } : {}),
      uploadedToday: r.today.day === localDay(this.tunables.now()) ? r.today.uploaded : 0,
      settling: this.tracker.size,
      inQueue: this.openJobs(),
      createdAt: r.createdAt,
    };
  }

  /**
   * Starts watching: the OS watcher first (so nothing slips by), then a scan of what is there. `baseline`: the files
   * found are known from now on but not uploaded (a new watch without its files already there).
   */
  start(baseline = false): Promise<void> {
    // One start at a time: the periodic check must not start it again while the OS watcher is getting ready.
    this.starting ??= this.begin(baseline).finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  private async begin(baseline: boolean): Promise<void> {
    if (this.closed) return;
    if (!this.checkTimer) {
      this.checkTimer = setInterval(() => void this.check(), this.tunables.availabilityMs);
      this.checkTimer.unref();
    }
    if (this.record.paused) return;
    const problem = await folderProblem(this.record.path);
    if (problem) {
      this.becomeUnavailable(problem);
      return;
    }
    await this.openWatcher();
    if (this.closed || this.record.paused || !this.watcher) return; // closed or paused while it got ready
    this.available = true;
    this.unavailableReason = undefined;
    this.host.changed(this);
    await this.enqueue(() => this.rescan(baseline));
  }

  async setPaused(paused: boolean): Promise<void> {
    if (this.record.paused === paused) return;
    this.record.paused = paused;
    if (paused) {
      await this.closeWatcher();
      this.available = false;
      this.tracker.clear();
      this.blocked = [];
      this.host.changed(this);
    } else {
      await this.start();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.checkTimer) clearInterval(this.checkTimer);
    this.checkTimer = null;
    this.tracker.close();
    await this.closeWatcher();
    await this.starting;
    await this.serial;
  }

  /** A job of this watch finished uploading: counted for today. */
  jobDone(jobId: string): void {
    const key = this.byJob.get(jobId);
    const file = key === undefined ? undefined : this.files.get(key);
    if (!file || file.doneAt !== undefined) return;
    const now = this.tunables.now();
    file.doneAt = now;
    const day = localDay(now);
    if (this.record.today.day !== day) this.record.today = { day, uploaded: 0 };
    this.record.today.uploaded += 1;
    this.host.filesChanged(this);
    this.host.changed(this);
  }

  /** The engine took the file as this job (learnt from its events). */
  jobAdded(path: string, jobId: string): boolean {
    const key = this.byPath.get(path);
    const file = key === undefined ? undefined : this.files.get(key);
    if (!file || file.jobId !== undefined) return false;
    file.jobId = jobId;
    this.byJob.set(jobId, file.key);
    this.host.filesChanged(this);
    this.host.changed(this);
    return true;
  }

  /** The job left the engine's queue: the file stays known, its job is no longer this watch's to count. */
  jobRemoved(jobId: string): void {
    const key = this.byJob.get(jobId);
    if (key === undefined) return;
    this.byJob.delete(jobId);
    const file = this.files.get(key);
    if (file?.jobId === jobId) delete file.jobId;
    this.host.filesChanged(this);
    this.host.changed(this);
  }

  // ---- the OS watcher ------------------------------------------------------------------------------

  private async openWatcher(): Promise<void> {
    await this.closeWatcher();
    this.usesPolling = this.record.polling ?? (await isNetworkShare(this.record.path));
    const watcher = chokidarWatch(this.record.path, {
      ignoreInitial: true,
      persistent: true,
      ignorePermissionErrors: true,
      usePolling: this.usesPolling,
      interval: this.tunables.pollMs,
      binaryInterval: this.tunables.pollMs,
      ignored: (path, stats) => this.filter.ignores(path, stats ? stats.isFile() : undefined),
    });
    this.watcher = watcher;
    watcher.on('add', (path) => this.arrived(path));
    watcher.on('change', (path) => this.arrived(path));
    watcher.on('unlink', (path) => this.gone(path));
    watcher.on('unlinkDir', (path) => this.goneDir(path));
    watcher.on('error', (error) => this.watcherError(error));
    await new Promise<void>((resolve) => {
      this.abandonReady = resolve;
      watcher.once('ready', () => resolve());
    });
    this.abandonReady = null;
  }

  private async closeWatcher(): Promise<void> {
    this.abandonReady?.();
    const watcher = this.watcher;
    this.watcher = null;
    await watcher?.close().catch(() => {});
  }

  private arrived(path: string): void {
    if (!this.filter.wants(path) && !this.filter.sidecar(path)) return;
    const fresh = !this.tracker.has(path);
    this.tracker.touch(path);
    if (fresh) {
      this.host.fileEvent({ kind: 'noticed', watchId: this.id, path });
      this.host.changed(this);
    }
  }

  private gone(path: string): void {
    this.tracker.forget(path);
    const key = this.byPath.get(path);
    if (key === undefined) return;
    this.byPath.delete(path);
    const file = this.files.get(key);
    if (file) file.goneAt = this.tunables.now();
    this.host.filesChanged(this);
    this.host.changed(this);
  }

  private goneDir(dir: string): void {
    if (dir === this.record.path) {
      void this.check();
      return;
    }
    this.tracker.clear(dir + sep);
    for (const path of [...this.byPath.keys()]) if (path.startsWith(dir + sep)) this.gone(path);
  }

  private watcherError(error: unknown): void {
    const code = (error as NodeJS.ErrnoException)?.code;
    // Out of OS watches (a huge tree, a low inotify limit): polling still sees everything, at some cost.
    if ((code === 'ENOSPC' || code === 'EMFILE') && !this.usesPolling) {
      this.host.log('warn', `${this.record.path}: the OS cannot watch more folders (${code}); polling it instead`);
      this.record.polling = true;
      void this.enqueue(async () => {
        await this.openWatcher();
        await this.rescan(false);
      });
      return;
    }
    this.host.log('warn', `${this.record.path}: ${error instanceof Error ? error.message : String(error)}`);
    void this.check();
  }

  // ---- availability ----------------------------------------------------------------------------------

  /** Looks at the folder: gone becomes unavailable, back resumes (with a rescan); retries files not yet taken. */
  private async check(): Promise<void> {
    if (this.checking || this.starting || this.closed || this.record.paused) return;
    this.checking = true;
    try {
      const problem = await folderProblem(this.record.path);
      if (this.closed || this.record.paused) return;
      if (problem && this.available) this.becomeUnavailable(problem);
      else if (problem && problem !== this.unavailableReason) {
        this.unavailableReason = problem;
        this.host.changed(this);
      } else if (!problem && !this.available) {
        this.host.log('info', `${this.record.path} is back; watching it again`);
        await this.start();
      } else if (!problem && this.blocked.length) {
        const paths = this.blocked.splice(0);
        const infos = await Promise.all(paths.map((path) => stat(path).catch(() => null)));
        const again = paths.flatMap((path, i) => (infos[i]?.isFile() ? [{ path, info: infos[i] }] : []));
        await this.enqueue(() => this.settled(again));
      }
    } finally {
      this.checking = false;
    }
  }

  private becomeUnavailable(reason: string): void {
    this.host.log('warn', `${this.record.path}: ${reason}`);
    this.available = false;
    this.unavailableReason = reason;
    this.tracker.clear();
    void this.closeWatcher();
    this.host.changed(this);
  }

  // ---- what is in the folder ---------------------------------------------------------------------------

  /** Runs one change to the known files at a time (settled batches, rescans), in order. */
  private enqueue(task: () => Promise<void>): Promise<void> {
    const next = this.serial.then(task).catch((error: unknown) => {
      this.host.log('error', `${this.record.path}: ${error instanceof Error ? error.message : String(error)}`);
    });
    this.serial = next;
    return next;
  }

  /**
   * Everything in the folder now: known files stay known (moved ones follow), new ones wait to settle (or, as a
   * baseline, become known without an upload); files missing long enough are forgotten.
   */
  private async rescan(baseline: boolean): Promise<void> {
    const scan = await scanPaths([this.record.path], { include: this.record.include, exclude: this.record.exclude });
    const now = this.tunables.now();
    const found = new Set<string>();
    const queued: { path: string; jobId: string; siblings: readonly string[] }[] = [];
    for (let i = 0; i < scan.files.length; i += 256) {
      const batch = scan.files.slice(i, i + 256).filter((f) => this.filter.wants(f.path));
      const infos = await Promise.all(batch.map((f) => stat(f.path).catch(() => null)));
      for (const [j, file] of batch.entries()) {
        const info = infos[j];
        if (!info?.isFile()) continue;
        found.add(file.path);
        const key = fileKey(info);
        const known = this.files.get(key);
        if (known) {
          if (known.path !== file.path) await this.moved(known, file.path);
          delete known.goneAt;
          if (known.jobId !== undefined && file.siblings)
            queued.push({ path: file.path, jobId: known.jobId, siblings: file.siblings });
          continue;
        }
        if (baseline) this.remember({ key, path: file.path });
        else this.tracker.touch(file.path);
      }
    }
    if (!baseline) await this.sidecarsMissed(queued);
    for (const [key, file] of this.files) {
      if (found.has(file.path) && this.byPath.get(file.path) === key) continue;
      file.goneAt ??= now;
      if (this.byPath.get(file.path) === key) this.byPath.delete(file.path);
      if (now - file.goneAt > this.tunables.forgetGoneMs) this.forget(file);
    }
    this.host.filesChanged(this);
    this.host.changed(this);
  }

  /**
   * What a rescan (a restart, the folder back) finds beside the videos this watch queued: sidecars written since
   * their job was added, while nobody watched, are handed on as if they had just settled (one the job has already is
   * known to it).
   */
  private async sidecarsMissed(videos: { path: string; jobId: string; siblings: readonly string[] }[]): Promise<void> {
    const seen = new Set<string>();
    for (const video of videos) {
      const job = this.host.jobs.get(video.jobId);
      if (!job) continue;
      const stem = withoutExtension(basename(video.path));
      for (const name of video.siblings) {
        const path = join(dirname(video.path), name);
        if (seen.has(path) || !sidecarStems(name).includes(stem) || !this.filter.sidecar(path)) continue;
        seen.add(path);
        const info = await stat(path).catch(() => null);
        if (info?.isFile() && info.size > 0 && info.mtimeMs > job.createdAt) await this.sidecarSettled(path);
      }
    }
  }

  /** Files that settled: known ones (renamed, moved) are followed, new and changed ones go to the engine. */
  private async settled(files: { path: string; info: Stats }[]): Promise<void> {
    if (this.closed || this.record.paused || !this.available) return;
    const toAdd: { path: string; key: string }[] = [];
    const sidecars: string[] = [];
    for (const { path, info } of files) {
      if (info.size === 0) continue; // not written yet: its next change brings it back
      if (!this.filter.wants(path)) {
        sidecars.push(path);
        continue;
      }
      const key = fileKey(info);
      this.host.fileEvent({ kind: 'settled', watchId: this.id, path });
      const known = this.files.get(key);
      if (known) {
        if (known.path !== path) await this.moved(known, path);
        delete known.goneAt;
        continue;
      }
      const previous = this.byPath.get(path);
      const old = previous === undefined ? undefined : this.files.get(previous);
      if (old) {
        // Changed in place, or replaced by another file of the same name.
        this.forget(old);
        this.host.fileEvent({ kind: 'changed', watchId: this.id, path });
      }
      const job = this.host.jobs.at(this.record.profileId, path);
      if (job && info.mtimeMs <= job.createdAt) {
        // Not modified since that job took it (added by hand, or by this watch before its record was lost): the
        // same file, left to its job whatever its state.
        this.remember({ key, path, ...(old?.jobId === job.id ? { jobId: job.id } : {}) });
        continue;
      }
      if (job && !isFinished(job.state)) {
        // Its upload is under way: the engine checks the file's identity before every part and starts over when
        // the content changed, so it is not added twice.
        this.remember({ key, path, ...(old?.jobId === job.id ? { jobId: job.id } : {}) });
        continue;
      }
      if (job) this.host.removeJob(job.id); // finished with another file's bytes: a new job takes its path
      toAdd.push({ path, key });
    }
    if (toAdd.length) await this.addToEngine(toAdd);
    for (const path of sidecars) await this.sidecarSettled(path);
    this.host.changed(this);
  }

  /**
   * A caption, chapters or thumbnail file that settled: for each video beside it that this watch queued (its name
   * pairs with the file's), the engine checks it and sends it with that video. A file that arrives before its video
   * is queued needs nothing: the video's own check finds it.
   */
  private async sidecarSettled(path: string): Promise<void> {
    const stems = new Set(sidecarStems(basename(path)));
    const folder = dirname(path);
    for (const [jobId, key] of [...this.byJob]) {
      const video = this.files.get(key)?.path;
      if (!video || dirname(video) !== folder || !stems.has(withoutExtension(basename(video)))) continue;
      const job = this.host.jobs.get(jobId);
      if (!job || job.profileId !== this.record.profileId) continue;
      const result = await this.host.attachSidecar(jobId, path);
      if (result?.outcome === 'attached') this.host.fileEvent({ kind: 'attached', watchId: this.id, path, video });
      else if (result?.outcome === 'invalid')
        this.host.fileEvent({ kind: 'not-attached', watchId: this.id, path, video, reason: result.reason });
      else if (result?.outcome === 'ignored') this.host.log('debug', `${path} not attached: ${result.reason}`);
    }
  }

  private async addToEngine(files: { path: string; key: string }[]): Promise<void> {
    for (const file of files) this.remember({ key: file.key, path: file.path });
    let skipped: Map<string, string>;
    try {
      ({ skipped } = await this.host.addFiles(
        this,
        files.map((f) => f.path),
      ));
    } catch (error) {
      // Not taken now (no key this session, profile removed): known files forgotten again, tried on the next check.
      for (const file of files) {
        const known = this.files.get(file.key);
        if (known) this.forget(known);
      }
      this.blocked.push(...files.map((f) => f.path));
      this.addProblem = `Files wait: ${error instanceof Error ? error.message : String(error)}`;
      this.host.changed(this);
      return;
    }
    this.addProblem = undefined;
    for (const file of files) {
      const why = skipped.get(file.path);
      if (why === undefined) this.host.fileEvent({ kind: 'added', watchId: this.id, path: file.path });
      else this.host.fileEvent({ kind: 'not-added', watchId: this.id, path: file.path, reason: why });
    }
    this.host.filesChanged(this);
  }

  /** A known file found at another path: a rename or a move, not a new upload. */
  private async moved(known: KnownFile, path: string): Promise<void> {
    const from = known.path;
    // A second name of the same file (a hard link) while the first is still there: nothing to do.
    const still = await stat(from).catch(() => null);
    if (still && fileKey(still) === known.key) return;
    if (this.byPath.get(from) === known.key) this.byPath.delete(from);
    known.path = path;
    this.byPath.set(path, known.key);
    this.host.fileEvent({ kind: 'renamed', watchId: this.id, path, from });
    const job = known.jobId === undefined ? undefined : this.host.jobs.get(known.jobId);
    if (job && job.state !== 'done' && job.state !== 'skipped' && job.state !== 'finalizing') {
      // Its upload had not finished at the old path: it goes on from the new one, as one upload.
      this.host.removeJob(job.id);
      this.byJob.delete(job.id);
      delete known.jobId;
      await this.addToEngine([{ path, key: known.key }]);
    }
    this.host.filesChanged(this);
  }

  private remember(file: KnownFile): void {
    const existing = this.files.get(file.key);
    if (existing && existing !== file) this.forget(existing);
    this.files.set(file.key, file);
    if (file.goneAt === undefined) this.byPath.set(file.path, file.key);
    if (file.jobId !== undefined) this.byJob.set(file.jobId, file.key);
  }

  private forget(file: KnownFile): void {
    this.files.delete(file.key);
    if (this.byPath.get(file.path) === file.key) this.byPath.delete(file.path);
    if (file.jobId !== undefined && this.byJob.get(file.jobId) === file.key) this.byJob.delete(file.jobId);
  }
}

/** The local calendar day of an instant, YYYY-MM-DD. */
export function localDay(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
