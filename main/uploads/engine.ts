// The upload engine: takes files in, schedules runs on the shared request queue, and carries out the user's
// controls. Job state lives in the JobStore; JobSteps runs each attempt, the RequestGate passes every request,
// the PartSender sends parts, the QueueReporter reports it all.
import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import PQueue from 'p-queue';
import type {
  AddResult,
  JobView,
  JournalNotice,
  QueueSettings,
  QueueSnapshot,
  StorageStatus,
} from '../../common/contract/queue';
import { defaultRetryPolicy, type RetryPolicy } from './backoff';
import { sleep, untilAborted } from '../lib/sleep';
import { TokenBucket } from './bandwidth';
import { Credentials } from './credentials';
import {
  activeStates,
  defaultSettings,
  type AddRequest,
  type ControlAction,
  type CsvImportResult,
  type EngineEvents,
  type EngineOptions,
  type LogFn,
} from './engine-types';
import { cancelChange, pauseChange, removalAbandons, resumeChange, retryChange } from './job-rules';
import { JobSteps } from './job-steps';
import { JobStore } from './job-store';
import { Journal } from './journal';
import { renderManifest } from './manifest';
import { withoutExtension } from '../lib/file-name';
import { importMetadataCsv, type MetadataPatch } from './metadata-csv';
import type { MediaPatch } from './engine-types';
import { NetworkMonitor } from './network';
import { Failure, NoCredentials, Restart, Stop } from './outcomes';
import type { JobRecord } from './records';
import { QueueReporter } from './reporter';
import { RequestGate } from './request-gate';
import { partsController, type Run } from './run';
import { preflight } from '../media/preflight';
import { MediaCheck } from './media-check';
import { scanPaths } from './scan';
import { SidecarDelivery, type LateSidecar } from './sidecar-delivery';
import { PartSender } from './sender';
import { DetailsSaver } from './video-details';
import { VideoCleanup } from './video-cleanup';

/** How long a pause waits for a part about to finish, rather than sending it again later. */
export const PAUSE_FINISH_MS = 20_000;

export class UploadEngine {
  private readonly journal: Journal;
  private readonly store: JobStore;
  private readonly queue: PQueue;
  private readonly bucket: TokenBucket;
  private readonly network: NetworkMonitor;
  private readonly gate: RequestGate;
  private readonly reporter: QueueReporter;
  private readonly credentials: Credentials;
  private readonly cleanup: VideoCleanup;
  private readonly steps: JobSteps;
  private readonly details: DetailsSaver;
  private readonly retry: RetryPolicy;
  private readonly now: () => number;
  private readonly log: LogFn;
  private settings: QueueSettings;
  private readonly runs = new Map<string, Run>();
  private preparing = 0;
  private readonly ticker: NodeJS.Timeout;
  /** A widenSoon pending (one at a time). */
  private widening: NodeJS.Immediate | null = null;
  private readonly clockWatch: NodeJS.Timeout;
  private lastClockCheck: number;
  private readonly stopWakeWatch: () => void;
  private idleWaiters: (() => void)[] = [];
  private readonly stopStorageWatch: () => void;
  /** Runs stopped because the state directory refused a write: their jobs wait queued until it takes writes again. */
  private readonly suspendedRuns = new Set<string>();
  /** Token uploads held for the user's word while a damaged or lost journal is not acknowledged. */
  private readonly held = new Set<string>();
  private closed = false;
  /** Captions, chapters and thumbnails: sent once a job's source is complete (set once the jobs are restored). */
  private sidecars!: SidecarDelivery;
  /** What each queued file is, and its sidecars, before a byte of it is sent. */
  private readonly media: MediaCheck;

