// Sends one job's parts: each part streamed from disk by byte range through the request gate, throttled and watched
// for stalls, and acknowledged in the job store. Requests that are not parts go through the gate directly.
import { ApiVideoError, type ApiVideoClient, type Video } from '../apivideo/index';
import type { TokenBucket } from './bandwidth';
import type { EngineOptions, LogFn } from './engine-types';
import { assertSameContent } from './file-identity';
import type { JobStore } from './job-store';
import { recoverFirstReply } from './lost-first-reply';
import { Failure, Restart, ServerHas, StallError, Stop } from './outcomes';
import { describeReadError, PartReader } from './part-reader';
import { partRange, type PartRange } from './plan';
import type { JobPatch, JobRecord } from './records';
import type { QueueReporter } from './reporter';
import type { RequestGate } from './request-gate';
import type { Run } from './run';
import { StallWatch } from './stall-watch';
import { allParts, assetsOf, checkWindow, serverNow } from './video-facts';

/** What the sender works with: the jobs, the gate its requests pass, the bandwidth, and how wide a run may go. */
export interface SenderDeps {
  store: JobStore;
  gate: RequestGate;
  bucket: TokenBucket;
  reporter: Pick<QueueReporter, 'countSent' | 'progressChanged'>;
  options: EngineOptions;
  now: () => number;
  log: LogFn;
  /** A video a cancelled or removed job made after all (its first reply came late): delete it where a key allows. */
  discardVideo(job: JobRecord, videoId: string): void;
  /**
   * How many of its middle parts a run with `active` parts in flight may have: 1 while other files wait for
   * a request slot, up to the free slots otherwise (a lone file, the tail of a batch).
   */
  partWidth(active: number): number;
}

export class PartSender {
  /** Content checks under way, one per job (parts in parallel share it). */
  private readonly checks = new Map<string, Promise<void>>();

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
      const stopped = () => run.attempt.signal.aborted || run.controller.signal.aborted;
      while (next < parts.length && !stopped() && active < this.deps.partWidth(active)) {
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
    for (let seen = -1; seen !== tasks.length;) {
      seen = tasks.length;
      await Promise.allSettled(tasks);
    }
    await this.allOrAbort(run, tasks);
  }

  /** Waits for all; the first failure stops the siblings and is rethrown. */
  private async allOrAbort(run: Run, tasks: Promise<void>[]): Promise<void> {
    const results = await Promise.allSettled(tasks);
    const failure = results.find(
      (r): r is PromiseRejectedResult => r.status === 'rejected' && !(r.reason instanceof Stop),
    );
    if (failure) throw failure.reason;
    const stop = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (stop) throw stop.reason;
  }

  private async sendPart(run: Run, client: ApiVideoClient, part: number): Promise<void> {
    const { job } = run;
    // In flight until its reply is recorded: a pause that lets it finish waits for this, not for the bytes alone.
    let settle = () => {};
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const length = partRange(job.size, job.chunkSize!, part).length;
    run.parts.set(part, { length, stop: new AbortController(), settled });
    try {
      const firstOfToken = part === 1 && job.mode === 'token' && !job.videoId;
      const sent = await this.deps.gate.request(
        run,
        () => (firstOfToken ? this.sendFirstTokenPart(run, client) : this.sendOnce(run, client, part)),
        { chunk: true },
      );
      this.ackPart(run, part, sent.video, sent.digest);
    } catch (error) {
      if (error instanceof ServerHas) {
        if (error.what === 'source-complete') this.deps.store.replaceAcks(job, allParts(job));
        else this.ackPart(run, part, null, null);
        return;
      }
      if (!(error instanceof Stop) && !run.attempt.signal.aborted) run.attempt.abort(new Stop('close'));
      throw error;
    } finally {
      run.parts.delete(part);
      settle();
    }
  }

  /**
   * Records what the server confirmed, even when the run was paused or closed meanwhile (the part is on the
   * server, and a token upload's first reply names its video); a cancelled or removed job is abandoned.
   */
  private ackPart(run: Run, part: number, video: Video | null, digest: string | null): void {
    const { job } = run;
    const stopped = run.controller.signal.aborted;
    const reason: unknown = run.controller.signal.reason;
    if (stopped && !(reason instanceof Stop && (reason.why === 'pause' || reason.why === 'close'))) {
      // Cancelled or removed while the first chunk was out: the video it made belongs to nobody now.
      if (video && job.mode === 'token' && !job.videoId) this.deps.discardVideo(job, video.videoId);
      return;
    }
    if (!this.deps.store.holds(job)) return;
    if (video) {
      const patch: JobPatch = { ...assetsOf(video) };
      if (!job.videoId) patch.videoId = video.videoId;
      if (job.mode === 'token' && job.firstChunkAt === undefined) patch.firstChunkAt = this.deps.now();
      const answered: (keyof JobRecord)[] = job.firstChunkSentAt !== undefined ? ['firstChunkSentAt'] : [];
      if (Object.keys(patch).length || answered.length) this.deps.store.set(job, patch, answered);
    }
    this.deps.store.ack(job, part, digest);
    run.progressEpoch += 1;
    if (!stopped && job.state !== 'uploading') this.deps.store.set(job, { state: 'uploading' }, ['reason']);
    if (stopped) this.deps.store.sync();
  }

