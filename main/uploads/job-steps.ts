// One attempt at one file, step by step: check the file on disk (re-plan or start over when it changed), resume
// the known video or adopt our own container, skip content already uploaded, create the video, send the parts,
// then finalize (links, and waiting until playable when asked).
import { stat } from 'node:fs/promises';
import type { QueueSettings } from '../../common/contract/queue';
import { ApiVideoError, type ApiVideoClient, type Video } from '../apivideo/index';
import { describeReadError } from '../lib/read-error';
import { sleep, untilAborted } from '../lib/sleep';
import type { Credentials } from './credentials';
import { CONTENT_KEY, contentHashOf, hashParts, LocalContent } from './content-hash';
import { JOB_KEY, type EngineOptions, type LogFn } from './engine-types';
import {
  assertSameContent,
  changedMessage,
  compareSentParts,
  identityKey,
  identityOf,
  sameIdentity,
} from './file-identity';
import { fingerprintFile } from './fingerprint';
import type { JobStore } from './job-store';
import { Failure, Restart, Stop } from './outcomes';
import { chooseChunkSize, chooseUnit, defaultChunkSize, totalParts, unitsOfRanges } from './plan';
import type { JobPatch, JobRecord } from './records';
import type { RequestGate } from './request-gate';
import type { Run } from './run';
import type { PartSender } from './sender';
import type { DetailsSaver } from './video-details';
import {
  candidatesOf,
  containerMetadata,
  cutOf,
  earliest,
  provenTwins,
  sameFileContainers,
  type Call,
  type Cut,
} from './server-twins';
import type { VideoCleanup } from './video-cleanup';
import { allParts, assetsOf, checkWindow, isUploaded, metaValue, parseTime, serverNow } from './video-facts';

/** What the steps work with: the engine's parts, and what they read of its scheduler. */
export interface StepDeps {
  store: JobStore;
  gate: RequestGate;
  sender: PartSender;
  credentials: Credentials;
  cleanup: VideoCleanup;
  details: DetailsSaver;
  options: EngineOptions;
  now: () => number;
  log: LogFn;
  settings(): QueueSettings;
  /** The run is past its preparation: it no longer holds a preparing slot. */
  endPreparing(run: Run): void;
}

export class JobSteps {
  constructor(private readonly deps: StepDeps) {}

  /** One attempt at the whole file; throws Restart to start over as a new video. */
  async uploadJob(run: Run): Promise<void> {
    const { job } = run;
    const client = this.deps.credentials.clientFor(job.profileId);
    run.baseUrl = client.baseUrl;
    await this.verifyFile(run);
    const mode = client.authKind === 'uploadToken' ? 'token' : 'container';
    if (job.mode && job.mode !== mode)
      throw new Restart('The profile now uses a different kind of credential; the file starts over.');
    checkWindow(job, serverNow(client), this.deps.options);
    if (mode === 'container') {
      const ready = await this.prepareContainer(run, client);
      if (!ready) return;
    } else if (!job.videoId && !job.force) {
      const twin = await this.twinOfToken(run);
      if (twin) {
        this.skipJob(
          job,
          `Already uploaded with this profile as video ${twin.videoId ?? '?'} (${twin.where}), with the same content.`,
          twin,
        );
        return;
      }
    }
    if (!job.chunkSize) this.planJob(job, mode);
    this.deps.endPreparing(run);
    await this.deps.sender.sendParts(run, client);
    await this.finalize(run, client);
  }

  /**
   * Cuts the file: with a fixed chunk size, one request per part (`part n/T`); automatic, a grid of units sent with
   * byte ranges, each request's span of units chosen as it leaves (see PartSender). An empty file is always one
   * part: no byte range names zero bytes.
   */
  private planJob(job: JobRecord, mode: 'container' | 'token'): void {
    const setting = this.deps.settings().chunkSize;
    let patch: JobPatch;
    if (setting === 'adaptive' && job.size > 0) {
      const unit = chooseUnit(job.size);
      patch = { mode, chunkSize: unit, totalParts: totalParts(job.size, unit), byteRanges: true };
    } else {
      // An empty file under automatic sizes takes the default size, as it did when nothing was measured yet: its
      // one request carries no bytes, so the size is only the name of its cut (journal, content hash).
      const chunkSize = chooseChunkSize(job.size, setting === 'adaptive' ? defaultChunkSize : setting);
      patch = { mode, chunkSize, totalParts: totalParts(job.size, chunkSize) };
    }
    const expires = mode === 'token' ? this.deps.options.tokenExpiresAt?.(job.profileId) : undefined;
    if (expires !== undefined) patch.tokenExpiresAt = expires;
    this.deps.store.set(job, patch, ['byteRanges', 'openSpans']);
  }

