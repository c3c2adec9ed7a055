// The upload engine: owns the journal and the request queue, takes files in, schedules and controls jobs, and
// keeps their state; JobSteps runs each attempt, PartSender sends parts, QueueReporter reports it all.
import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import PQueue from 'p-queue';
import type { AddResult, JobState, JobView, QueueSettings, QueueSnapshot } from '../../common/contract/queue';
import { jobStates } from '../../common/contract/queue';
import type { ApiVideoClient } from '../apivideo/index';
import { defaultRetryPolicy, type RetryPolicy } from './backoff';
import { sleep } from '../lib/sleep';
import { TokenBucket } from './bandwidth';
import { activeStates, defaultSettings, type AddRequest, type ControlAction, type CsvImportResult, type EngineEvents, type EngineOptions, type LogFn } from './engine-types';
import { JobSteps } from './job-steps';
import { Journal } from './journal';
import { renderManifest } from './manifest';
import { importMetadataCsv, withoutExtension, type MetadataPatch } from './metadata-csv';
import { NetworkMonitor } from './network';
import { bytesOfParts } from './plan';
import { SpeedMeter } from './progress';
import type { JobPatch, JobRecord } from './records';
import { QueueReporter } from './reporter';
import { Failure, NoCredentials, partsController, Restart, Stop, type JobRuntime, type Run } from './run';
import { scanPaths } from './scan';
import { PartSender } from './sender';
import { DetailsSaver } from './video-details';
import { WaitingLanes } from './waiting-lanes';

