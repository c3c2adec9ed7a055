// Sends one job's parts: each part streamed from disk by byte range through the shared request queue, throttled
// and watched for stalls, retried by the failure rules (offline waits cost no retries), acknowledged in the journal.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type PQueue from 'p-queue';
import type { JobState } from '../../common/contract/queue';
import { ApiVideoError, type ApiVideoClient, type Video } from '../apivideo/index';
import { retryDelay, type RetryPolicy } from './backoff';
import { sleep } from '../lib/sleep';
import { throttle, type TokenBucket } from './bandwidth';
import type { EngineOptions, LogFn } from './engine-types';
import { classifyFailure, type Verdict } from './failure';
import type { Journal } from './journal';
import type { NetworkMonitor } from './network';
import { partRange } from './plan';
import type { JobPatch, JobRecord } from './records';
import { Failure, Restart, ServerHas, StallError, Stop, type JobRuntime, type Run } from './run';
import { findFirstChunkVideo, lostReplyNote } from './lost-first-reply';
import { allParts, assetsOf, checkWindow } from './video-facts';

/** What the sender shares with the engine: its journal, queue, limits, and how it reports changes. */
export interface SenderDeps {
  journal: Journal;
  queue: PQueue;
  bucket: TokenBucket;
  network: NetworkMonitor;
  retry: RetryPolicy;
  runtime: Map<string, JobRuntime>;
  options: EngineOptions;
  now: () => number;
  log: LogFn;
  setJob(job: JobRecord, patch: JobPatch, clear?: (keyof JobRecord)[]): void;
  markDirty(id: string): void;
  /** Bytes that left for the server (progress and speed). */
  countSent(bytes: number): void;
  progressChanged(): void;
  /** Starts more work (a run waiting for its server leaves room). */
  pump(): void;
  /** A video a cancelled or removed job made after all (its first reply came late): delete it where a key allows. */
  discardVideo(job: JobRecord, videoId: string): void;
  /**
   * How many of its middle parts a run with `active` parts in flight may have: 1 while other files wait for
   * a request slot, up to the free slots otherwise (a lone file, the tail of a batch).
   */
  partWidth(active: number): number;
}

export class PartSender {
  /** Runs waiting for their server to come back (with how many of their requests wait): they hold no slot. */
  private readonly parkedRuns = new Map<Run, number>();

  /** How many runs wait for their server to come back. */
  get parked(): number {
    return this.parkedRuns.size;
  }

  /** Of those, the runs still preparing (they would otherwise count as soon wanting a slot); a handful at most. */
  get parkedPreparing(): number {
    let preparing = 0;
    for (const run of this.parkedRuns.keys()) if (run.preparing) preparing += 1;
    return preparing;
  }

  constructor(private readonly deps: SenderDeps) {}

  /** Sends every part not yet acknowledged: a token upload's first part alone (it names the video), the
   * middle parts as wide as the engine allows, the last part last (it completes the video). */
  async sendParts(run: Run, client: ApiVideoClient): Promise<void> {
    const { job } = run;
    const total = job.totalParts!;
    if (job.mode === 'token' && !job.videoId) {
      // The first reply names the video every later chunk must carry.
      const first = this.sendPart(run, client, 1);
      run.firstPart = first;
      try {
        await first;
      } finally {
        run.firstPart = null;
      }
    }
    const middle: number[] = [];
    for (let part = 1; part < total; part += 1) if (!job.acked.has(part)) middle.push(part);
    await this.sendMiddle(run, client, middle);
    if (!job.acked.has(total)) await this.sendPart(run, client, total);
  }

  /**
   * Sends parts in order through workers whose number is asked from the engine each time one frees up: while
   * other files wait, one part at a time (a crash loses at most one partly-sent chunk per file).
   */
  private async sendMiddle(run: Run, client: ApiVideoClient, parts: number[]): Promise<void> {
    const tasks: Promise<void>[] = [];
    let next = 0;
    let active = 0;
    const spawn = (): void => {
      while (next < parts.length && !run.attempt.signal.aborted && active < this.deps.partWidth(active)) {
        const part = parts[next++]!;
        active += 1;
        tasks.push(
          this.sendPart(run, client, part).finally(() => {
            active -= 1;
            spawn();
          }),
        );
      }
    };
    spawn();
    // A finishing worker spawns its successors before it settles: wait until no new task appeared.
    for (let seen = -1; seen !== tasks.length; ) {
      seen = tasks.length;
      await Promise.allSettled(tasks);
    }
    await this.allOrAbort(run, tasks);
  }