  /**
   * The file as it is now. Once parts were acknowledged, a file whose identity moved goes on only when those parts
   * still hash as they were sent (a touch, a copy of the same bytes); otherwise it starts over as a new video. Before
   * that, a changed file is fingerprinted and its parts planned again.
   */
  private async verifyFile(run: Run): Promise<void> {
    const { job } = run;
    let info;
    try {
      info = await stat(job.path);
    } catch (error) {
      throw new Failure(describeReadError(error as NodeJS.ErrnoException, job.name));
    }
    if (sameIdentity(job, info) && job.fingerprint && job.ino !== undefined) return;
    if (job.acked.size > 0) {
      const verdict = await compareSentParts(job, info, run.attempt.signal);
      if (verdict.kind === 'changed') throw new Restart(changedMessage('since the upload started', verdict));
      this.deps.store.set(job, identityOf(info));
      return;
    }
    const changed = info.size !== job.size || info.mtimeMs !== job.mtimeMs;
    let fingerprint = job.fingerprint;
    if (changed || !fingerprint || job.ino === undefined) {
      try {
        fingerprint = await fingerprintFile(job.path, info.size);
      } catch (error) {
        throw new Failure(describeReadError(error as NodeJS.ErrnoException, job.name));
      }
    }
    const planned = job.chunkSize !== undefined;
    this.deps.store.set(job, { ...identityOf(info), fingerprint });
    if (changed && planned) {
      // Nothing acknowledged: cut the file as it is now. The server is asked again before anything is sent.
      this.deps.store.set(job, {}, ['chunkSize', 'totalParts', 'byteRanges', 'openSpans', 'partDigests']);
      run.replanned = true;
    }
  }

  /**
   * API key: resume the known video; continue our own container, or one of this very file left by a run that lost
   * its journal (or running beside us); skip content the account already holds (proved by hash); or create the
   * container and make sure no other run claimed the same file first.
   */
  private async prepareContainer(run: Run, client: ApiVideoClient): Promise<boolean> {
    const { job } = run;
    if (job.videoId) return this.syncWithServer(run, client);
    const call: Call = (fn) => this.deps.gate.request(run, fn);
    const candidates = await candidatesOf(job, client, call);
    const own = candidates.find((video) => metaValue(video, JOB_KEY) === `${job.id}:${job.restarts}`);
    if (own) {
      // Our own container from a run that died before journaling its id. Parts are only sent after the id is
      // journaled, so none can have been sent with a chunk size we do not know.
      if (!job.chunkSize) this.planJob(job, 'container');
      return this.adopt(run, client, own, null);
    }
    const fileKey = identityKey(await stat(job.path));
    if (!job.force) {
      const twin = earliest(await provenTwins(candidates, this.localContent(job), client, call));
      if (twin) {
        this.skipJob(
          job,
          `Already uploaded with this profile as video ${twin.videoId} ("${twin.title ?? ''}"), with the same content. Retry it to upload again anyway.`,
          {
            videoId: twin.videoId,
            ...assetsOf(twin),
          },
        );
        return false;
      }
      const left = earliest(sameFileContainers(candidates, fileKey).filter((video) => !metaValue(video, CONTENT_KEY)));
      if (left) {
        this.deps.log(
          'info',
          `${job.path}: continuing video ${left.videoId}, an upload of this same file that another run started`,
        );
        return this.adopt(run, client, left, cutOf(left));
      }
    }
    this.planJob(job, 'container');
    const video = await call(() =>
      client.videos.create({
        title: job.title,
        description: job.description,
        tags: job.tags,
        public: job.public,
        metadata: containerMetadata(job, fileKey),
        ...(job.choices?.playerId ? { playerId: job.choices.playerId } : {}),
        ...(job.choices?.watermarkId ? { watermark: { id: job.choices.watermarkId } } : {}),
      }),
    );
    if (run.controller.signal.aborted) {
      // Cancelled while the container was being created: do not leave it behind.
      void this.deps.cleanup.track(client.videos.delete(video.videoId).catch(() => {}));
      throw new Stop('cancel');
    }
    this.deps.store.set(job, {
      videoId: video.videoId,
      containerCreatedAt: parseTime(video.createdAt) ?? this.deps.now(),
      ...assetsOf(video),
    });
    await this.deps.store.flush(); // the container is journaled before anything is sent to it
    if (!job.force) await this.claim(run, client, fileKey);
    return true;
  }