  /**
   * A token upload's first part: only its reply names the video, so it is journaled as sent before it leaves (see
   * sendOnce). When an earlier attempt may have landed without its reply, that video is looked for first.
   */
  private async sendFirstTokenPart(run: Run, client: ApiVideoClient): Promise<Sent> {
    const { job } = run;
    if (job.firstChunkSentAt !== undefined) {
      const video = await recoverFirstReply(job, {
        keyClient: this.deps.options.keyClientFor?.(job.profileId),
        jobs: this.deps.store.jobs.values(),
        note: (job, restartReason) => this.deps.store.set(job, { restartReason }),
        log: this.deps.log,
      });
      if (video) return { video, digest: null }; // sent by the lost attempt: its digest is taken from disk at the end
    }
    return this.sendOnce(run, client, 1, true);
  }

  /**
   * One POST of one part: streamed from disk by byte range, throttled, watched for stalls. With `writeAhead` (a
   * token upload's first part) the journal records that it left, and forgets it when it surely did not land.
   */
  private async sendOnce(run: Run, client: ApiVideoClient, part: number, writeAhead = false): Promise<Sent> {
    const { job } = run;
    checkWindow(job, serverNow(client), this.deps.options);
    const range = partRange(job.size, job.chunkSize!, part);
    const attempt = run.attempt.signal;
    // Room in the server's upload budget first (waiting for the next window rather than drawing a 429), so the stall
    // watch below only ever times the request itself.
    const release = await client.uploadBudget.reserve(attempt);
    let reader: PartReader;
    try {
      reader = await this.openPart(run, range);
    } catch (error) {
      release();
      throw error;
    }
    if (attempt.aborted) {
      release();
      await reader.close();
      throw attempt.reason;
    }
    // The part's own stop (a pause stops a part that would take long, and lets one about to finish go on).
    const stop = run.parts.get(part)?.stop ?? new AbortController();
    const watch = new StallWatch(this.deps.options.stallTimeoutMs ?? 60_000, AbortSignal.any([attempt, stop.signal]));
    const rt = this.deps.store.runtimeOf(job.id)!;
    let last = 0;
    run.inflight.set(part, 0);
    if (writeAhead) {
      this.deps.store.set(job, { firstChunkSentAt: this.deps.now() });
      this.deps.store.sync();
    }
    try {
      const video = await client.uploadChunk({
        ...(job.videoId ? { videoId: job.videoId } : {}),
        contentRange: `part ${part}/${job.totalParts}`,
        fileName: job.name,
        size: range.length,
        body: () => {
          last = 0;
          run.inflight.set(part, 0);
          watch.touch(); // a new attempt of the body (after a refused one) is watched afresh
          return reader.body();
        },
        signal: watch.signal,
        onBytesSent: (n) => {
          const delta = n - last;
          last = n;
          if (delta > 0) {
            rt.sent += delta;
            this.deps.reporter.countSent(delta);
          }
          run.inflight.set(part, n);
          this.deps.reporter.progressChanged();
          if (n < range.length) watch.touch();
          else watch.pause();
        },
      });
      return { video, digest: reader.digest };
    } catch (error) {
      // Not all of it left, or the server answered with a refusal: no video can stand behind this attempt.
      const refused = error instanceof ApiVideoError && error.status !== undefined && error.status < 500;
      if (writeAhead && (last < range.length || refused)) this.deps.store.set(job, {}, ['firstChunkSentAt']);
      const unreadable = reader.readFailure;
      if (unreadable && !attempt.aborted) throw new Failure(unreadable);
      if (stop.signal.aborted && !attempt.aborted) throw stop.signal.reason;
      if (watch.stalled && !attempt.aborted)
        throw new StallError(`No progress for ${watch.seconds} s on part ${part}: aborted and retried.`);
      throw error;
    } finally {
      release();
      watch.dispose();
      await reader.close();
      run.inflight.delete(part);
      this.deps.reporter.progressChanged();
    }
  }

  /**
   * Opens the part on the file the job planned. When the path names another file now, or the file changed, its
   * content is compared with the parts already sent (once per job at a time): the same bytes go on, other bytes
   * start over as a new video.
   */
  private async openPart(run: Run, range: PartRange): Promise<PartReader> {
    const { job } = run;
    for (let tries = 0; tries < 3; tries += 1) {
      await this.checkContent(run);
      const reader = await PartReader.open(job, range, this.deps.bucket);
      if (reader) return reader;
    }
    throw new Restart('The file kept changing while it was read; it was uploaded again as a new video.');
  }

  private checkContent(run: Run): Promise<void> {
    const { job } = run;
    let check = this.checks.get(job.id);
    if (!check) {
      check = assertSameContent(job, (patch) => this.deps.store.set(job, patch), run.attempt.signal).catch(
        (error: unknown) => {
          const code = (error as NodeJS.ErrnoException).code;
          if (typeof code === 'string' && !(error instanceof Restart))
            throw new Failure(describeReadError(error as NodeJS.ErrnoException, job.name));
          throw error;
        },
      );
      const settled = check.finally(() => this.checks.delete(job.id));
      settled.catch(() => {});
      this.checks.set(job.id, check);
    }
    return check;
  }
}

/** A part's reply (the video, for a token upload's first part) and the digest of what was sent. */
interface Sent {
  video: Video;
  digest: string | null;
}