  /** Waits for all; the first failure stops the siblings and is rethrown. */
  private async allOrAbort(run: Run, tasks: Promise<void>[]): Promise<void> {
    const results = await Promise.allSettled(tasks);
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected' && !(r.reason instanceof Stop));
    if (failure) throw failure.reason;
    const stop = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (stop) throw stop.reason;
  }

  private async sendPart(run: Run, client: ApiVideoClient, part: number): Promise<void> {
    const { job } = run;
    try {
      const firstOfToken = part === 1 && job.mode === 'token' && !job.videoId;
      const video = await this.request(run, () => (firstOfToken ? this.sendFirstTokenPart(run, client) : this.sendOnce(run, client, part)), { chunk: true });
      this.ackPart(run, part, video);
    } catch (error) {
      if (error instanceof ServerHas) {
        if (error.what === 'source-complete') this.deps.journal.replaceAcks(job.id, allParts(job));
        else this.ackPart(run, part, null);
        return;
      }
      if (!(error instanceof Stop) && !run.attempt.signal.aborted) run.attempt.abort(new Stop('close'));
      throw error;
    }
  }

  /**
   * Records what the server confirmed, even when the run was paused or closed meanwhile (the part is on the
   * server, and a token upload's first reply names its video); a cancelled or removed job is abandoned.
   */
  private ackPart(run: Run, part: number, video: Video | null): void {
    const { job } = run;
    const stopped = run.controller.signal.aborted;
    const reason: unknown = run.controller.signal.reason;
    if (stopped && !(reason instanceof Stop && (reason.why === 'pause' || reason.why === 'close'))) {
      // Cancelled or removed while the first chunk was out: the video it made belongs to nobody now.
      if (video && job.mode === 'token' && !job.videoId) this.deps.discardVideo(job, video.videoId);
      return;
    }
    if (!this.deps.journal.jobs.has(job.id)) return;
    if (video) {
      const patch: JobPatch = { ...assetsOf(video) };
      if (!job.videoId) patch.videoId = video.videoId;
      if (job.mode === 'token' && job.firstChunkAt === undefined) patch.firstChunkAt = this.deps.now();
      const answered: (keyof JobRecord)[] = job.firstChunkSentAt !== undefined ? ['firstChunkSentAt'] : [];
      if (Object.keys(patch).length || answered.length) this.deps.setJob(job, patch, answered);
    }
    if (!job.acked.has(part)) {
      this.deps.journal.ack(job.id, part);
      const rt = this.deps.runtime.get(job.id);
      if (rt) rt.confirmed += partRange(job.size, job.chunkSize!, part).length;
    }
    run.progressEpoch += 1;
    if (!stopped && job.state !== 'uploading') this.deps.setJob(job, { state: 'uploading' }, ['reason']);
    this.deps.markDirty(job.id);
    if (stopped) this.deps.journal.sync();
  }

  /**
   * A token upload's first part: only its reply names the video, so it is journaled as sent before it leaves (see
   * sendOnce). When an earlier attempt may have landed without its reply, that video is looked for first.
   */
  private async sendFirstTokenPart(run: Run, client: ApiVideoClient): Promise<Video> {
    if (run.job.firstChunkSentAt !== undefined) {
      const video = await this.recoverFirstReply(run);
      if (video) return video;
    }
    return this.sendOnce(run, client, 1, true);
  }

  /** Finds the video a first chunk made when its reply was lost, with an API key of the same account if lent. */
  private async recoverFirstReply(run: Run): Promise<Video | null> {
    const { job } = run;
    const keyClient = this.deps.options.keyClientFor?.(job.profileId);
    if (!keyClient) {
      this.deps.setJob(job, { restartReason: lostReplyNote(job, 'no-key') });
      return null;
    }
    let verdict;
    try {
      verdict = await findFirstChunkVideo(job, keyClient, {
        taken: (videoId) => this.videoTaken(videoId, job.id),
        rivals: this.rivalsOf(job),
      });
    } catch (error) {
      // A borrowed key that no longer works must not fail an upload whose own token does.
      if (error instanceof ApiVideoError && !error.retryable) {
        this.deps.log('warn', `${job.path}: could not look for the video of a lost first reply: ${error.message}`);
        this.deps.setJob(job, { restartReason: lostReplyNote(job, 'key-refused') });
        return null;
      }
      throw error;
    }
    if (verdict.kind === 'found') {
      this.deps.log('info', `${job.path}: the reply to the first chunk was lost; continuing video ${verdict.video.videoId}, which that chunk created`);
      return verdict.video;
    }
    if (verdict.kind === 'ambiguous') this.deps.setJob(job, { restartReason: lostReplyNote(job, 'ambiguous', verdict.videoIds) });
    return null;
  }