  /**
   * Two runs over the same file (two state directories, a journal lost mid-run) may each create a container: the
   * earliest claim wins, and the others delete theirs and continue it. Each checks after creating its own, so the
   * later of two always sees both.
   */
  private async claim(run: Run, client: ApiVideoClient, fileKey: string): Promise<void> {
    const { job } = run;
    const call: Call = (fn) => this.deps.gate.request(run, fn);
    const rivals = sameFileContainers(await candidatesOf(job, client, call), fileKey);
    const winner = earliest(rivals);
    if (!winner || winner.videoId === job.videoId) return;
    const mine = job.videoId!;
    this.deps.log(
      'info',
      `${job.path}: another run claimed this file first (video ${winner.videoId}); continuing it and deleting ${mine}`,
    );
    void this.deps.cleanup.track(
      client.videos.delete(mine).then(
        () => {},
        () => {},
      ),
    );
    await this.adopt(run, client, winner, cutOf(winner));
  }

  /** Continues an existing container: its cut (when it differs from ours), its windows, the parts it holds. */
  private async adopt(run: Run, client: ApiVideoClient, video: Video, cut: Cut | null): Promise<boolean> {
    const { job } = run;
    const differs = cut && (cut.chunkSize !== job.chunkSize || cut.byteRanges !== (job.byteRanges ?? false));
    const patch: JobPatch = differs
      ? {
          mode: 'container',
          chunkSize: cut.chunkSize,
          totalParts: totalParts(job.size, cut.chunkSize),
          ...(cut.byteRanges ? { byteRanges: true } : {}),
        }
      : {};
    this.deps.store.set(
      job,
      {
        ...patch,
        videoId: video.videoId,
        containerCreatedAt: parseTime(video.createdAt) ?? this.deps.now(),
        ...assetsOf(video),
      },
      differs ? ['openSpans', ...(cut.byteRanges ? [] : (['byteRanges'] as const))] : [],
    );
    await this.deps.store.flush();
    return this.syncWithServer(run, client);
  }

  /** API key and a known video: the server's list of received parts is the truth. */
  private async syncWithServer(run: Run, client: ApiVideoClient): Promise<boolean> {
    const { job } = run;
    let status;
    try {
      status = await this.deps.gate.request(run, () => client.videos.status(job.videoId!));
    } catch (error) {
      if (error instanceof Restart)
        throw new Restart(`The video ${job.videoId} is no longer on the server; the file starts over as a new video.`);
      throw error;
    }
    const parts = job.byteRanges
      ? unitsOfRanges(job.size, job.chunkSize!, status.ingest?.receivedBytes ?? [])
      : (status.ingest?.receivedParts?.parts ?? []);
    if (run.replanned && (parts.length > 0 || isUploaded(status))) {
      // Parts of the file as it was reached the server after all (their acknowledgement was lost).
      throw new Restart(
        `The file changed since the upload started (the server already holds parts of the earlier version of it); it was uploaded again as a new video.`,
      );
    }
    this.deps.store.replaceAcks(
      job,
      isUploaded(status) ? allParts(job) : parts.filter((p) => p >= 1 && p <= (job.totalParts ?? 0)),
    );
    return true;
  }