  constructor(private readonly options: EngineOptions) {
    this.now = options.now ?? Date.now;
    this.lastClockCheck = this.now();
    this.log = options.log ?? (() => {});
    this.retry = { ...defaultRetryPolicy, ...options.retry };
    this.journal = Journal.open({ dir: options.stateDir, log: this.log });
    this.credentials = new Credentials(options);
    const listener = {
      markDirty: (id: string) => this.reporter.markDirty(id),
      forget: (id: string) => this.reporter.forget(id),
      counted: (job: JobRecord) => {
        this.reporter.counted(job);
        this.sidecars?.changed(job);
      },
      startBatch: () => this.reporter.startBatch(),
    };
    this.store = new JobStore(this.journal, listener, (id) => this.runs.has(id));
    this.reporter = new QueueReporter({
      jobs: this.store.jobs,
      runtime: this.store.runtime,
      runs: this.runs,
      counts: this.store.counts,
      options,
      log: this.log,
      sidecarsOf: (job) => this.sidecars?.views(job),
      serverOf: (job) => this.credentials.clientOrNull(job.profileId)?.baseUrl,
    });
    this.settings = { ...defaultSettings, ...(this.journal.settings ?? {}), ...options.settings };
    this.queue = new PQueue({ concurrency: this.settings.concurrency });
    this.queue.on('next', () => this.pump());
    this.bucket = new TokenBucket(this.settings.bandwidthLimit);
    this.network = new NetworkMonitor({
      ...(options.probe ? { probe: options.probe } : {}),
      ...(options.probeIntervalMs !== undefined ? { intervalMs: options.probeIntervalMs } : {}),
      ...(options.probeMaxIntervalMs !== undefined ? { maxIntervalMs: options.probeMaxIntervalMs } : {}),
      onChange: (status) => {
        this.reporter.emit('network', status);
        this.pump(); // a server that came back lets its queued jobs start
      },
    });
    this.cleanup = new VideoCleanup(this.store, this.credentials, this.log);
    this.gate = new RequestGate({
      queue: this.queue,
      network: this.network,
      retry: this.retry,
      store: this.store,
      now: this.now,
      log: this.log,
      pump: () => this.pump(),
    });
    const sender = new PartSender({
      store: this.store,
      gate: this.gate,
      bucket: this.bucket,
      reporter: this.reporter,
      options,
      now: this.now,
      log: this.log,
      partWidth: (active) => this.partWidth(active),
      load: () => ({ pending: this.queue.pending, speed: this.reporter.speed }),
      discardVideo: (job, videoId) =>
        void this.cleanup.deleteVideo(job, 'token', videoId, 'its first reply came after it was cancelled'),
    });
    this.details = new DetailsSaver({
      clientFor: (job) => this.credentials.videoClientOf(job),
      alive: (job) => !this.closed && this.store.holds(job),
      setJob: (job, patch, clear) => this.store.set(job, patch, clear),
      log: this.log,
      retry: this.retry,
    });
    this.media = new MediaCheck({
      store: this.store,
      preflight: options.preflight ?? preflight,
      now: this.now,
      log: this.log,
    });
    this.steps = new JobSteps({
      store: this.store,
      gate: this.gate,
      sender,
      credentials: this.credentials,
      cleanup: this.cleanup,
      details: this.details,
      options,
      now: this.now,
      log: this.log,
      settings: () => this.settings,
      endPreparing: (run) => this.endPreparing(run),
    });
    this.store.restore();
    this.sidecars = new SidecarDelivery({
      store: this.store,
      credentials: this.credentials,
      options,
      markDirty: (id) => this.reporter.markDirty(id),
      log: this.log,
    });
    this.sidecars.start();
    this.media.checkUnchecked();
    this.pump();
    this.ticker = setInterval(() => this.reporter.flush(), options.progressIntervalMs ?? 100);
    this.ticker.unref();
    this.clockWatch = setInterval(() => this.watchClock(), 1000);
    this.clockWatch.unref();
    this.stopWakeWatch = options.platform?.onWake?.(() => this.network.wake()) ?? (() => {});
    this.stopStorageWatch = this.watchStorage();
  }

  // ---- public API --------------------------------------------------------------------------------

  on<E extends keyof EngineEvents>(event: E, listener: (payload: EngineEvents[E]) => void): () => void {
    return this.reporter.on(event, listener);
  }

