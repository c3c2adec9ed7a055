// One attempt at one file, step by step: check the file on disk (re-plan or start over when it changed), resume
// the known video or adopt our own container, skip content already uploaded, create the video, send the parts,
// then finalize (links, and waiting until playable when asked).
import { stat } from 'node:fs/promises';
import type { QueueSettings } from '../../common/contract/queue';
import type { ApiVideoClient } from '../apivideo/index';
import { sleep, untilAborted } from '../lib/sleep';
import type { Credentials } from './credentials';
import { FINGERPRINT_KEY, JOB_KEY, type EngineOptions, type LogFn } from './engine-types';
import { classifyFailure } from './failure';
import { fingerprintFile } from './fingerprint';
import type { JobStore } from './job-store';
import { Failure, Restart, Stop } from './outcomes';
import { chooseChunkSize, totalParts } from './plan';
import type { JobPatch, JobRecord } from './records';
import type { RequestGate } from './request-gate';
import type { Run } from './run';
import type { PartSender } from './sender';
import type { DetailsSaver } from './video-details';
import type { VideoCleanup } from './video-cleanup';
import { allParts, assetsOf, checkWindow, isUploaded, metaValue, parseTime } from './video-facts';

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
  /** Requests in flight now and the whole queue's bytes per second: the adaptive chunk size shares one among the other. */
  load(): { pending: number; speed: number };
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
    const load = this.deps.load();
    const chunkSize = chooseChunkSize(job.size, this.deps.settings().chunkSize, load.speed / Math.max(1, load.pending));
    const patch: JobPatch = { mode, chunkSize, totalParts: totalParts(job.size, chunkSize) };
    const expires = mode === 'token' ? this.deps.options.tokenExpiresAt?.(job.profileId) : undefined;
    if (expires !== undefined) patch.tokenExpiresAt = expires;
    this.deps.store.set(job, patch);
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
    this.deps.store.set(job, { size: info.size, mtimeMs: info.mtimeMs, fingerprint });
    if (changed && job.acked.size > 0) {
      throw new Restart(`The file changed since the upload started (${what}); it was uploaded again as a new video.`);
    }
    if (changed && planned) {
      // Nothing acknowledged: cut the file as it is now. The server is asked again before anything is sent.
      this.deps.store.set(job, {}, ['chunkSize', 'totalParts']);
      run.replanned = true;
    }
  }

  /** API key: resume the known video, adopt our own container, skip a duplicate, or create the container. */
  private async prepareContainer(run: Run, client: ApiVideoClient): Promise<boolean> {
    const { job } = run;
    if (job.videoId) return this.syncWithServer(run, client);
    const found = await this.deps.gate.request(run, () => client.videos.list({ metadata: { [FINGERPRINT_KEY]: job.fingerprint! }, pageSize: 100 }));
    const ownKey = `${job.id}:${job.restarts}`;
    const own = found.data.find((video) => metaValue(video, JOB_KEY) === ownKey);
    if (own) {
      // Our own container from a run that died before journaling its id. Parts are only sent after the id is
      // journaled, so none can have been sent with a chunk size we do not know.
      if (!job.chunkSize) this.planJob(job, 'container');
      this.deps.store.set(job, { videoId: own.videoId, containerCreatedAt: parseTime(own.createdAt) ?? this.deps.now(), ...assetsOf(own) });
      return this.syncWithServer(run, client);
    }
    if (!job.force) {
      for (const video of found.data) {
        if (metaValue(video, JOB_KEY)?.startsWith(`${job.id}:`)) continue;
        const status = await this.deps.gate.request(run, () => client.videos.status(video.videoId));
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
    const video = await this.deps.gate.request(run, () =>
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
      void this.deps.cleanup.track(client.videos.delete(video.videoId).catch(() => {}));
      throw new Stop('cancel');
    }
    this.deps.store.set(job, { videoId: video.videoId, containerCreatedAt: parseTime(video.createdAt) ?? this.deps.now(), ...assetsOf(video) });
    this.deps.store.sync();
    return true;
  }

  /** API key and a known video: the server's list of received parts is the truth. */
  private async syncWithServer(run: Run, client: ApiVideoClient): Promise<boolean> {
    const { job } = run;
    let status;
    try {
      status = await this.deps.gate.request(run, () => client.videos.status(job.videoId!));
    } catch (error) {
      if (error instanceof Restart) throw new Restart(`The video ${job.videoId} is no longer on the server; the file starts over as a new video.`);
      throw error;
    }
    const parts = status.ingest?.receivedParts?.parts ?? [];
    if (run.replanned && (parts.length > 0 || isUploaded(status))) {
      // Parts of the file as it was reached the server after all (their acknowledgement was lost).
      throw new Restart(`The file changed since the upload started (the server already holds parts of the earlier version of it); it was uploaded again as a new video.`);
    }
    this.deps.store.replaceAcks(job, isUploaded(status) ? allParts(job) : parts.filter((p) => p >= 1 && p <= (job.totalParts ?? 0)));
    return true;
  }

  /** Token profiles: a job of the same profile with the same content already done. */
  private journalTwin(job: JobRecord): JobRecord | undefined {
    for (const other of this.deps.store.jobs.values()) {
      if (other.id !== job.id && other.state === 'done' && other.profileId === job.profileId && other.fingerprint === job.fingerprint) return other;
    }
    return undefined;
  }

  private skipJob(job: JobRecord, reason: string, existing: { videoId?: string; playerUrl?: string; embedCode?: string; mp4Url?: string }): void {
    this.deps.store.set(job, {
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
      const video = await this.deps.gate.request(run, () => client.videos.get(job.videoId!));
      this.deps.store.set(job, assetsOf(video));
    }
    // A token upload's details, and its encoding, are only within reach of an API key of the same account. The job
    // is finalizing meanwhile: the file is all on the server, so there is nothing left to pause or cancel.
    let owner: ApiVideoClient | null = client;
    if (job.mode === 'token') {
      if (run.controller.signal.aborted) throw run.controller.signal.reason; // paused or cancelled just before
      this.deps.store.set(job, { state: 'finalizing' });
      // Closing does not wait for a slow server: the save goes on alone, and finalize runs again on restart.
      owner = await untilAborted(this.deps.details.save(job, job.videoId!), run.attempt.signal);
    }
    if (owner && this.deps.settings().waitForPlayable) {
      this.deps.store.set(job, { state: 'finalizing', encoding: 'encoding' });
      const playable = await this.waitPlayable(run, owner);
      if (playable) {
        const video = await this.deps.gate.request(run, () => owner.videos.get(job.videoId!));
        this.deps.store.set(job, { ...assetsOf(video), encoding: 'playable' });
      }
    }
    this.deps.store.set(
      job,
      {
        state: 'done',
        finishedAt: this.deps.now(),
        ...(job.encoding ? {} : { encoding: 'pending' as const }),
        ...(job.restartReason ? { reason: job.restartReason } : {}),
      },
      job.restartReason ? [] : ['reason'],
    );
    const rt = this.deps.store.runtimeOf(job.id);
    if (rt) rt.confirmed = job.size;
  }

  private async waitPlayable(run: Run, client: ApiVideoClient): Promise<boolean> {
    const { job } = run;
    const deadline = this.deps.now() + (this.deps.options.playableTimeoutMs ?? 30 * 60_000);
    while (this.deps.now() < deadline) {
      const status = await this.deps.gate.request(run, () => client.videos.status(job.videoId!));
      if (status.encoding?.playable) return true;
      await sleep(this.deps.options.playablePollMs ?? 2000, run.attempt.signal);
    }
    this.deps.log('warn', `${job.path}: not playable yet after waiting; the upload itself is complete.`);
    return false;
  }
}
