// One request through the shared request queue, by the retry rules: back-off with jitter (429 honours
// Retry-After), parking while the server is offline (it costs no retries and holds no slot), giving up.
import type PQueue from 'p-queue';
import type { JobState } from '../../common/contract/queue';
import { MAX_SERVER_WAIT_MS, retryDelay, type RetryPolicy } from './backoff';
import { sleep } from '../lib/sleep';
import type { LogFn } from './engine-types';
import { classifyFailure, type Verdict } from './failure';
import { assertStillUnchanged } from './file-identity';
import type { JobStore } from './job-store';
import type { NetworkMonitor } from './network';
import { Failure, Restart, ServerHas, StallError, Stop } from './outcomes';
import type { Run } from './run';

export interface GateDeps {
  queue: PQueue;
  network: NetworkMonitor;
  retry: RetryPolicy;
  store: JobStore;
  now: () => number;
  log: LogFn;
  /** Starts more work: a run parked for its server leaves room. */
  pump(): void;
}

export class RequestGate {
  /** Runs waiting for their server to come back (with how many of their requests wait): they hold no slot. */
  private readonly parkedRuns = new Map<Run, number>();

  constructor(private readonly deps: GateDeps) {}

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

  /**
   * Runs `fn` (through the shared queue when it sends a part) until it succeeds, the rules give up, or the run stops. A `chunk` request's
   * reply is kept even after a pause (it is a fact about the server), and the server already holding the part
   * is a ServerHas, not a failure.
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
      if (run.baseUrl && !this.deps.network.isOnline(run.baseUrl)) await this.park(run);
      try {
        // Parts take the shared slots; the small requests around them (look-ups, creation, metadata) go at once,
        // so a file's preparation and finishing never hold a slot the parts of other files could use.
        const result = opts.chunk ? await this.deps.queue.add(fn, { priority: -job.seq, signal }) : await fn();
        if (run.controller.signal.aborted && !opts.chunk) throw run.controller.signal.reason;
        return result;
      } catch (error) {
        if (signal.aborted) throw signal.reason instanceof Stop ? signal.reason : new Stop('close');
        if (error instanceof Restart || error instanceof Failure) throw error;
        const verdict: Verdict =
          error instanceof StallError
            ? { kind: 'retry', message: error.message, rateLimited: false }
            : classifyFailure(error, this.serverWaitCapMs());
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
            // A refused request may mean the file changed under us: that restarts rather than fails.
            if (!verdict.auth) await assertStillUnchanged(job, (patch) => this.deps.store.set(job, patch));
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
        const delay = retryDelay(
          this.deps.retry,
          Math.max(1, attempts + (verdict.kind === 'retry' && verdict.rateLimited ? rateLimited : 0)),
          verdict.kind === 'retry' ? verdict.retryAfterSeconds : undefined,
        );
        await this.waitToRetry(run, delay, why);
      }
    }
  }

  /**
   * The longest single wait a server may ask for, as the message tells it: the policy's cap, never above 5 minutes,
   * and in whole seconds (a sub-second test cap still says 1 s; the wait itself is the policy's).
   */
  private serverWaitCapMs(): number {
    return Math.min(MAX_SERVER_WAIT_MS, Math.max(1000, this.deps.retry.maxRetryAfterMs));
  }

  /** A state change made by a run; ignored once the run was stopped from outside (pause, cancel...). */
  runState(run: Run, state: JobState): void {
    if (run.controller.signal.aborted) return;
    this.deps.store.set(run.job, { state }, state === 'uploading' ? ['reason'] : []);
  }

  /** Waits, offline and holding no slot, until the run's server answers again. */
  private async park(run: Run): Promise<void> {
    const signal = run.attempt.signal;
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

  private async waitToRetry(run: Run, delay: number, why: string): Promise<void> {
    const { job } = run;
    const signal = run.attempt.signal;
    const rt = this.deps.store.runtimeOf(job.id);
    if (rt) rt.retryAt = this.deps.now() + delay;
    if (!run.controller.signal.aborted) this.deps.store.set(job, { state: 'retrying', reason: `Retrying: ${why}` });
    this.deps.log('debug', `${job.path}: retry in ${delay} ms (${why})`);
    await sleep(delay, signal).catch(() => {
      throw signal.reason instanceof Stop ? signal.reason : new Stop('close');
    });
    this.runState(run, 'uploading');
  }
}
