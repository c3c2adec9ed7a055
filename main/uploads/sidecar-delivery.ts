// The engine's side of a file's sidecars (issue 17): they wait on the job until its source is complete, then go to
// the sidecar uploader (journaled in sidecars.json) through the API key that may send them; the row sees each one.
import { basename } from 'node:path';
import type { SidecarView } from '../../common/contract/queue';
import type { SidecarApi } from '../apivideo/index';
import { sidecarsNeedKey } from '../apivideo/index';
import { languageTag, sidecarKey, type Sidecar, type SidecarProblem } from '../media/sidecars';
import { SidecarUploader, type SidecarEntry } from '../media/sidecar-upload';
import { sidecarsOf } from './media-check';
import type { Credentials } from './credentials';
import type { EngineOptions, LogFn } from './engine-types';
import type { JobStore } from './job-store';
import type { JobRecord } from './records';

export interface SidecarDeliveryDeps {
  store: JobStore;
  credentials: Credentials;
  options: Pick<EngineOptions, 'stateDir' | 'keyClientFor'>;
  /** The job's row changed. */
  markDirty(id: string): void;
  log: LogFn;
}

/**
 * What became of a sidecar file that appeared beside a queued video after the video was checked: attached to the
 * job (sent once its source is complete, or now), already the job's, shown on the row as invalid (with why), or
 * ignored (not the video's, or the job takes none).
 */
export type LateSidecar =
  | { outcome: 'attached'; key: string }
  | { outcome: 'known'; key: string }
  | { outcome: 'invalid'; reason: string }
  | { outcome: 'ignored'; reason: string };

/** Jobs whose sidecars are not for sending: nothing of theirs arrives (cancelled), or the video was already there. */
const notSent = new Set(['cancelled', 'skipped']);

export class SidecarDelivery {
  private readonly uploader: SidecarUploader;
  /** Jobs by the video their sidecars go to, for the uploader's events and calls. */
  private readonly byVideo = new Map<string, string>();

  constructor(private readonly deps: SidecarDeliveryDeps) {
    this.uploader = new SidecarUploader({
      stateDir: deps.options.stateDir,
      api: (videoId) => {
        const job = this.jobOfVideo(videoId);
        return job ? this.apiFor(job) : undefined;
      },
      onChange: ({ videoId, key, entry }) => {
        const job = this.jobOfVideo(videoId);
        if (job) this.deps.markDirty(job.id);
        if (entry.state === 'failed' || entry.state === 'needs-key')
          this.deps.log('warn', `${job?.path ?? videoId}: ${key} not sent: ${entry.reason ?? entry.state}`);
      },
    });
    if (this.uploader.notice) deps.log('warn', this.uploader.notice);
  }

  /** At start: hands on what a crash left between the source completing and the hand-over, then sends the rest. */
  start(): void {
    for (const job of this.deps.store.ordered()) this.changed(job);
    this.uploader.resume().catch((error: unknown) => this.failed(error));
  }

  /** A job reached a new state: once its source is complete, its sidecars go to the uploader. */
  changed(job: JobRecord): void {
    if (job.state !== 'done' || !job.videoId || job.sidecarsHanded || !job.sidecars?.length) return;
    this.byVideo.set(job.videoId, job.id);
    const { videoId } = job;
    const sidecars = job.sidecars;
    // Journaled by the uploader before it sends; a crash before the flag below is set hands them on again, and the
    // uploader keeps what it journaled already: nothing lost, nothing sent twice.
    this.uploader.add(videoId, sidecars).then(
      () => {
        if (this.deps.store.holds(job)) this.deps.store.set(job, { sidecarsHanded: true });
      },
      (error: unknown) => this.failed(error),
    );
  }

  /** What the row shows of each sidecar, or undefined when the file has none. */
  views(job: JobRecord): SidecarView[] | undefined {
    // Most jobs have none: no journal read, no credential look-up on their every view.
    if (notSent.has(job.state) || (!job.sidecars?.length && !job.sidecarProblems?.length)) return undefined;
    const views: SidecarView[] = [];
    const sent = job.videoId && (job.sidecarsHanded || job.state === 'done') ? this.uploader.entries(job.videoId) : {};
    const handed = Object.keys(sent).length > 0;
    const canSend = job.sidecars?.length ? (this.apiFor(job)?.canSend ?? true) : true;
    for (const sidecar of job.sidecars ?? []) {
      const key = sidecarKey(sidecar);
      const entry = sent[key];
      if (handed && !entry) continue; // dropped after the hand-over
      views.push(viewOf(sidecar, entry, canSend, job.path));
    }
    for (const problem of job.sidecarProblems ?? []) {
      views.push({
        key: `file:${basename(problem.path)}`,
        kind: 'unknown',
        path: problem.path,
        state: 'invalid',
        reason: problem.reason,
      });
    }
    return views.length > 0 ? views : undefined;
  }