  /** Whether another job of the journal already owns this video. */
  private videoTaken(videoId: string, exceptJobId: string): boolean {
    for (const other of this.deps.journal.jobs.values()) if (other.id !== exceptJobId && other.videoId === videoId) return true;
    return false;
  }

  /** Other jobs whose first chunk of a file with the same name and cut is also unaccounted for. */
  private rivalsOf(job: JobRecord): number {
    let rivals = 0;
    for (const other of this.deps.journal.jobs.values()) {
      if (other.id !== job.id && !other.videoId && other.firstChunkSentAt !== undefined && other.name === job.name && other.totalParts === job.totalParts) rivals += 1;
    }
    return rivals;
  }

  /**
   * One POST of one part: streamed from disk by byte range, throttled, watched for stalls. With `writeAhead` (a
   * token upload's first part) the journal records that it left, and forgets it when it surely did not land.
   */
  private async sendOnce(run: Run, client: ApiVideoClient, part: number, writeAhead = false): Promise<Video> {
    const { job } = run;
    assertUnchanged(job, await stat(job.path));
    checkWindow(job, this.deps.now(), this.deps.options);
    const range = partRange(job.size, job.chunkSize!, part);
    const stall = new AbortController();
    const attempt = run.attempt.signal;
    const onAbort = () => stall.abort(attempt.reason);
    if (attempt.aborted) throw attempt.reason;
    attempt.addEventListener('abort', onAbort, { once: true });
    const stallMs = this.deps.options.stallTimeoutMs ?? 60_000;
    let stalled = false;
    let timer: NodeJS.Timeout | null = null;
    const arm = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        stalled = true;
        stall.abort(new Error('stalled'));
      }, stallMs);
    };
    const rt = this.deps.runtime.get(job.id)!;
    let last = 0;
    run.inflight.set(part, 0);
    arm();
    if (writeAhead) {
      this.deps.setJob(job, { firstChunkSentAt: this.deps.now() });
      this.deps.journal.sync();
    }
    try {
      return await client.uploadChunk({
        ...(job.videoId ? { videoId: job.videoId } : {}),
        contentRange: `part ${part}/${job.totalParts}`,
        fileName: job.name,
        size: range.length,
        body: () => {
          last = 0;
          run.inflight.set(part, 0);
          const stream = createReadStream(job.path, { start: range.start, end: range.end, highWaterMark: 256 * 1024 });
          return this.deps.bucket.limited ? stream.pipe(throttle(this.deps.bucket)) : stream;
        },
        signal: stall.signal,
        onBytesSent: (n) => {
          const delta = n - last;
          last = n;
          if (delta > 0) {
            rt.sent += delta;
            this.deps.countSent(delta);
          }
          run.inflight.set(part, n);
          this.deps.progressChanged();
          if (n < range.length) arm();
          else if (timer) clearTimeout(timer);
        },
      });
    } catch (error) {
      // Not all of it left, or the server answered with a refusal: no video can stand behind this attempt.
      const refused = error instanceof ApiVideoError && error.status !== undefined && error.status < 500;
      if (writeAhead && (last < range.length || refused)) this.deps.setJob(job, {}, ['firstChunkSentAt']);
      if (stalled && !attempt.aborted) throw new StallError(`No progress for ${Math.round(stallMs / 1000)} s on part ${part}: aborted and retried.`);
      throw error;
    } finally {
      if (timer) clearTimeout(timer);
      attempt.removeEventListener('abort', onAbort);
      run.inflight.delete(part);
      this.deps.progressChanged();
    }
  }

  /**
   * Runs one request through the shared queue with the retry rules: back-off with jitter (429 honours
   * Retry-After), offline waits that cost no retries, budgets that restart after progress.
   */
  async request<T>(run: Run, fn: () => Promise<T>, opts: { chunk?: boolean } = {}): Promise<T> {
    const { job } = run;
    const signal = run.attempt.signal;
    let attempts = 0;
    let rateLimited = 0;
    let epoch = run.progressEpoch;
    for (;;) {
      if (signal.aborted) throw signal.reason;
      if (run.controller.signal.aborted) throw run.controller.signal.reason;
      if (run.baseUrl && !this.deps.network.isOnline(run.baseUrl)) {
        this.runState(run, 'offline');
        this.parkedRuns.set(run, (this.parkedRuns.get(run) ?? 0) + 1);
        this.deps.pump(); // work for other servers may use the room
        try {
          await this.deps.network.waitOnline(run.baseUrl, signal);
        } finally {
          const waiting = (this.parkedRuns.get(run) ?? 1) - 1;
          if (waiting > 0) this.parkedRuns.set(run, waiting);
          else this.parkedRuns.delete(run);
        }
        if (signal.aborted) throw signal.reason;
        this.runState(run, 'uploading');
      }
      try {
        const result = await this.deps.queue.add(fn, { priority: -job.seq, signal });
        // A chunk's reply is a fact about the server, kept even after a pause (see ackPart).
        if (run.controller.signal.aborted && !opts.chunk) throw run.controller.signal.reason;
        return result;
      } catch (error) {
        if (signal.aborted) throw signal.reason instanceof Stop ? signal.reason : new Stop('close');
        if (error instanceof Restart || error instanceof Failure) throw error;
        const verdict: Verdict = error instanceof StallError ? { kind: 'retry', message: error.message, rateLimited: false } : classifyFailure(error);
        if (run.progressEpoch !== epoch) {
          epoch = run.progressEpoch;
          attempts = 0;
        }
        switch (verdict.kind) {
          case 'already-have':
          case 'source-complete':
            if (opts.chunk) throw new ServerHas(verdict.kind);
            throw new Failure('The server refused a request (already uploaded).');
          case 'gone':
            throw new Restart(verdict.message);
          case 'fail':
            await this.explainFailure(job, verdict);
            throw new Failure(verdict.message);
          case 'network': {
            const reachable = run.baseUrl ? await this.deps.network.check(run.baseUrl) : true;
            if (!reachable) continue; // offline: wait without spending the retry budget
            attempts += 1;
            break;
          }
          case 'retry':
            if (verdict.rateLimited) rateLimited += 1;
            else attempts += 1;
            break;
        }
        const why = 'message' in verdict ? verdict.message : '';
        if (attempts > this.deps.retry.attempts || rateLimited > 50) {
          throw new Failure(`Gave up after ${attempts + rateLimited} attempts: ${why}`);
        }
        const delay = retryDelay(this.deps.retry, Math.max(1, attempts + (verdict.kind === 'retry' && verdict.rateLimited ? rateLimited : 0)), verdict.kind === 'retry' ? verdict.retryAfterSeconds : undefined);
        const rt = this.deps.runtime.get(job.id);
        if (rt) rt.retryAt = Date.now() + delay;
        if (!run.controller.signal.aborted) this.deps.setJob(job, { state: 'retrying', reason: `Retrying: ${why}` });
        this.deps.log('debug', `${job.path}: retry in ${delay} ms (${why})`);
        await sleep(delay, signal).catch(() => {
          throw signal.reason instanceof Stop ? signal.reason : new Stop('close');
        });
        this.runState(run, 'uploading');
      }
    }
  }

  /** A state change made by a run; ignored once the run was stopped from outside (pause, cancel...). */
  runState(run: Run, state: JobState): void {
    if (run.controller.signal.aborted) return;
    this.deps.setJob(run.job, { state }, state === 'uploading' ? ['reason'] : []);
  }

  /** A refused chunk may mean the file changed under us: that restarts rather than fails. */
  private async explainFailure(job: JobRecord, verdict: Extract<Verdict, { kind: 'fail' }>): Promise<void> {
    if (verdict.auth) return;
    const info = await stat(job.path).catch(() => null);
    if (info) assertUnchanged(job, info);
  }
}

/** A file whose size or modification time moved since it was planned restarts as a new video. */
function assertUnchanged(job: JobRecord, info: { size: number; mtimeMs: number }): void {
  if (info.size !== job.size || info.mtimeMs !== job.mtimeMs) {
    throw new Restart(`The file changed during the upload (size ${job.size} → ${info.size} bytes); it was uploaded again as a new video.`);
  }
}
