// Sends one job's requests: a part each (`part n/T`), or with automatic sizes a span of whole units each (`bytes a-b/T`)
// sized as it leaves and journaled before it does; streamed from disk through the request gate, throttled, watched
// for stalls, and acknowledged in the job store unit by unit. Requests that are not chunks go through the gate directly.
import { ApiVideoError, type ApiVideoClient, type Video } from '../apivideo/index';
import { describeReadError } from '../lib/read-error';
import type { TokenBucket } from './bandwidth';
import type { EngineOptions, LogFn } from './engine-types';
import { assertSameContent } from './file-identity';
import type { JobStore } from './job-store';
import { recoverFirstReply } from './lost-first-reply';
import { Failure, Restart, ServerHas, StallError, Stop } from './outcomes';
import { PartReader } from './part-reader';
import { maxChunkSize, partRange, spanAcked, spanRange, spanUnits, unitsOfRanges, type PartRange } from './plan';
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
  /** Requests in flight now and the whole queue's bytes per second: an automatic span is sized from their share. */
  load(): { pending: number; speed: number };
}

/**
 * One request: the units it carries (a part is one unit), its bytes, and its Content-Range. `key` (its first unit)
 * names it among the run's requests in flight.
 */
interface Piece {
  key: number;
  first: number;
  last: number;
  range: PartRange;
  contentRange: string;
  /** A span of an upload sent with byte ranges (journaled in openSpans until acknowledged). */
  span: boolean;
}

type Span = [number, number];

export class PartSender {
  /** Content checks under way, one per job (parts in parallel share it). */
  private readonly checks = new Map<string, Promise<void>>();

  constructor(private readonly deps: SenderDeps) {}

  /** Sends every part not yet acknowledged: a token upload's first part alone (it names the video), the
   * middle parts as wide as the engine allows, the last part last (it completes the video). */
  async sendParts(run: Run, client: ApiVideoClient): Promise<void> {
    const { job } = run;
    if (job.byteRanges) return this.sendSpans(run, client);
    const total = job.totalParts!;
    if (job.mode === 'token' && !job.videoId) await this.sendFirst(run, client, this.partPiece(job, 1));
    const middle: number[] = [];
    for (let part = 1; part < total; part += 1) if (!job.acked.has(part)) middle.push(part);
    let next = 0;
    await this.sendMiddle(run, client, () => (next < middle.length ? this.partPiece(job, middle[next++]!) : null));
    if (!job.acked.has(total)) await this.sendPiece(run, client, this.partPiece(job, total));
  }

  /**
   * An upload sent with byte ranges: spans journaled earlier and not acknowledged are sent again exactly (so an
   * "already have it" reply stands for exactly their units); new spans are cut from the lowest units not yet sent,
   * each as wide as the link and the server's budget ask for as it leaves; the span holding the last unit goes last.
   */
  private async sendSpans(run: Run, client: ApiVideoClient): Promise<void> {
    const { job } = run;
    const total = job.totalParts!;
    this.closeSpans(job);
    if (job.mode === 'token' && !job.videoId) {
      // The first request alone, and small: it must finish within a pause's grace, and only its reply names the video.
      const first = job.openSpans?.find((span) => span[0] === 1) ?? this.journalSpan(job, [1, 1]);
      await this.sendFirst(run, client, this.spanPiece(job, first));
    }
    for (;;) {
      const claimed = new Set<number>();
      await this.sendMiddle(
        run,
        client,
        () => this.nextSpan(run, client, claimed),
        (piece) => {
          for (let unit = piece.first; unit <= piece.last; unit += 1) claimed.delete(unit);
        },
      );
      if (run.attempt.signal.aborted) throw run.attempt.signal.reason;
      if (run.controller.signal.aborted) throw run.controller.signal.reason;
      if (job.acked.has(total)) return;
      let last = job.openSpans?.find((span) => span[1] === total);
      let from = last?.[0] ?? total;
      if (!last) while (from > 1 && !job.acked.has(from - 1)) from -= 1;
      // The last request completes the video: everything before it must be on the server (a span the server
      // held only some of was cut again), and it holds at most 200 MiB.
      const gap = !spanAcked(job.acked, 1, from - 1, 'all');
      if (gap || job.size - (from - 1) * job.chunkSize! > maxChunkSize) continue;
      last ??= this.journalSpan(job, [from, total]);
      await this.sendPiece(run, client, this.spanPiece(job, last));
      if (job.acked.has(total)) return;
    }
  }