  /**
   * Chooses the job's sidecars again as a CSV said (the default caption, the chapters' language, a thumbnail image
   * or a frame of the video); undefined when done, or why it cannot be (they were handed on already).
   */
  async choose(job: JobRecord, choices: NonNullable<JobRecord['choices']>): Promise<string | undefined> {
    if (job.sidecarsHanded)
      return 'its captions, chapters and thumbnail were sent already; the choices for them were not applied.';
    let sidecars: Sidecar[] = job.sidecars ?? [];
    let problems = job.sidecarProblems ?? [];
    if (choices.captionDefault || choices.chaptersLanguage) {
      const found = await sidecarsOf(job.path, {
        ...(choices.captionDefault ? { defaultCaption: choices.captionDefault } : {}),
        ...(choices.chaptersLanguage ? { chapterLanguage: choices.chaptersLanguage } : {}),
      });
      sidecars = found.sidecars;
      problems = found.problems;
    }
    const thumbnail: Sidecar | undefined = choices.thumbnail
      ? { kind: 'thumbnail', path: choices.thumbnail }
      : choices.thumbnailTimecode
        ? { kind: 'frame', timecode: choices.thumbnailTimecode }
        : undefined;
    if (thumbnail) sidecars = [...sidecars.filter((s) => sidecarKey(s) !== 'thumbnail'), thumbnail];
    if (!this.deps.store.holds(job)) return undefined;
    this.deps.store.set(job, { sidecars, sidecarProblems: problems });
    this.changed(job); // a file already uploaded sends them now
    return undefined;
  }

  /**
   * A caption, chapters or thumbnail file that appeared beside the job's video after its media check (a watch
   * folder's late arrival): checked as the check checks sidecars (the same pairing and preferences, read and
   * validated), put on the job, and sent once its source is complete, at once when it is (the video is not sent
   * again). One already sent for that key is not replaced. The caller lets the job's own check run first.
   */
  async attach(job: JobRecord, path: string): Promise<LateSidecar> {
    const file = basename(path);
    if (job.noSidecars) return { outcome: 'ignored', reason: `${job.name} was added to go without its sidecars` };
    if (notSent.has(job.state)) return { outcome: 'ignored', reason: `${job.name} is ${job.state}` };
    // Not checked yet (the check runs before a byte is sent): the check finds the file itself.
    if (!job.checked && !job.videoId && job.acked.size === 0)
      return { outcome: 'ignored', reason: `${job.name} was not checked yet; its check finds ${file}` };
    const choices = job.choices ?? {};
    const found = await sidecarsOf(job.path, {
      ...(choices.captionDefault ? { defaultCaption: choices.captionDefault } : {}),
      ...(choices.chaptersLanguage ? { chapterLanguage: choices.chaptersLanguage } : {}),
    });
    if (!this.deps.store.holds(job)) return { outcome: 'ignored', reason: `${job.name} left the queue` };
    const sidecar = found.sidecars.find((s) => 'path' in s && s.path === path);
    const problem = found.problems.find((p) => p.path === path);
    const current = job.sidecars ?? [];
    const problems = job.sidecarProblems ?? [];
    const invalid = (reason: string): LateSidecar => {
      const others = problems.filter((p) => p.path !== path);
      if (!current.some((s) => 'path' in s && s.path === path))
        this.deps.store.set(job, { sidecarProblems: [...others, { path, reason }] });
      return { outcome: 'invalid', reason };
    };
    if (!sidecar) {
      return problem
        ? invalid(problem.reason)
        : { outcome: 'ignored', reason: `${file} is not named as a caption, chapters or thumbnail of ${job.name}` };
    }
    const key = sidecarKey(sidecar);
    const existing = current.find((s) => sidecarKey(s) === key);
    if (existing && 'path' in existing && existing.path === path) return { outcome: 'known', key };
    const from = existing?.kind === 'frame' ? `the frame at ${existing.timecode}` : existing && basename(existing.path);
    if (job.videoId && this.uploader.entries(job.videoId)[key])
      return invalid(`${file}: ${describeKey(key)} went with the video already, from ${from ?? 'another file'}`);
    if (key === 'thumbnail' && (choices.thumbnail || choices.thumbnailTimecode))
      return invalid(`${file}: the thumbnail comes from ${from ?? 'the CSV'} instead, as the CSV chose`);
    const rest = current.filter((s) => s !== existing);
    const attached: Sidecar =
      sidecar.kind === 'caption'
        ? { ...sidecar, isDefault: isDefaultCaption(sidecar.language, rest, choices) }
        : sidecar;
    // A file it replaces (NAME.en.srt when NAME.en.vtt arrives) is named on the row, as the check names it.
    const replaced: SidecarProblem[] =
      existing && 'path' in existing ? found.problems.filter((p) => p.path === existing.path) : [];
    this.deps.store.set(job, {
      sidecars: [...rest, attached],
      sidecarProblems: [...problems.filter((p) => p.path !== path), ...replaced],
    });
    if (job.state === 'done' && job.videoId && job.sidecarsHanded) {
      // Its others went to the uploader already: this one joins them there (the uploader keeps their states).
      this.byVideo.set(job.videoId, job.id);
      this.uploader.add(job.videoId, [attached]).catch((error: unknown) => this.failed(error));
    } else this.changed(job);
    return { outcome: 'attached', key };
  }

