// One attempt at one file, step by step: check the file on disk (re-plan or start over when it changed), resume
// the known video or adopt our own container, skip content already uploaded, create the video, send the parts,
// then finalize (links, and waiting until playable when asked).
import { stat } from 'node:fs/promises';
import type { QueueSettings } from '../../common/contract/queue';
import type { ApiVideoClient } from '../apivideo/index';
import { sleep, untilAborted } from '../lib/sleep';
import { FINGERPRINT_KEY, JOB_KEY, type EngineOptions, type LogFn } from './engine-types';
import { classifyFailure } from './failure';
import { fingerprintFile } from './fingerprint';
import type { Journal } from './journal';
import { chooseChunkSize, totalParts } from './plan';
import type { JobPatch, JobRecord } from './records';
import { Failure, Restart, Stop, type JobRuntime, type Run } from './run';
import type { PartSender } from './sender';
import { allParts, assetsOf, checkWindow, isUploaded, metaValue, parseTime } from './video-facts';

/** What the steps use of the engine. */
export interface StepDeps {
  journal: Journal;
  sender: PartSender;
  runtime: ReadonlyMap<string, JobRuntime>;
  options: EngineOptions;
  now: () => number;
  log: LogFn;
  settings(): QueueSettings;
  /** Requests in flight now (the adaptive chunk size shares the measured speed among them). */
  pendingRequests(): number;
  /** Bytes per second of the whole queue. */
  queueSpeed(): number;
  setJob(job: JobRecord, patch: JobPatch, clear?: (keyof JobRecord)[]): void;
  markDirty(id: string): void;
  /** The profile's client; throws NoCredentials when it has none this session. */
  credentialsOf(profileId: string): ApiVideoClient;
  confirmedOf(job: JobRecord): number;
  /** The run is past its preparation: it no longer holds a preparing slot. */
  endPreparing(run: Run): void;
  trackCleanup(promise: Promise<void>): Promise<void>;
  /** Sets the job's details on its video (see DetailsSaver.save): the client that did, or null. */
  saveDetails(job: JobRecord, videoId: string): Promise<ApiVideoClient | null>;
}

export class JobSteps {
  constructor(private readonly deps: StepDeps) {}

  /** One attempt at the whole file; throws Restart to start over as a new video. */
  async uploadJob(run: Run): Promise<void> {
    const { job } = run;
    const client = this.deps.credentialsOf(job.profileId);
    run.baseUrl = client.baseUrl;
    await this.verifyFile(run);
    const mode = client.authKind === 'uploadToken' ? 'token' : 'container';
    if (job.mode && job.mode !== mode) throw new Restart('The profile now uses a different kind of credential; the file starts over.');
    checkWindow(job, this.deps.now(), this.deps.options);
    if (mode === 'container') {
      const ready = await this.prepareContainer(run, client);
      if (!ready) return;
    } else if (!job.videoId && !job.force) {
      const twin = this.journalTwin(job);
      if (twin) {
        this.skipJob(job, `Already uploaded with this profile as video ${twin.videoId ?? '?'} (${twin.path}).`, twin);
        return;
      }
    }
    if (!job.chunkSize) this.planJob(job, mode);
    this.deps.endPreparing(run);
    await this.deps.sender.sendParts(run, client);
    await this.finalize(run, client);
  }

  private planJob(job: JobRecord, mode: 'container' | 'token'): void {
    const active = Math.max(1, this.deps.pendingRequests());
    const chunkSize = chooseChunkSize(job.size, this.deps.settings().chunkSize, this.deps.queueSpeed() / active);
    const patch: JobPatch = { mode, chunkSize, totalParts: totalParts(job.size, chunkSize) };
    const expires = mode === 'token' ? this.deps.options.tokenExpiresAt?.(job.profileId) : undefined;
    if (expires !== undefined) patch.tokenExpiresAt = expires;
    this.deps.setJob(job, patch);
  }