  async add(request: AddRequest): Promise<AddResult> {
    this.options.getClient(request.profileId); // throws a clear error for an unknown profile before anything is queued
    const sidecars = !request.noSidecars;
    const scan = await scanPaths(request.paths, {
      ...(request.include ? { include: request.include } : {}),
      ...(request.exclude ? { exclude: request.exclude } : {}),
      sidecars,
    });
    let added = 0;
    let alreadyQueued = 0;
    const toCheck: { job: JobRecord; siblings?: readonly string[] }[] = [];
    for (const file of scan.files) {
      if (this.store.queued(request.profileId, file.path)) {
        alreadyQueued += 1;
        continue;
      }
      const name = basename(file.path);
      const job = this.store.add({
        id: randomUUID(),
        path: file.path,
        name,
        size: file.size,
        mtimeMs: file.mtimeMs,
        profileId: request.profileId,
        title: withoutExtension(name).slice(0, 256) || name,
        description: request.defaults?.description ?? '',
        tags: request.defaults?.tags ?? [],
        public: request.defaults?.public ?? true,
        state: 'queued',
        createdAt: this.now(),
        acked: new Set(),
        restarts: 0,
        ...(request.force ? { force: true } : {}),
        addedFrom: file.root,
        ...(request.uploadUnrecognised ? { unrecognisedOk: true } : {}),
        ...(request.noSidecars ? { noSidecars: true } : {}),
      });
      toCheck.push({ job, ...(file.siblings ? { siblings: file.siblings } : {}) });
      added += 1;
    }
    // What each file is and what goes with it, in the background: a refused file ends skipped before a byte is sent.
    this.media.checkSoon(toCheck);
    // Journaled before the request is answered. The fsync runs on the thread pool, so uploads under way (and, in
    // the app, the main process) go on meanwhile; a new file started in that time journals its container before
    // sending it a byte, as every file does.
    await this.store.flush();
    this.pump();
    return { added, skipped: scan.skipped, alreadyQueued };
  }

  snapshot(): QueueSnapshot {
    const journal = this.journalNotice();
    return {
      jobs: this.store.ordered().map((job) => this.reporter.view(job)),
      totals: this.reporter.totals(),
      settings: { ...this.settings },
      network: this.network.status(),
      storage: this.storage(),
      ...(journal ? { journal } : {}),
    };
  }

  /** Whether the journal takes writes, or why not (a plain sentence naming the directory and the cause). */
  storage(): StorageStatus {
    const error = this.journal.writeError;
    return error ? { writable: false, message: error.message, dir: error.dir } : { writable: true };
  }

  /** The journal notice the app shows (and the CLI prints) while a damaged or lost journal is not acknowledged. */
  journalNotice(): JournalNotice | undefined {
    const damage = this.journal.damage;
    if (damage.kind === 'none') return undefined;
    // The journal's own account names the directory; a bare kind gets a sentence of its own.
    const what = damage.kind === 'lost' ? 'was lost' : 'was damaged and repaired from what was readable';
    const message = damage.detail || `The upload journal in ${this.options.stateDir} ${what}.`;
    return { kind: damage.kind, message, holding: this.heldJobs().length };
  }

  /** The held token uploads still waiting for the user's word (one resumed another way no longer counts). */
  private heldJobs(): JobRecord[] {
    const jobs: JobRecord[] = [];
    for (const id of this.held) {
      const job = this.store.get(id);
      if (job?.state === 'paused') jobs.push(job);
      else this.held.delete(id);
    }
    return jobs;
  }

  /**
   * The damage was reported and the user gave their word (or the files are found on the server with a key): the
   * next open no longer reports it, and the token uploads held for it go on. Returns how many went on.
   */
  acknowledgeJournal(): number {
    this.journal.acknowledgeDamage();
    const resumed = this.heldJobs();
    for (const job of resumed) this.store.set(job, { state: 'queued', force: true }, ['reason']);
    this.held.clear();
    this.reporter.emit('journal', null);
    this.pump();
    return resumed.length;
  }

  /**
   * Pause, resume, cancel, retry or remove the named jobs, or all of them. Retrying a skipped duplicate uploads it
   * anyway, so "retry all" leaves duplicates alone: only a skipped job named by id is forced.
   */
  control(action: ControlAction, ids?: string[]): number {
    const jobs = ids ? ids.map((id) => this.store.get(id)).filter((j): j is JobRecord => !!j) : this.store.ordered();
    let affected = 0;
    for (const job of jobs) {
      if (!ids && action === 'retry' && job.state === 'skipped') continue;
      if (this.controlOne(action, job)) affected += 1;
    }
    this.pump();
    this.checkIdle();
    return affected;
  }

  updateSettings(patch: Partial<QueueSettings>): QueueSettings {
    this.settings = { ...this.settings, ...patch };
    this.journal.saveSettings(this.settings);
    this.queue.concurrency = this.settings.concurrency;
    this.bucket.setRate(this.settings.bandwidthLimit);
    this.reporter.emit('settings', { ...this.settings });
    this.pump();
    return { ...this.settings };
  }