export class UploadEngine {
  private readonly journal: Journal;
  private readonly queue: PQueue;
  private readonly bucket: TokenBucket;
  private readonly network: NetworkMonitor;
  private readonly sender: PartSender;
  private readonly reporter: QueueReporter;
  private readonly steps: JobSteps;
  private readonly details: DetailsSaver;
  private readonly retry: RetryPolicy;
  private readonly now: () => number;
  private readonly log: LogFn;
  private settings: QueueSettings;
  private readonly runs = new Map<string, Run>();
  private readonly runtime = new Map<string, JobRuntime>();
  private readonly byPath = new Map<string, string>();
  private readonly waiting = new WaitingLanes((job) => job.state !== 'queued' || this.runs.has(job.id) || !this.journal.jobs.has(job.id));
  private readonly counts = Object.fromEntries(jobStates.map((s) => [s, 0])) as Record<JobState, number>;
  private nextSeq = 0;
  private preparing = 0;
  private readonly ticker: NodeJS.Timeout;
  private readonly clockWatch: NodeJS.Timeout;
  private lastClockCheck: number;
  private readonly stopWakeWatch: () => void;
  private idleWaiters: (() => void)[] = [];
  private readonly cleanups = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly options: EngineOptions) {
    this.now = options.now ?? Date.now;
    this.lastClockCheck = this.now();
    this.log = options.log ?? (() => {});
    this.retry = { ...defaultRetryPolicy, ...options.retry };
    this.journal = Journal.open({ dir: options.stateDir, log: this.log });
    this.reporter = new QueueReporter({ jobs: this.journal.jobs, runtime: this.runtime, runs: this.runs, counts: this.counts, options, log: this.log });
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
    this.sender = new PartSender({
      journal: this.journal,
      queue: this.queue,
      bucket: this.bucket,
      network: this.network,
      retry: this.retry,
      runtime: this.runtime,
      options,
      now: this.now,
      log: this.log,
      setJob: (job, patch, clear) => this.setJob(job, patch, clear),
      markDirty: (id) => this.reporter.markDirty(id),
      countSent: (bytes) => {
        this.reporter.totalSent += bytes;
      },
      progressChanged: () => {
        this.reporter.progressDirty = true;
      },
      pump: () => this.pump(),
      partWidth: (active) => this.partWidth(active),
      discardVideo: (job, videoId) => void this.deleteVideo(job, 'token', videoId, 'its first reply came after it was cancelled'),
    });
    this.details = new DetailsSaver({
      clientFor: (job) => this.videoClientOf(job),
      alive: (job) => !this.closed && this.journal.jobs.get(job.id) === job,
      setJob: (job, patch, clear) => this.setJob(job, patch, clear),
      log: this.log,
      retry: this.retry,
    });
    this.steps = new JobSteps({
      journal: this.journal,
      sender: this.sender,
      runtime: this.runtime,
      options,
      now: this.now,
      log: this.log,
      settings: () => this.settings,
      pendingRequests: () => this.queue.pending,
      queueSpeed: () => this.reporter.totalMeter.speed,
      setJob: (job, patch, clear) => this.setJob(job, patch, clear),
      markDirty: (id) => this.reporter.markDirty(id),
      credentialsOf: (profileId) => this.credentialsOf(profileId),
      confirmedOf: (job) => this.confirmedOf(job),
      endPreparing: (run) => this.endPreparing(run),
      trackCleanup: (promise) => this.trackCleanup(promise),
      saveDetails: (job, videoId) => this.details.save(job, videoId),
    });
    this.restore();
    this.ticker = setInterval(() => this.reporter.flush(), options.progressIntervalMs ?? 100);
    this.ticker.unref();
    this.clockWatch = setInterval(() => this.watchClock(), 1000);
    this.clockWatch.unref();
    this.stopWakeWatch = options.platform?.onWake?.(() => this.network.wake()) ?? (() => {});
  }

  // ---- public API --------------------------------------------------------------------------------

  on<E extends keyof EngineEvents>(event: E, listener: (payload: EngineEvents[E]) => void): () => void {
    return this.reporter.on(event, listener);
  }

  async add(request: AddRequest): Promise<AddResult> {
    this.options.getClient(request.profileId); // throws a clear error for an unknown profile before anything is queued
    const scan = await scanPaths(request.paths, {
      ...(request.include ? { include: request.include } : {}),
      ...(request.exclude ? { exclude: request.exclude } : {}),
    });
    let added = 0;
    let alreadyQueued = 0;
    for (const file of scan.files) {
      const key = pathKey(request.profileId, file.path);
      if (this.byPath.has(key)) {
        alreadyQueued += 1;
        continue;
      }
      const name = basename(file.path);
      const job: JobRecord = {
        id: randomUUID(),
        seq: this.nextSeq++,
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
      };
      this.journal.add(job);
      this.track(this.journal.jobs.get(job.id)!); // the journal's copy is the one every change goes to
      added += 1;
    }
    this.journal.sync(); // journaled before the request is answered
    this.pump();
    return { added, skipped: scan.skipped, alreadyQueued };
  }

  snapshot(): QueueSnapshot {
    return {
      jobs: this.orderedJobs().map((job) => this.reporter.view(job)),
      totals: this.reporter.totals(),
      settings: { ...this.settings },
      network: this.network.status(),
    };
  }

  /**
   * Pause, resume, cancel, retry or remove the named jobs, or all of them. Retrying a skipped duplicate uploads it
   * anyway, so "retry all" leaves duplicates alone: only a skipped job named by id is forced.
   */
  control(action: ControlAction, ids?: string[]): number {
    const jobs = ids ? ids.map((id) => this.journal.jobs.get(id)).filter((j): j is JobRecord => !!j) : this.orderedJobs();
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
      const job = this.journal.jobs.get(id);
      if (!job) continue;
      this.setJob(job, patch);
      updated += 1;
      if (job.videoId) void this.details.save(job, job.videoId);
    }
    return updated;
  }

  importCsv(csv: string, apply: boolean): CsvImportResult {
    const result = importMetadataCsv(csv, this.orderedJobs());
    if (apply) for (const { jobIds, patch } of result.patches) this.updateMetadata(jobIds, patch as MetadataPatch);
    return { matches: result.matches, unmatched: result.unmatched, errors: result.errors };
  }

  exportManifest(format: 'csv' | 'json'): { content: string; suggestedName: string } {
    return renderManifest(
      this.orderedJobs().map((job) => this.reporter.view(job)),
      format,
      new Date(this.now()),
    );
  }

  /**
   * Profiles' credentials changed (a key entered, a keychain unlocked, the Local sandbox started): jobs that
   * were waiting for their profile's key start again. Returns how many were requeued.
   */
  credentialsChanged(): number {
    const available = new Map<string, boolean>();
    let requeued = 0;
    for (const job of this.orderedJobs()) {
      if (job.state !== 'paused' || !job.waitingForKey) continue;
      let has = available.get(job.profileId);
      if (has === undefined) {
        has = this.clientOrNull(job.profileId) !== null;
        available.set(job.profileId, has);
      }
      if (!has) continue;
      this.setJob(job, { state: 'queued' }, ['reason']);
      requeued += 1;
    }
    this.pump();
    return requeued;
  }

  /** Resolves when no job is queued, uploading, retrying, offline or finalizing. */
  async idle(): Promise<void> {
    if (!this.isIdle()) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    await Promise.allSettled([...this.cleanups]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const run of this.runs.values()) run.controller.abort(new Stop('close'));
    await Promise.allSettled([...this.runs.values()].map((run) => run.done));
    await Promise.allSettled([...this.cleanups]);
    clearInterval(this.ticker);
    clearInterval(this.clockWatch);
    this.stopWakeWatch();
    this.network.close();
    this.reporter.flush();
    this.journal.close();
    this.options.platform?.keepAwake?.(false);
    this.options.platform?.setProgress?.(null);
    for (const waiter of this.idleWaiters.splice(0)) waiter();
  }

  // ---- state bookkeeping -------------------------------------------------------------------------

  private restore(): void {
    for (const job of this.orderedJobs()) {
      // Work interrupted by a crash or a quit goes back to the queue; the run re-checks everything.
      if (job.state === 'uploading' || job.state === 'retrying' || job.state === 'offline' || job.state === 'finalizing') {
        this.journal.set(job.id, { state: 'queued' });
      }
      // Waiting for a key that may be there now (a keychain): try again; still missing, it waits again.
      if (job.state === 'paused' && job.waitingForKey) this.journal.set(job.id, { state: 'queued' }, ['reason', 'waitingForKey']);
      this.track(job);
      this.nextSeq = Math.max(this.nextSeq, job.seq + 1);
    }
    this.pump();
  }

  private track(job: JobRecord): void {
    this.byPath.set(pathKey(job.profileId, job.path), job.id);
    this.counts[job.state] += 1;
    const confirmed = job.state === 'done' ? job.size : this.confirmedOf(job);
    this.runtime.set(job.id, { confirmed, sent: 0, meter: new SpeedMeter() });
    if (job.state === 'queued') this.waiting.add(job);
    if (activeStates.has(job.state)) this.reporter.startBatch();
    this.reporter.markDirty(job.id);
  }

  private confirmedOf(job: JobRecord): number {
    return job.chunkSize ? bytesOfParts(job.size, job.chunkSize, job.acked) : 0;
  }

  private orderedJobs(): JobRecord[] {
    return [...this.journal.jobs.values()].sort((a, b) => a.seq - b.seq);
  }

  private setJob(job: JobRecord, patch: JobPatch, clear: (keyof JobRecord)[] = []): void {
    const before = job.state;
    const record = job as Record<string, unknown>;
    const changes = Object.fromEntries(Object.entries(patch).filter(([key, value]) => !sameValue(record[key], value))) as JobPatch;
    // Waiting for a key is a kind of pause: a job that leaves 'paused' (resumed, cancelled…) no longer waits.
    if (patch.state !== undefined && patch.state !== 'paused') clear = [...clear, 'waitingForKey'];
    const clearing = clear.filter((key) => record[key] !== undefined);
    if (Object.keys(changes).length === 0 && clearing.length === 0) return;
    if (!this.journal.jobs.has(job.id)) return;
    this.journal.set(job.id, changes, clearing as string[]);
    if (patch.state && patch.state !== before) {
      this.counts[before] -= 1;
      this.counts[patch.state] += 1;
      this.onStateChange(job, before);
    }
    this.reporter.markDirty(job.id);
  }

  private onStateChange(job: JobRecord, before: JobState): void {
    if (job.state !== 'retrying') {
      const rt = this.runtime.get(job.id);
      if (rt) delete rt.retryAt;
    }
    if (job.state === 'queued') this.waiting.add(job);
    if (!activeStates.has(before) && activeStates.has(job.state)) this.reporter.startBatch();
    this.reporter.counted(job);
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
    for (const state of activeStates) if (this.counts[state] > 0) return false;
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
      case 'pause':
        if (!['queued', 'uploading', 'retrying', 'offline'].includes(job.state)) return false;
        run?.controller.abort(new Stop('pause'));
        this.setJob(job, { state: 'paused' });
        return true;
      case 'resume':
        if (job.state !== 'paused') return false;
        this.setJob(job, { state: 'queued' }, job.waitingForKey ? ['reason'] : []);
        return true;
      case 'retry':
        if (!['failed', 'cancelled', 'skipped'].includes(job.state)) return false;
        if (job.state === 'skipped') {
          // Retrying a duplicate means "upload it anyway": forget the video it pointed at.
          this.setJob(job, { state: 'queued', force: true }, ['reason', 'videoId', 'playerUrl', 'embedCode', 'mp4Url', 'encoding', 'detailsProblem']);
        } else {
          this.setJob(job, { state: 'queued' }, ['reason']);
        }
        return true;
      case 'cancel':
        // A finalizing upload is complete on the server: nothing left to cancel.
        if (['done', 'skipped', 'cancelled', 'finalizing'].includes(job.state)) return false;
        run?.controller.abort(new Stop('cancel'));
        void this.abandonVideo(job, 'cancelled');
        this.setJob(job, { state: 'cancelled', reason: 'Cancelled.' });
        return true;
      case 'remove':
        run?.controller.abort(new Stop('remove'));
        if (!['done', 'skipped', 'finalizing'].includes(job.state)) void this.abandonVideo(job, 'removed');
        this.counts[job.state] -= 1;
        this.byPath.delete(pathKey(job.profileId, job.path));
        this.journal.remove(job.id);
        this.runtime.delete(job.id);
        this.reporter.forget(job.id);
        return true;
    }
  }

  /** Forgets the job's unfinished video and deletes its container where the API key allows. */
  private abandonVideo(job: JobRecord, why: string): Promise<void> {
    const videoId = job.videoId;
    const mode = job.mode;
    if (this.journal.jobs.has(job.id)) {
      this.journal.replaceAcks(job.id, []);
      this.journal.set(job.id, {}, ['videoId', 'containerCreatedAt', 'firstChunkAt', 'firstChunkSentAt', 'chunkSize', 'totalParts', 'mode', 'playerUrl', 'embedCode', 'mp4Url', 'encoding', 'detailsProblem']);
      const rt = this.runtime.get(job.id);
      if (rt) rt.confirmed = 0;
    }
    return videoId && mode ? this.deleteVideo(job, mode, videoId, why) : Promise.resolve();
  }

  /** Deletes an unfinished video with the job's API key, or for a token upload with a key lent for it, if any. */
  private deleteVideo(job: JobRecord, mode: 'container' | 'token', videoId: string, why: string): Promise<void> {
    // A token cannot delete; an API-key profile of the same account can.
    const client = this.videoClientOf(job, mode);
    if (!client) {
      this.log('info', `left the unfinished video ${videoId} of ${job.path} (${why}): no API key to delete it with`);
      return Promise.resolve();
    }
    return this.trackCleanup(
      client.videos.delete(videoId).then(
        () => this.log('info', `deleted the unfinished video ${videoId} of ${job.path} (${why})`),
        (error: unknown) => this.log('warn', `could not delete the unfinished video ${videoId} of ${job.path}: ${String(error)}`),
      ),
    );
  }

  /** Deletions of abandoned containers: idle() and close() wait for them. */
  private trackCleanup(promise: Promise<void>): Promise<void> {
    this.cleanups.add(promise);
    return promise.finally(() => this.cleanups.delete(promise));
  }

  private credentialsOf(profileId: string): ApiVideoClient {
    try {
      return this.options.getClient(profileId);
    } catch (error) {
      throw new NoCredentials(error instanceof Error ? error.message : String(error));
    }
  }

  private clientOrNull(profileId: string): ApiVideoClient | null {
    try {
      return this.options.getClient(profileId);
    } catch {
      return null;
    }
  }

  /** The API-key client that may edit or delete the job's video: its profile's, or a key of a token's account. */
  private videoClientOf(job: JobRecord, mode: 'container' | 'token' | undefined = job.mode): ApiVideoClient | null {
    return mode === 'container' ? this.clientOrNull(job.profileId) : (this.options.keyClientFor?.(job.profileId) ?? null);
  }

  // ---- scheduling --------------------------------------------------------------------------------

  /** Starts queued jobs while the request queue has room; jobs for a server that is offline wait in line. */
  private pump(): void {
    if (this.closed) return;
    const reachable = this.reachability();
    while (this.roomForRun() && this.busySlots() < this.settings.concurrency) {
      const job = this.waiting.take(reachable);
      if (!job) return;
      this.start(job);
    }
  }

  /**
   * Request slots taken: queued and running requests, and runs still preparing (each will soon want one), except
   * those parked until their server comes back.
   */
  private busySlots(): number {
    return this.queue.size + this.queue.pending + this.preparing - this.sender.parkedPreparing;
  }

  /** Runs parked offline hold no slot; a couple more than the slots may run (finalizing ones send nothing). */
  private roomForRun(): boolean {
    return this.runs.size - this.sender.parked < this.settings.concurrency + 2;
  }

  /** A queued job that pump would start once a slot frees up. */
  private othersWaiting(): boolean {
    return this.roomForRun() && this.waiting.peek(this.reachability()) !== undefined;
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
        const baseUrl = this.clientOrNull(profileId)?.baseUrl;
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
      progressEpoch: 0,
      baseUrl: '',
      replanned: false,
      firstPart: null,
      done: Promise.resolve(),
    };
    this.preparing += 1;
    this.runs.set(job.id, run);
    run.done = this.runJob(run).finally(() => {
      this.endPreparing(run);
      this.runs.delete(job.id);
      if (job.state === 'queued' && this.journal.jobs.has(job.id)) this.waiting.add(job);
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
    this.setJob(job, { state: 'uploading' }, ['reason']);
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
        this.failJob(job, error instanceof Failure ? error.message : `Unexpected error: ${error instanceof Error ? error.message : String(error)}`);
        return;
      } finally {
        external.removeEventListener('abort', stopSiblings);
      }
    }
  }

  /**
   * Stops the parts in flight. A pause or close lets the first chunk of a delegated upload finish first
   * (bounded): its reply names the video, and sending it again later would create a second video.
   */
  private stopAttempt(run: Run, reason: unknown): void {
    const attempt = run.attempt;
    const patient = reason instanceof Stop && (reason.why === 'pause' || reason.why === 'close');
    if (!run.firstPart || !patient) {
      attempt.abort(reason);
      return;
    }
    const grace = sleep(this.options.firstPartGraceMs ?? 15_000, attempt.signal).catch(() => {});
    void Promise.race([run.firstPart.catch(() => {}), grace]).then(() => attempt.abort(reason));
  }

  /** The starting job and every queued job of its profile wait for credentials, without failing. */
  private waitForKey(starting: JobRecord, why: string): void {
    const reason = `Waiting for the key of this profile: ${why}`;
    let waiting = 0;
    for (const job of this.journal.jobs.values()) {
      if (job.profileId !== starting.profileId) continue;
      if (job !== starting && (job.state !== 'queued' || this.runs.has(job.id))) continue;
      this.setJob(job, { state: 'paused', reason, waitingForKey: true });
      waiting += 1;
    }
    if (waiting) this.reporter.alert(reason);
    this.log('info', `${waiting} upload(s) wait for credentials: ${why}`);
  }

  private failJob(job: JobRecord, reason: string): void {
    this.log('warn', `${job.path}: ${reason}`);
    this.setJob(job, { state: 'failed', reason, finishedAt: this.now() });
  }

  private async restartJob(job: JobRecord, reason: string): Promise<void> {
    this.log('info', `${job.path}: ${reason}`);
    await this.abandonVideo(job, 'restarted');
    this.setJob(job, { restarts: job.restarts + 1, reason, restartReason: reason, state: 'uploading' }, ['fingerprint']);
  }

}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return a === b;
}

function pathKey(profileId: string, path: string): string {
  return `${profileId}\u0000${path}`;
}