  /**
   * Size or mtime changed: once a part was acknowledged the file starts over as a new video (a few sampled
   * bytes cannot prove an edit elsewhere left the sent parts valid); before that, the parts are planned again.
   */
  private async verifyFile(run: Run): Promise<void> {
    const { job } = run;
    let info;
    try {
      info = await stat(job.path);
    } catch (error) {
      const verdict = classifyFailure(error);
      throw new Failure(verdict.kind === 'fail' ? verdict.message : String(error));
    }
    const changed = info.size !== job.size || info.mtimeMs !== job.mtimeMs;
    if (!changed && job.fingerprint) return;
    const fingerprint = await fingerprintFile(job.path, info.size);
    const what = info.size !== job.size ? `its size went from ${job.size} to ${info.size} bytes` : 'it was modified';
    const planned = job.chunkSize !== undefined;
    this.deps.setJob(job, { size: info.size, mtimeMs: info.mtimeMs, fingerprint });
    if (changed && job.acked.size > 0) {
      throw new Restart(`The file changed since the upload started (${what}); it was uploaded again as a new video.`);
    }
    if (changed && planned) {
      // Nothing acknowledged: cut the file as it is now. The server is asked again before anything is sent.
      this.deps.setJob(job, {}, ['chunkSize', 'totalParts']);
      run.replanned = true;
    }
  }

  /** API key: resume the known video, adopt our own container, skip a duplicate, or create the container. */
  private async prepareContainer(run: Run, client: ApiVideoClient): Promise<boolean> {
    const { job } = run;
    if (job.videoId) return this.syncWithServer(run, client);
    const found = await this.deps.sender.request(run, () => client.videos.list({ metadata: { [FINGERPRINT_KEY]: job.fingerprint! }, pageSize: 100 }));
    const ownKey = `${job.id}:${job.restarts}`;
    const own = found.data.find((video) => metaValue(video, JOB_KEY) === ownKey);
    if (own) {
      // Our own container from a run that died before journaling its id. Parts are only sent after the id is
      // journaled, so none can have been sent with a chunk size we do not know.
      if (!job.chunkSize) this.planJob(job, 'container');
      this.deps.setJob(job, { videoId: own.videoId, containerCreatedAt: parseTime(own.createdAt) ?? this.deps.now(), ...assetsOf(own) });
      return this.syncWithServer(run, client);
    }
    if (!job.force) {
      for (const video of found.data) {
        if (metaValue(video, JOB_KEY)?.startsWith(`${job.id}:`)) continue;
        const status = await this.deps.sender.request(run, () => client.videos.status(video.videoId));
        if (isUploaded(status)) {
          this.skipJob(job, `Already uploaded with this profile as video ${video.videoId} ("${video.title ?? ''}"). Retry it to upload again anyway.`, {
            videoId: video.videoId,
            ...assetsOf(video),
          });
          return false;
        }
      }
    }
    this.planJob(job, 'container');
    const video = await this.deps.sender.request(run, () =>
      client.videos.create({
        title: job.title,
        description: job.description,
        tags: job.tags,
        public: job.public,
        metadata: [
          { key: FINGERPRINT_KEY, value: job.fingerprint! },
          { key: JOB_KEY, value: ownKey },
        ],
      }),
    );
    if (run.controller.signal.aborted) {
      // Cancelled while the container was being created: do not leave it behind.
      void this.deps.trackCleanup(client.videos.delete(video.videoId).catch(() => {}));
      throw new Stop('cancel');
    }
    this.deps.setJob(job, { videoId: video.videoId, containerCreatedAt: parseTime(video.createdAt) ?? this.deps.now(), ...assetsOf(video) });
    this.deps.journal.sync();
    return true;
  }