  updateMetadata(ids: string[], patch: Partial<Pick<JobView, 'title' | 'description' | 'tags' | 'public'>>): number {
    let updated = 0;
    for (const id of ids) {
      const job = this.store.get(id);
      if (!job) continue;
      this.store.set(job, patch);
      updated += 1;
      if (job.videoId) void this.details.save(job, job.videoId);
    }
    return updated;
  }

  /** Leaves one sidecar of a job unsent; false when there is no such job or sidecar (or it was sent already). */
  async dropSidecar(id: string, key: string): Promise<boolean> {
    const job = this.store.get(id);
    return job ? this.sidecars.drop(job, key) : false;
  }

  /**
   * A caption, chapters or thumbnail file that arrived beside a queued video after it was taken (a watch folder):
   * checked as queued sidecars are, after the job's own media check, and sent once its source is complete.
   */
  async attachSidecar(id: string, path: string): Promise<LateSidecar> {
    const job = this.store.get(id);
    if (!job) return { outcome: 'ignored', reason: 'its video is no longer in the queue' };
    await this.media.ensure(job);
    return this.sidecars.attach(job, path);
  }

  async importCsv(csv: string, apply: boolean): Promise<CsvImportResult> {
    const result = await importMetadataCsv(csv, this.store.ordered());
    const errors = [...result.errors];
    if (apply) {
      for (const { jobIds, patch, media } of result.patches) {
        if (media) for (const id of jobIds) errors.push(...(await this.applyMediaChoices(id, media)));
        this.updateMetadata(jobIds, patch as MetadataPatch);
      }
    }
    return { matches: result.matches, unmatched: result.unmatched, errors };
  }

  /**
   * What a CSV said about a file's media: kept on the job (the player and watermark go with the video's creation,
   * the player also with its details), and its sidecars chosen again. Returns what could not be applied, and why.
   */
  private async applyMediaChoices(id: string, media: MediaPatch): Promise<string[]> {
    const job = this.store.get(id);
    if (!job) return [];
    const problems: string[] = [];
    const choices = { ...job.choices, ...media };
    if (media.watermarkId && job.videoId && job.mode === 'container')
      problems.push(
        `${job.name}: its video was created already, and api.video sets a watermark only when a video is created; the watermark was not applied.`,
      );
    this.store.set(job, { choices });
    const sidecarChoice = ['captionDefault', 'chaptersLanguage', 'thumbnail', 'thumbnailTimecode'] as const;
    if (sidecarChoice.some((key) => media[key] !== undefined)) {
      const refused = await this.sidecars.choose(job, choices);
      if (refused) problems.push(`${job.name}: ${refused}`);
    }
    return problems;
  }

  exportManifest(format: 'csv' | 'json'): { content: string; suggestedName: string } {
    return renderManifest(
      this.store.ordered().map((job) => this.reporter.view(job)),
      format,
      new Date(this.now()),
    );
  }

  /**
   * Profiles' credentials changed (a key entered, a keychain unlocked, the Local sandbox started, a profile
   * removed): jobs that were waiting for their profile's key start again (a removed profile's then fail, saying
   * so). Returns how many were requeued.
   */
  credentialsChanged(): number {
    const available = new Map<string, boolean>();
    let requeued = 0;
    for (const job of this.store.ordered()) {
      if (job.state !== 'paused' || !job.waitingForKey) continue;
      let has = available.get(job.profileId);
      if (has === undefined) {
        has = this.credentials.availability(job.profileId) !== 'waiting';
        available.set(job.profileId, has);
      }
      if (!has) continue;
      this.store.set(job, { state: 'queued' }, ['reason']);
      requeued += 1;
    }
    // A key of the account lent now (an API-key profile added) can find what a held token upload may have sent.
    const released = this.heldJobs().filter((job) => !this.mustHold(job));
    for (const job of released) {
      this.held.delete(job.id);
      this.store.set(job, { state: 'queued' }, ['reason']);
    }
    if (released.length) this.reporter.emit('journal', this.journalNotice() ?? null);
    this.pump();
    return requeued + released.length;
  }