  private skipJob(
    job: JobRecord,
    reason: string,
    existing: { videoId?: string; playerUrl?: string; embedCode?: string; mp4Url?: string; thumbnailUrl?: string },
  ): void {
    this.deps.store.set(job, {
      state: 'skipped',
      reason,
      finishedAt: this.deps.now(),
      ...(existing.videoId ? { videoId: existing.videoId } : {}),
      ...(existing.playerUrl ? { playerUrl: existing.playerUrl } : {}),
      ...(existing.embedCode ? { embedCode: existing.embedCode } : {}),
      ...(existing.mp4Url ? { mp4Url: existing.mp4Url } : {}),
      ...(existing.thumbnailUrl ? { thumbnailUrl: existing.thumbnailUrl } : {}),
    });
  }

  private async finalize(run: Run, client: ApiVideoClient): Promise<void> {
    const { job } = run;
    // "Done" means the server holds exactly the file's bytes: the file must still hold what was sent.
    await assertSameContent(job, (patch) => this.deps.store.set(job, patch), run.attempt.signal);
    if (!job.contentHash) this.deps.store.set(job, { contentHash: await this.contentHashOf(job, run.attempt.signal) });
    let owner: ApiVideoClient | null = client;
    if (job.mode === 'container') {
      // The last request's reply is the video as it stood when its source completed, metadata and all (after a
      // restart there is none, and a reply without metadata is not enough to merge the content hash into: ask).
      const reply = run.lastReply;
      const video =
        reply && reply.videoId === job.videoId && reply.metadata
          ? reply
          : await this.deps.gate.request(run, () => client.videos.get(job.videoId!));
      this.deps.store.set(job, assetsOf(video));
      if (metaValue(video, CONTENT_KEY) !== job.contentHash) {
        const metadata = [
          ...(video.metadata ?? []).filter((entry) => entry.key !== CONTENT_KEY),
          { key: CONTENT_KEY, value: job.contentHash! },
        ];
        await this.deps.gate.request(run, () => client.videos.update(job.videoId!, { metadata }));
      }
      if (!job.force && (await this.deferToTwin(run, client, video))) return;
    } else {
      // A token upload's details, and its encoding, are only within reach of an API key of the same account. The job
      // is finalizing meanwhile: the file is all on the server, so there is nothing left to pause or cancel.
      if (run.controller.signal.aborted) throw run.controller.signal.reason; // paused or cancelled just before
      this.deps.store.set(job, { state: 'finalizing' });
      // Closing does not wait for a slow server: the save goes on alone, and finalize runs again on restart.
      owner = await untilAborted(this.deps.details.save(job, job.videoId!), run.attempt.signal);
      if (owner) {
        const key = owner;
        const video = await this.deps.gate.request(run, () => key.videos.get(job.videoId!));
        if (!job.force && (await this.deferToTwin(run, key, video))) return;
      }
    }
    let note = job.restartReason;
    if (owner && this.deps.settings().waitForPlayable) {
      this.deps.store.set(job, { state: 'finalizing', encoding: 'encoding' });
      const encoded = await this.waitPlayable(run, owner);
      if (encoded === 'playable') {
        const video = await this.deps.gate.request(run, () => owner.videos.get(job.videoId!));
        this.deps.store.set(job, { ...assetsOf(video), encoding: 'playable' });
      } else if (encoded === 'failed') {
        this.deps.store.set(job, { encoding: 'failed' });
        note = `Uploaded whole, but api.video could not encode it: ${job.name} may not be a video it can play.`;
      }
    }
    this.deps.store.set(
      job,
      {
        state: 'done',
        finishedAt: this.deps.now(),
        ...(job.encoding ? {} : { encoding: 'pending' as const }),
        ...(note ? { reason: note } : {}),
      },
      note ? [] : ['reason'],
    );
    const rt = this.deps.store.runtimeOf(job.id);
    if (rt) rt.confirmed = job.size;
  }