  /** API key and a known video: the server's list of received parts is the truth. */
  private async syncWithServer(run: Run, client: ApiVideoClient): Promise<boolean> {
    const { job } = run;
    let status;
    try {
      status = await this.deps.sender.request(run, () => client.videos.status(job.videoId!));
    } catch (error) {
      if (error instanceof Restart) throw new Restart(`The video ${job.videoId} is no longer on the server; the file starts over as a new video.`);
      throw error;
    }
    const parts = status.ingest?.receivedParts?.parts ?? [];
    if (run.replanned && (parts.length > 0 || isUploaded(status))) {
      // Parts of the file as it was reached the server after all (their acknowledgement was lost).
      throw new Restart(`The file changed since the upload started (the server already holds parts of the earlier version of it); it was uploaded again as a new video.`);
    }
    if (isUploaded(status)) {
      this.deps.journal.replaceAcks(job.id, allParts(job));
    } else {
      this.deps.journal.replaceAcks(job.id, parts.filter((p) => p >= 1 && p <= (job.totalParts ?? 0)));
    }
    const rt = this.deps.runtime.get(job.id);
    if (rt) rt.confirmed = this.deps.confirmedOf(job);
    this.deps.markDirty(job.id);
    return true;
  }

  /** Token profiles: a job of the same profile with the same content already done. */
  private journalTwin(job: JobRecord): JobRecord | undefined {
    for (const other of this.deps.journal.jobs.values()) {
      if (other.id !== job.id && other.state === 'done' && other.profileId === job.profileId && other.fingerprint === job.fingerprint) return other;
    }
    return undefined;
  }

  private skipJob(job: JobRecord, reason: string, existing: { videoId?: string; playerUrl?: string; embedCode?: string; mp4Url?: string }): void {
    this.deps.setJob(job, {
      state: 'skipped',
      reason,
      finishedAt: this.deps.now(),
      ...(existing.videoId ? { videoId: existing.videoId } : {}),
      ...(existing.playerUrl ? { playerUrl: existing.playerUrl } : {}),
      ...(existing.embedCode ? { embedCode: existing.embedCode } : {}),
      ...(existing.mp4Url ? { mp4Url: existing.mp4Url } : {}),
    });
  }

  private async finalize(run: Run, client: ApiVideoClient): Promise<void> {
    const { job } = run;
    if (job.mode === 'container' && !job.playerUrl) {
      const video = await this.deps.sender.request(run, () => client.videos.get(job.videoId!));
      this.deps.setJob(job, assetsOf(video));
    }
    // A token upload's details, and its encoding, are only within reach of an API key of the same account. The job
    // is finalizing meanwhile: the file is all on the server, so there is nothing left to pause or cancel.
    let owner: ApiVideoClient | null = client;
    if (job.mode === 'token') {
      if (run.controller.signal.aborted) throw run.controller.signal.reason; // paused or cancelled just before
      this.deps.setJob(job, { state: 'finalizing' });
      // Closing does not wait for a slow server: the save goes on alone, and finalize runs again on restart.
      owner = await untilAborted(this.deps.saveDetails(job, job.videoId!), run.attempt.signal);
    }
    if (owner && this.deps.settings().waitForPlayable) {
      this.deps.setJob(job, { state: 'finalizing', encoding: 'encoding' });
      const playable = await this.waitPlayable(run, owner);
      if (playable) {
        const video = await this.deps.sender.request(run, () => owner.videos.get(job.videoId!));
        this.deps.setJob(job, { ...assetsOf(video), encoding: 'playable' });
      }
    }
    this.deps.setJob(
      job,
      {
        state: 'done',
        finishedAt: this.deps.now(),
        ...(job.encoding ? {} : { encoding: 'pending' as const }),
        ...(job.restartReason ? { reason: job.restartReason } : {}),
      },
      job.restartReason ? [] : ['reason'],
    );
    const rt = this.deps.runtime.get(job.id);
    if (rt) rt.confirmed = job.size;
  }

  private async waitPlayable(run: Run, client: ApiVideoClient): Promise<boolean> {
    const { job } = run;
    const deadline = Date.now() + (this.deps.options.playableTimeoutMs ?? 30 * 60_000);
    while (Date.now() < deadline) {
      const status = await this.deps.sender.request(run, () => client.videos.status(job.videoId!));
      if (status.encoding?.playable) return true;
      await sleep(this.deps.options.playablePollMs ?? 2000, run.attempt.signal);
    }
    this.deps.log('warn', `${job.path}: not playable yet after waiting; the upload itself is complete.`);
    return false;
  }
}