  /**
   * The next middle span of this pass: a journaled one first, else a new one cut from the lowest free unit (none
   * acknowledged, claimed or journaled); null when what is left fits in the last request, which goes alone.
   */
  private nextSpan(run: Run, client: ApiVideoClient, claimed: Set<number>): Piece | null {
    const { job } = run;
    const total = job.totalParts!;
    const free = (unit: number) =>
      !job.acked.has(unit) && !claimed.has(unit) && !job.openSpans?.some(([a, b]) => a <= unit && unit <= b);
    const claim = (span: Span): Piece => {
      for (let unit = span[0]; unit <= span[1]; unit += 1) claimed.add(unit);
      return this.spanPiece(job, span);
    };
    const held = ([a, b]: Span) => spanAcked(job.acked, a, b, 'all');
    const journaled = job.openSpans?.find((span) => span[1] < total && !claimed.has(span[0]) && !held(span));
    if (journaled) return claim(journaled);
    let from = 1;
    while (from < total && !free(from)) from += 1;
    if (from >= total) return null;
    let to = from;
    while (to < total && free(to + 1)) to += 1;
    const load = this.deps.load();
    const limitPerMinute = client.uploadBudget.limit;
    const units = spanUnits(
      job.chunkSize!,
      load.speed / (load.pending + 1),
      { queueSpeed: load.speed, ...(limitPerMinute !== undefined ? { limitPerMinute } : {}) },
      this.deps.options.requestSeconds,
    );
    if (to === total) {
      if (total - from + 1 <= units) return null; // the rest goes as the last request
      to = total - 1;
    }
    return claim(this.journalSpan(job, [from, Math.min(to, from + units - 1)]));
  }

  /** Journals a span durably before any of its bytes leave: a resume sends exactly these bytes again. */
  private journalSpan(job: JobRecord, span: Span): Span {
    this.deps.store.set(job, { openSpans: [...(job.openSpans ?? []), span] });
    this.deps.store.sync();
    return span;
  }

  /** Forgets journaled spans the server holds some of (the rest of their units are cut again). */
  private closeSpans(job: JobRecord): void {
    const open = job.openSpans ?? [];
    const kept = open.filter(([a, b]) => !spanAcked(job.acked, a, b, 'any'));
    if (kept.length !== open.length) this.deps.store.set(job, { openSpans: kept });
  }

  private partPiece(job: JobRecord, part: number): Piece {
    const range = partRange(job.size, job.chunkSize!, part);
    return { key: part, first: part, last: part, range, contentRange: `part ${part}/${job.totalParts}`, span: false };
  }

  private spanPiece(job: JobRecord, [first, last]: Span): Piece {
    const range = spanRange(job.size, job.chunkSize!, first, last);
    const contentRange = `bytes ${range.start}-${range.end}/${job.size}`;
    return { key: first, first, last, range, contentRange, span: true };
  }

  /** A token upload's first request, alone: its reply names the video every later one carries. */
  private async sendFirst(run: Run, client: ApiVideoClient, piece: Piece): Promise<void> {
    const first = this.sendPiece(run, client, piece);
    run.firstPart = first;
    try {
      await first;
    } finally {
      run.firstPart = null;
    }
  }