  /** Resolves when no job is queued, uploading, retrying, offline or finalizing. */
  async idle(): Promise<void> {
    if (!this.isIdle()) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    await this.cleanup.settled();
    await this.sidecars.settled(); // a file is not finished before its captions and thumbnail are
    this.reporter.flush(); // their last states reach every listener before the caller moves on
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.widening) clearImmediate(this.widening);
    for (const run of this.runs.values()) run.controller.abort(new Stop('close'));
    await Promise.allSettled([...this.runs.values()].map((run) => run.done));
    await this.cleanup.settled();
    clearInterval(this.ticker);
    clearInterval(this.clockWatch);
    this.stopWakeWatch();
    this.stopStorageWatch();
    this.network.close();
    this.sidecars.close();
    this.media.close();
    this.reporter.flush();
    this.journal.close();
    this.options.platform?.keepAwake?.(false);
    this.options.platform?.setProgress?.(null);
    for (const waiter of this.idleWaiters.splice(0)) waiter();
  }

  // ---- lifecycle ---------------------------------------------------------------------------------

  /**
   * A state directory that refuses writes (full, read-only, no permission) stops every run, as a close would, with
   * the journal whole (what it could not write waits in memory); once it takes writes again, the queue goes on.
   */
  private watchStorage(): () => void {
    const stopErrors = this.journal.onWriteError((error) => {
      this.log('error', error.message);
      // Not inside the write that failed: the runs stop once it has returned.
      queueMicrotask(() => {
        for (const [id, run] of this.runs) {
          this.suspendedRuns.add(id);
          run.controller.abort(new Stop('close'));
        }
      });
      this.reporter.emit('storage', this.storage());
      this.reporter.alert(`${error.message} Uploads are paused until Convoy can write there again.`);
    });
    const stopWritable = this.journal.onWritable(() => {
      this.log('info', 'the state directory takes writes again; uploads go on');
      this.reporter.emit('storage', this.storage());
      this.pump();
    });
    return () => {
      stopErrors();
      stopWritable();
    };
  }

  /** Where the OS says nothing of sleep (browser mode, the CLI): a gap much longer than the interval means the
   * machine slept, so the network is checked at once. */
  private watchClock(): void {
    const now = this.now();
    if (now - this.lastClockCheck > 10_000) this.network.wake();
    this.lastClockCheck = now;
  }

  private isIdle(): boolean {
    if (this.closed) return true;
    for (const state of activeStates) if (this.store.counts[state] > 0) return false;
    return this.runs.size === 0;
  }

  private checkIdle(): void {
    if (!this.isIdle()) return;
    this.reporter.flush();
    this.reporter.finishBatch();
    for (const waiter of this.idleWaiters.splice(0)) waiter();
  }

  // ---- control -----------------------------------------------------------------------------------

  private controlOne(action: ControlAction, job: JobRecord): boolean {
    const run = this.runs.get(job.id);
    switch (action) {
      case 'pause': {
        const change = pauseChange(job);
        if (!change) return false;
        run?.controller.abort(new Stop('pause'));
        this.store.apply(job, change);
        return true;
      }
      case 'resume':
      case 'retry': {
        const change = action === 'resume' ? resumeChange(job) : retryChange(job);
        if (!change) return false;
        this.store.apply(job, change);
        return true;
      }
      case 'cancel': {
        const change = cancelChange(job);
        if (!change) return false;
        run?.controller.abort(new Stop('cancel'));
        void this.cleanup.abandon(job, 'cancelled');
        this.store.apply(job, change);
        return true;
      }
      case 'remove':
        run?.controller.abort(new Stop('remove'));
        if (removalAbandons(job)) void this.cleanup.abandon(job, 'removed');
        this.store.remove(job);
        return true;
    }
  }

  // ---- scheduling --------------------------------------------------------------------------------

  /**
   * Starts queued jobs while the request queue has room; jobs for a server that is offline wait in line. Slots no
   * waiting job takes go to the runs already sending (partWidth), at once.
   */
  private pump(): void {
    if (this.closed || !this.journal.writable) return;
    const reachable = this.reachability();
    while (this.roomForRun() && (this.busySlots() < this.settings.concurrency || this.preparingNow() === 0)) {
      const job = this.store.takeWaiting(reachable);
      if (!job) break;
      this.start(job);
    }
    this.widenSoon();
  }

  /**
   * Lets the runs already sending take the slots no waiting job took, once the replies just in are recorded (a
   * request's slot frees before its sender has heard how it ended: a span widened onto before then could be one the
   * server already holds).
   */
  private widenSoon(): void {
    if (this.widening) return;
    this.widening = setImmediate(() => {
      this.widening = null;
      if (this.closed || this.busySlots() >= this.settings.concurrency || this.othersWaiting()) return;
      for (const run of this.runs.values()) run.widen?.();
    });
  }

  /**
   * Request slots taken: queued and running requests, and runs still preparing (each will soon want one), except
   * those parked until their server comes back.
   */
  private busySlots(): number {
    return this.queue.size + this.queue.pending + this.preparing - this.gate.parkedPreparing;
  }

  /**
   * Runs preparing now (not parked). One may prepare while every slot is busy, so that the next file's look-ups and
   * creation overlap the parts in flight and its first part is ready when a slot frees.
   */
  private preparingNow(): number {
    return this.preparing - this.gate.parkedPreparing;
  }

  /** Runs parked offline hold no slot; a couple more than the slots may run (finalizing ones send nothing). */
  private roomForRun(): boolean {
    return this.runs.size - this.gate.parked < this.settings.concurrency + 2;
  }

  /** A queued job that pump would start once a slot frees up. */
  private othersWaiting(): boolean {
    return this.roomForRun() && this.store.peekWaiting(this.reachability()) !== undefined;
  }

  /**
   * How many middle parts a run with `active` parts in flight may have: one while other files wait (they get
   * the free slots), otherwise its own plus the free slots.
   */
  private partWidth(active: number): number {
    if (this.othersWaiting()) return 1;
    return Math.max(1, active + this.settings.concurrency - this.busySlots());
  }

  /** Whether a profile's server is reachable as far as we know (one look-up per profile per call). */
  private reachability(): (profileId: string) => boolean {
    if (this.network.isOnline()) return () => true;
    const known = new Map<string, boolean>();
    return (profileId) => {
      let online = known.get(profileId);
      if (online === undefined) {
        const baseUrl = this.credentials.clientOrNull(profileId)?.baseUrl;
        online = baseUrl === undefined || this.network.isOnline(baseUrl);
        known.set(profileId, online);
      }
      return online;
    };
  }

  private start(job: JobRecord): void {
    const run: Run = {
      job,
      controller: partsController(),
      attempt: partsController(),
      preparing: true,
      inflight: new Map(),
      parts: new Map(),
      progressEpoch: 0,
      baseUrl: '',
      replanned: false,
      firstPart: null,
      lastReply: null,
      done: Promise.resolve(),
    };
    this.preparing += 1;
    this.runs.set(job.id, run);
    run.done = this.runJob(run).finally(() => {
      this.endPreparing(run);
      this.runs.delete(job.id);
      if (this.suspendedRuns.delete(job.id) && activeStates.has(job.state))
        this.store.set(job, { state: 'queued' }, ['reason']);
      this.store.requeue(job);
      this.reporter.runEnded(job.id);
      this.pump();
      this.checkIdle();
    });
  }

  private endPreparing(run: Run): void {
    if (run.preparing) {
      run.preparing = false;
      this.preparing -= 1;
    }
  }

  private async runJob(run: Run): Promise<void> {
    const { job } = run;
    if (this.mustHold(job)) {
      this.hold(job);
      return;
    }
    // What the file is, before a byte of it is sent (and before it shows as uploading): refused, it ends skipped.
    const isVideo = await untilAborted(this.media.ensure(job), run.controller.signal).catch(() => null);
    if (isVideo !== true) return; // not a video, or paused, cancelled or closed while it was checked
    this.store.set(job, { state: 'uploading' }, ['reason']);
    for (;;) {
      run.attempt = partsController();
      run.replanned = false;
      const external = run.controller.signal;
      const stopSiblings = () => this.stopAttempt(run, external.reason);
      external.addEventListener('abort', stopSiblings, { once: true });
      try {
        await this.steps.uploadJob(run);
        return;
      } catch (error) {
        if (external.aborted) return;
        if (error instanceof NoCredentials) {
          this.waitForKey(job, error.message);
          return;
        }
        if (error instanceof Restart) {
          if (job.restarts >= 3) {
            this.failJob(job, `${error.message} It started over too many times; Convoy stopped trying.`);
            return;
          }
          await this.restartJob(job, error.message);
          continue;
        }
        this.failJob(
          job,
          error instanceof Failure
            ? error.message
            : `Unexpected error: ${error instanceof Error ? error.message : String(error)}`,
        );
        return;
      } finally {
        external.removeEventListener('abort', stopSiblings);
      }
    }
  }

  /**
   * Stops the parts in flight. A pause or close lets the first chunk of a delegated upload finish first
   * (bounded): its reply names the video, and sending it again later would create a second video. A pause also
   * lets every part that will be done within PAUSE_FINISH_MS at the measured speed finish, so what was sent is
   * kept; the others stop at once, and the row says how much of them will be sent again.
   */
  private stopAttempt(run: Run, reason: unknown): void {
    const attempt = run.attempt;
    const patient = reason instanceof Stop && (reason.why === 'pause' || reason.why === 'close');
    if (!patient) {
      attempt.abort(reason);
      return;
    }
    const waits: Promise<unknown>[] = [];
    if (run.firstPart) {
      const grace = sleep(this.options.firstPartGraceMs ?? 15_000, attempt.signal).catch(() => {});
      waits.push(Promise.race([run.firstPart.catch(() => {}), grace]));
    }
    if (reason.why === 'pause') {
      const perRequest = this.reporter.speed / Math.max(1, this.queue.pending);
      const finishMs = this.options.pauseFinishMs ?? PAUSE_FINISH_MS;
      let stopped = 0;
      for (const [part, inFlight] of run.parts) {
        if (part === 1 && run.firstPart) continue; // bounded by its own grace above
        const left = inFlight.length - (run.inflight.get(part) ?? 0);
        if (perRequest > 0 && (left / perRequest) * 1000 <= finishMs) {
          const bound = sleep(finishMs + 5_000, attempt.signal).catch(() => {});
          waits.push(Promise.race([inFlight.settled.catch(() => {}), bound]));
        } else {
          stopped += run.inflight.get(part) ?? 0;
          inFlight.stop.abort(reason);
        }
      }
      if (stopped > 0) {
        const mib = (stopped / (1024 * 1024)).toFixed(1);
        this.store.set(run.job, {
          reason: `Paused. ${mib} MiB of a part on its way was stopped and will be sent again on resume.`,
        });
      }
    }
    if (waits.length === 0) attempt.abort(reason);
    else void Promise.all(waits).then(() => attempt.abort(reason));
  }

  /**
   * With the journal damaged or lost, a token upload not yet begun cannot be checked against the server (a token
   * cannot look, and no key of the account was lent): it may already be there, so it waits for the user's word.
   */
  private mustHold(job: JobRecord): boolean {
    if (this.journal.damage.kind === 'none' || job.force || job.videoId || job.acked.size > 0) return false;
    const client = this.credentials.clientOrNull(job.profileId);
    return client?.authKind === 'uploadToken' && !this.options.keyClientFor?.(job.profileId);
  }

  private hold(job: JobRecord): void {
    this.held.add(job.id);
    this.store.set(job, {
      state: 'paused',
      reason:
        'Waiting for your word: the upload journal was lost or damaged, and an upload token cannot look on the server, so this file may already be there. Upload anyway from the notice above, or add an API-key profile of the same account.',
    });
    this.reporter.emit('journal', this.journalNotice() ?? null);
  }

  /** The starting job and every queued job of its profile wait for credentials, without failing. */
  private waitForKey(starting: JobRecord, why: string): void {
    const reason = `Waiting for the key of this profile: ${why}`;
    let waiting = 0;
    for (const job of this.store.jobs.values()) {
      if (job.profileId !== starting.profileId) continue;
      if (job !== starting && (job.state !== 'queued' || this.runs.has(job.id))) continue;
      this.store.set(job, { state: 'paused', reason, waitingForKey: true });
      waiting += 1;
    }
    if (waiting) this.reporter.alert(reason);
    this.log('info', `${waiting} upload(s) wait for credentials: ${why}`);
  }

  private failJob(job: JobRecord, reason: string): void {
    this.log('warn', `${job.path}: ${reason}`);
    this.store.set(job, { state: 'failed', reason, finishedAt: this.now() });
  }

  private async restartJob(job: JobRecord, reason: string): Promise<void> {
    this.log('info', `${job.path}: ${reason}`);
    await this.cleanup.abandon(job, 'restarted');
    this.store.set(job, { restarts: job.restarts + 1, reason, restartReason: reason, state: 'uploading' }, [
      'fingerprint',
    ]);
  }
}