  /**
   * Another run (another state directory, another machine with the same key) may have uploaded the same content at
   * the same time: of the identical videos the earliest stays, and a later one of ours is deleted, the job skipped.
   */
  private async deferToTwin(run: Run, client: ApiVideoClient, mine: Video): Promise<boolean> {
    const { job } = run;
    const call: Call = (fn) => this.deps.gate.request(run, fn);
    const listed = await candidatesOf(job, client, call);
    const twins = new Set(
      (await provenTwins(listed, this.localContent(job), client, call, mine.videoId)).map((video) => video.videoId),
    );
    const winner = earliest(listed.filter((video) => video.videoId === mine.videoId || twins.has(video.videoId)));
    if (!winner || winner.videoId === mine.videoId) return false;
    this.deps.log(
      'info',
      `${job.path}: video ${winner.videoId} holds the same content and was there first; deleting ${mine.videoId}`,
    );
    await this.deps.cleanup.track(
      client.videos.delete(mine.videoId).then(
        () => {},
        () => {},
      ),
    );
    this.skipJob(
      job,
      `Already uploaded with this profile as video ${winner.videoId}, with the same content (another upload of it finished at the same time; this copy was deleted).`,
      {
        videoId: winner.videoId,
        ...assetsOf(winner),
      },
    );
    return true;
  }

  /** The content hash from the digests of the parts as sent; a part sent by another run is hashed from disk. */
  private async contentHashOf(job: JobRecord, signal: AbortSignal): Promise<string> {
    const parts = allParts(job);
    const recorded = job.partDigests ?? {};
    const missing = parts.filter((part) => recorded[part] === undefined);
    const read = await hashParts(job.path, job.size, job.chunkSize!, missing, signal);
    return contentHashOf(
      job.chunkSize!,
      parts.map((part) => recorded[part] ?? read.get(part)!),
    );
  }

  /** The file's content by hash, for comparing with candidates (its own hash already known when done). */
  private localContent(job: JobRecord): LocalContent {
    const local = new LocalContent(job.path, job.size);
    if (job.contentHash && job.chunkSize) local.know(job.chunkSize, job.contentHash);
    return local;
  }

  /**
   * Token uploads: a job of the same profile done with the same content (proved by hash), or, with an API key of the
   * account lent, a video of the account holding it.
   */
  private async twinOfToken(
    run: Run,
  ): Promise<{ videoId?: string; playerUrl?: string; embedCode?: string; mp4Url?: string; where: string } | undefined> {
    const { job } = run;
    const local = this.localContent(job);
    for (const other of this.deps.store.jobs.values()) {
      if (
        other.id === job.id ||
        other.state !== 'done' ||
        other.profileId !== job.profileId ||
        other.fingerprint !== job.fingerprint
      )
        continue;
      if (other.contentHash && (await local.matches(other.contentHash))) return { ...other, where: other.path };
    }
    const key = this.deps.options.keyClientFor?.(job.profileId);
    if (!key) return undefined;
    const call: Call = (fn) => this.deps.gate.request(run, fn);
    try {
      const twin = earliest(await provenTwins(await candidatesOf(job, key, call), local, key, call));
      return twin ? { videoId: twin.videoId, ...assetsOf(twin), where: `"${twin.title ?? ''}"` } : undefined;
    } catch (error) {
      // A borrowed key that no longer works must not fail an upload whose own token does.
      if (error instanceof ApiVideoError && !error.retryable) return undefined;
      throw error;
    }
  }

  /** Follows the video's encoding until it is playable, every quality failed, or the wait runs out. */
  private async waitPlayable(run: Run, client: ApiVideoClient): Promise<'playable' | 'failed' | 'timeout'> {
    const { job } = run;
    const deadline = this.deps.now() + (this.deps.options.playableTimeoutMs ?? 30 * 60_000);
    while (this.deps.now() < deadline) {
      const status = await this.deps.gate.request(run, () => client.videos.status(job.videoId!));
      if (status.encoding?.playable) return 'playable';
      const qualities = status.encoding?.qualities ?? [];
      if (qualities.length > 0 && qualities.every((quality) => quality.status === 'failed')) return 'failed';
      await sleep(this.deps.options.playablePollMs ?? 2000, run.attempt.signal);
    }
    this.deps.log('warn', `${job.path}: not playable yet after waiting; the upload itself is complete.`);
    return 'timeout';
  }
}