  /**
   * Sends requests in order through workers whose number is asked from the engine each time one frees up: while
   * other files wait, one at a time (a crash loses at most one partly-sent chunk per file). `next` gives the next
   * request as a worker is about to send it (null: none left).
   */
  private async sendMiddle(
    run: Run,
    client: ApiVideoClient,
    next: () => Piece | null,
    settled: (piece: Piece) => void = () => {},
  ): Promise<void> {
    const tasks: Promise<void>[] = [];
    let active = 0;
    const spawn = (): void => {
      const stopped = () => run.attempt.signal.aborted || run.controller.signal.aborted;
      while (!stopped() && active < this.deps.partWidth(active)) {
        const piece = next();
        if (!piece) break;
        active += 1;
        tasks.push(
          this.sendPiece(run, client, piece).finally(() => {
            active -= 1;
            settled(piece);
            spawn();
          }),
        );
      }
    };
    spawn();
    run.widen = spawn;
    try {
      // A finishing worker spawns its successors before it settles: wait until no new task appeared.
      for (let seen = -1; seen !== tasks.length;) {
        seen = tasks.length;
        await Promise.allSettled(tasks);
      }
    } finally {
      if (run.widen === spawn) delete run.widen;
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

  private async sendPiece(run: Run, client: ApiVideoClient, piece: Piece): Promise<void> {
    const { job } = run;
    // In flight until its reply is recorded: a pause that lets it finish waits for this, not for the bytes alone.
    let settle = () => {};
    const settled = new Promise<void>((resolve) => (settle = resolve));
    run.parts.set(piece.key, { length: piece.range.length, stop: new AbortController(), settled });
    try {
      const firstOfToken = piece.first === 1 && job.mode === 'token' && !job.videoId;
      const sent = await this.deps.gate.request(
        run,
        () => (firstOfToken ? this.sendFirstTokenPart(run, client, piece) : this.sendOnce(run, client, piece)),
        { chunk: true },
      );
      this.ackPiece(run, piece, sent.video, sent.digests);
    } catch (error) {
      if (error instanceof ServerHas) {
        if (error.what === 'source-complete') {
          // Another run over this container sent its last request: every unit is there, no span is open.
          this.deps.store.replaceAcks(job, allParts(job));
          this.closeSpans(job);
        } else if (piece.span && job.mode === 'container') await this.askServer(run, client, piece);
        else this.ackPiece(run, piece, null, null);
        return;
      }
      if (!(error instanceof Stop) && !run.attempt.signal.aborted) run.attempt.abort(new Stop('close'));
      throw error;
    } finally {
      run.parts.delete(piece.key);
      settle();
    }
  }

  /**
   * A span the server says overlaps what it holds: with an API key its received ranges are the truth (another run
   * over the same container may have sent other spans); the span is forgotten and what is missing cut again.
   */
  private async askServer(run: Run, client: ApiVideoClient, piece: Piece): Promise<void> {
    const { job } = run;
    const status = await this.deps.gate.request(run, () => client.videos.status(job.videoId!));
    const held = unitsOfRanges(job.size, job.chunkSize!, status.ingest?.receivedBytes ?? []);
    this.deps.store.replaceAcks(job, [...new Set([...job.acked, ...held])]);
    this.forgetSpan(job, piece);
    run.progressEpoch += 1;
  }

  private forgetSpan(job: JobRecord, piece: Piece): void {
    if (!piece.span || !job.openSpans) return;
    this.deps.store.set(job, {
      openSpans: job.openSpans.filter(([a, b]) => a !== piece.first || b !== piece.last),
    });
  }

  /**
   * Records what the server confirmed, even when the run was paused or closed meanwhile (the units are on the
   * server, and a token upload's first reply names its video); a cancelled or removed job is abandoned.
   */
  private ackPiece(run: Run, piece: Piece, video: Video | null, digests: string[] | null): void {
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
    for (let unit = piece.first; unit <= piece.last; unit += 1)
      this.deps.store.ack(job, unit, digests?.[unit - piece.first] ?? null);
    if (video && piece.last === job.totalParts) run.lastReply = video;
    this.forgetSpan(job, piece);
    run.progressEpoch += 1;
    if (!stopped && job.state !== 'uploading') this.deps.store.set(job, { state: 'uploading' }, ['reason']);
    if (stopped) this.deps.store.sync();
  }

  /**
   * A token upload's first part: only its reply names the video, so it is journaled as sent before it leaves (see
   * sendOnce). When an earlier attempt may have landed without its reply, that video is looked for first.
   */
  private async sendFirstTokenPart(run: Run, client: ApiVideoClient, piece: Piece): Promise<Sent> {
    const { job } = run;
    if (job.firstChunkSentAt !== undefined) {
      const video = await recoverFirstReply(job, {
        keyClient: this.deps.options.keyClientFor?.(job.profileId),
        jobs: this.deps.store.jobs.values(),
        note: (job, restartReason) => this.deps.store.set(job, { restartReason }),
        log: this.deps.log,
      });
      if (video) return { video, digests: null }; // sent by the lost attempt: its digests are taken from disk at the end
    }
    return this.sendOnce(run, client, piece, true);
  }

  /**
   * One POST of one part: streamed from disk by byte range, throttled, watched for stalls. With `writeAhead` (a
   * token upload's first part) the journal records that it left, and forgets it when it surely did not land.
   */
  private async sendOnce(run: Run, client: ApiVideoClient, piece: Piece, writeAhead = false): Promise<Sent> {
    const { job } = run;
    checkWindow(job, serverNow(client), this.deps.options);
    const { range, key: part } = piece;
    const attempt = run.attempt.signal;
    // Room in the server's upload budget first (waiting for the next window rather than drawing a 429), so the stall
    // watch below only ever times the request itself.
    const release = await client.uploadBudget.reserve(attempt);
    let reader: PartReader;
    try {
      reader = await this.openPart(run, range, piece.span ? job.chunkSize! : range.length);
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
      await this.deps.store.flush();
    }
    try {
      const video = await client.uploadChunk({
        ...(job.videoId ? { videoId: job.videoId } : {}),
        contentRange: piece.contentRange,
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
      return { video, digests: await reader.digests() };
    } catch (error) {
      // Not all of it left, or the server answered with a refusal: no video can stand behind this attempt.
      const refused = error instanceof ApiVideoError && error.status !== undefined && error.status < 500;
      if (writeAhead && (last < range.length || refused)) this.deps.store.set(job, {}, ['firstChunkSentAt']);
      const unreadable = reader.readFailure;
      if (unreadable && !attempt.aborted) throw new Failure(unreadable);
      if (stop.signal.aborted && !attempt.aborted) throw stop.signal.reason;
      if (watch.stalled && !attempt.aborted)
        throw new StallError(`No progress for ${watch.seconds} s on ${describe(piece)}: aborted and retried.`);
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
  private async openPart(run: Run, range: PartRange, unit: number): Promise<PartReader> {
    const { job } = run;
    for (let tries = 0; tries < 3; tries += 1) {
      await this.checkContent(run);
      const reader = await PartReader.open(job, range, this.deps.bucket, unit);
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

/** A request's reply (the video, for a token upload's first part) and the digest of each unit that was sent. */
interface Sent {
  video: Video;
  digests: string[] | null;
}

/** A request in words, for messages. */
function describe(piece: Piece): string {
  return piece.span ? `bytes ${piece.range.start}-${piece.range.end}` : `part ${piece.first}`;
}