  /** Leaves one sidecar unsent: from the job before the hand-over, from the uploader's journal after. */
  async drop(job: JobRecord, key: string): Promise<boolean> {
    if (key.startsWith('file:')) {
      const problems = (job.sidecarProblems ?? []).filter((p) => `file:${basename(p.path)}` !== key);
      if (problems.length === (job.sidecarProblems ?? []).length) return false;
      this.deps.store.set(job, { sidecarProblems: problems });
      return true;
    }
    const sidecars = job.sidecars ?? [];
    const dropped = sidecars.find((s) => sidecarKey(s) === key);
    if (!dropped) return false;
    if (job.videoId) {
      const entry = this.uploader.entries(job.videoId)[key];
      if (entry?.state === 'done' || entry?.state === 'sending') return false; // on the server, or on its way
      if (entry) await this.uploader.drop(job.videoId, key);
    }
    this.deps.store.set(job, { sidecars: sidecars.filter((s) => s !== dropped) });
    return true;
  }

  /** Resolves once every sidecar handed on was sent, failed or waits for a key (their retries included). */
  settled(): Promise<void> {
    return this.uploader.settled();
  }

  close(): void {
    this.uploader.close();
  }

  /** The calls that may send a job's sidecars: its own key, or for a token upload a key of the same account. */
  private apiFor(job: JobRecord): SidecarApi | undefined {
    const own = this.deps.credentials.clientOrNull(job.profileId);
    if (own?.authKind !== 'uploadToken') return own?.sidecars;
    return this.deps.options.keyClientFor?.(job.profileId)?.sidecars ?? own.sidecars;
  }

  private jobOfVideo(videoId: string): JobRecord | undefined {
    const id = this.byVideo.get(videoId);
    const known = id ? this.deps.store.get(id) : undefined;
    if (known?.videoId === videoId) return known;
    for (const job of this.deps.store.ordered()) {
      if (job.videoId !== videoId || !job.sidecars) continue;
      this.byVideo.set(videoId, job.id);
      return job;
    }
    return undefined;
  }

  private failed(error: unknown): void {
    this.deps.log('error', `sidecars: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A journal key in words: 'captions in en', 'chapters in fr', 'the thumbnail'. */
function describeKey(key: string): string {
  const [kind, language] = key.split(':');
  if (kind === 'caption') return `captions in ${language}`;
  return kind === 'chapters' ? `chapters in ${language}` : 'the thumbnail';
}

/**
 * Whether a caption that arrives late is the video's default: the language a CSV chose, else only when the job has
 * no default caption yet (one already sent stays the default).
 */
function isDefaultCaption(language: string, others: Sidecar[], choices: NonNullable<JobRecord['choices']>): boolean {
  const wanted = choices.captionDefault ? languageTag(choices.captionDefault) : null;
  if (wanted) return language === wanted;
  return !others.some((s) => s.kind === 'caption' && s.isDefault);
}

function viewOf(sidecar: Sidecar, entry: SidecarEntry | undefined, canSend: boolean, video: string): SidecarView {
  const view: SidecarView = {
    key: sidecarKey(sidecar),
    kind: sidecar.kind === 'frame' ? 'thumbnail' : sidecar.kind,
    // A frame is taken from the video itself.
    path: sidecar.kind === 'frame' ? video : sidecar.path,
    state: entry?.state ?? (canSend ? 'waiting' : 'needs-key'),
    ...(sidecar.kind === 'caption' || sidecar.kind === 'chapters' ? { language: sidecar.language } : {}),
    ...(sidecar.kind === 'caption' && sidecar.isDefault ? { isDefault: true } : {}),
  };
  const frame = sidecar.kind === 'frame' ? `The frame at ${sidecar.timecode}.` : undefined;
  const reason = (entry ? entry.reason : canSend ? undefined : sidecarsNeedKey) ?? frame;
  if (reason) view.reason = reason;
  return view;
}
