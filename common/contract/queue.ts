// Contract: the upload queue: adding files and folders, controlling jobs, metadata, progress and results.
// Jobs are sent whole when they change (`queue.jobs`); fast-moving numbers travel in coalesced
// `queue.progress` events (at most 10 a second for the whole queue).
import { z } from 'zod';
import { event, request } from './define';

export const jobStates = [
  'queued',
  'uploading',
  'paused',
  'offline',
  'retrying',
  'finalizing', // last chunk sent, waiting for encoding / playable
  'done',
  'failed',
  'skipped', // duplicate of a file this profile already uploaded
  'cancelled',
] as const;
export type JobState = (typeof jobStates)[number];

export interface JobMetadata {
  title: string;
  description: string;
  tags: string[];
  public: boolean;
}

/** What the media preflight read from the file before a byte was sent (absent: not read, e.g. an older journal). */
export interface MediaFactsView {
  /** 'mp4' | 'mov' | 'm4v' | 'mkv' | 'webm' | 'avi' | 'mpeg-ts', or another name read by the fallback parser. */
  container: string;
  durationSec?: number;
  width?: number;
  height?: number;
  fps?: number;
  /** Short lowercase names: 'h264', 'hevc', 'vp9', 'av1', 'mpeg4', … */
  videoCodec?: string;
  audioCodec?: string;
}

export const sidecarViewStates = ['waiting', 'invalid', 'pending', 'sending', 'done', 'failed', 'needs-key'] as const;
/**
 * A file found beside the video and what becomes of it: `waiting` (checked, sent once the video's source is
 * complete), `invalid` (will not be sent: the reason says why; the video uploads regardless), then as it is sent:
 * `pending`, `sending`, `done`, `failed` (the file or the server refused it), `needs-key` (an upload token alone
 * cannot send it).
 */
export type SidecarViewState = (typeof sidecarViewStates)[number];

export interface SidecarView {
  /** 'caption:en', 'chapters:fr', 'thumbnail'; for an invalid one, 'file:<name>'. */
  key: string;
  kind: 'caption' | 'chapters' | 'thumbnail' | 'unknown';
  path: string;
  /** BCP 47, for captions and chapters. */
  language?: string;
  /** The caption shown by default. */
  isDefault?: boolean;
  state: SidecarViewState;
  /** Why it is invalid, failed or needs a key; or what was done to it (converted from SRT, …). */
  reason?: string;
}

export interface JobView extends JobMetadata {
  id: string;
  path: string;
  /** The folder (or file) the user added that this file was found in: rows show and group by the path below it. */
  addedFrom?: string;
  name: string;
  size: number;
  state: JobState;
  /** Plain words: why it failed, was skipped, is retrying, or restarted as a new video. */
  reason?: string;
  /** Paused because its profile has no key this session: entering the key lets it go on by itself. */
  waitingForKey?: boolean;
  /** When `retrying`: epoch ms of the next attempt. */
  retryAt?: number;
  /** Epoch ms after which the server no longer accepts the rest of this upload. */
  windowEndsAt?: number;
  confirmedBytes: number;
  profileId: string;
  videoId?: string;
  playerUrl?: string;
  embedCode?: string;
  mp4Url?: string;
  /** The video's thumbnail image (the first frame, a sidecar image, or a frame a CSV chose). */
  thumbnailUrl?: string;
  /** Encoding as last seen on the server after the upload finished. */
  /** 'failed': every quality failed to encode (api.video could not play the file). */
  encoding?: 'pending' | 'encoding' | 'playable' | 'failed';
  /**
   * Set when the title, description, tags or privacy shown for this job are not the video's on the server, and
   * why: an upload token alone cannot set them, or the last update was refused. Absent: they are applied.
   */
  detailsProblem?: string;
  createdAt: number;
  finishedAt?: number;
  /** Container, duration, picture and codecs, as the preflight read them. */
  media?: MediaFactsView;
  /** Captions, chapters and thumbnail found beside the file (absent or empty: none). */
  sidecars?: SidecarView[];
  /**
   * Set on a `skipped` job the media preflight refused before a byte was sent (the reason says what the file is):
   * 'not-video' (something else, or no picture), 'truncated' (cut short, e.g. a copy not finished), 'unknown' (no
   * parser recognised it). `queue.control` 'retry' on it checks the file again; for 'unknown' it is the user's
   * word that the file is a video ("Upload anyway"), and it uploads.
   */
  refused?: 'not-video' | 'truncated' | 'unknown';
}

/** Fast-moving numbers for one job. */
export interface JobProgress {
  id: string;
  confirmedBytes: number;
  inflightBytes: number;
  /** Smoothed bytes per second. */
  speed: number;
  /** Seconds left, or null when unknown. */
  eta: number | null;
}

export interface QueueTotals {
  files: number;
  bytes: number;
  confirmedBytes: number;
  inflightBytes: number;
  speed: number;
  eta: number | null;
  byState: Record<JobState, number>;
  /** Of the paused files, those waiting for their profile's key (shown as "Needs key", not as paused). */
  needsKey: number;
  /** Of the skipped files, those the media preflight refused (not a video, cut short, not recognised), not duplicates. */
  refused: number;
}

export interface QueueSettings {
  concurrency: number;
  /** Bytes per second for all uploads together; null = unlimited. */
  bandwidthLimit: number | null;
  chunkSize: number | 'adaptive';
  waitForPlayable: boolean;
}

export interface NetworkStatus {
  online: boolean;
  /** When offline: epoch ms of the next probe. */
  nextProbeAt?: number;
  /** When offline: why alone, e.g. "The server cannot be reached (https://…)." */
  reason?: string;
  /** The whole story for a log or a terminal: why, and what happens next. */
  message: string;
}

/**
 * Whether the engine can write its state directory (the journal's folder). When it cannot (full, read-only,
 * not writable) uploads pause with the journal intact and go on by themselves once writing works again.
 */
export type StorageStatus =
  | { writable: true }
  | {
      writable: false;
      /** One plain sentence naming the directory and the cause, e.g. "The state directory /x is full (no space left on device)." */
      message: string;
      /** The state directory. */
      dir: string;
    };

/**
 * The upload journal was found damaged (and repaired from what was readable) or lost when Convoy started. Uploads
 * with an upload token alone cannot be checked against the server, so they wait (`holding`) for the user's word
 * before sending anything that may already be there.
 */
export interface JournalNotice {
  kind: 'repaired' | 'lost';
  /** What was found, in plain words, naming the state directory. */
  message: string;
  /** Files that wait for the user's word (token uploads with no API key of the account to look with). */
  holding: number;
}

export interface QueueSnapshot {
  jobs: JobView[];
  totals: QueueTotals;
  settings: QueueSettings;
  network: NetworkStatus;
  /** Absent from an engine that does not report it: treated as writable. */
  storage?: StorageStatus;
  /** Present while a damaged or lost journal waits to be acknowledged. */
  journal?: JournalNotice;
}

export interface ScanSkip {
  path: string;
  reason: string;
}

export interface AddResult {
  added: number;
  skipped: ScanSkip[];
  /** Files matched but already queued, not added twice. */
  alreadyQueued: number;
}

const ids = z.array(z.string().min(1).max(100)).max(100_000);
const metadataPatch = z
  .object({
    title: z.string().trim().min(1).max(256).optional(),
    description: z.string().max(5000).optional(),
    tags: z.array(z.string().trim().min(1).max(100)).max(100).optional(),
    public: z.boolean().optional(),
  })
  .strict();

const add = z
  .object({
    paths: z.array(z.string().min(1).max(4096)).min(1).max(10_000),
    include: z.array(z.string().min(1).max(200)).max(50).optional(),
    exclude: z.array(z.string().min(1).max(200)).max(50).optional(),
    /** Defaults for every added file (title defaults to the file name). */
    defaults: metadataPatch.omit({ title: true }).optional(),
    /** Upload again even if the same content was already uploaded with this profile. */
    force: z.boolean().optional(),
    /** Upload files the media preflight did not recognise (the user's word that they are video). */
    uploadUnrecognised: z.boolean().optional(),
    /** Leave the captions, chapters and thumbnail beside the files alone (default: found and sent). */
    noSidecars: z.boolean().optional(),
  })
  .strict();
const dropSidecar = z.object({ id: z.string().min(1).max(100), key: z.string().min(1).max(300) }).strict();
const control = z
  .object({
    action: z.enum(['pause', 'resume', 'cancel', 'retry', 'remove']),
    /** Omitted: every job. */
    ids: ids.optional(),
  })
  .strict();
const settings = z
  .object({
    concurrency: z.number().int().min(1).max(32).optional(),
    bandwidthLimit: z.number().int().min(65_536).nullable().optional(),
    chunkSize: z
      .union([
        z
          .number()
          .int()
          .min(5 * 1024 * 1024)
          .max(200 * 1024 * 1024),
        z.literal('adaptive'),
      ])
      .optional(),
    waitForPlayable: z.boolean().optional(),
  })
  .strict();
const metadata = z.object({ ids: ids.min(1), patch: metadataPatch }).strict();
const importCsv = z.object({ csv: z.string().max(20_000_000), apply: z.boolean().default(true) }).strict();
const exportManifest = z.object({ format: z.enum(['csv', 'json']) }).strict();
const empty = z.object({}).strict();

/**
 * What a CSV row may say about a file's media beyond its details: which caption is the default, the language of
 * NAME.chapters.vtt, a thumbnail image to use instead of NAME.jpg or a time in the video to take it from ('hh:mm:ss'
 * or 'hh:mm:ss.mmm'), a player theme and a watermark (api.video takes a watermark only when the video is created).
 */
export interface MediaChoices {
  captionDefault?: string;
  chaptersLanguage?: string;
  thumbnail?: string;
  thumbnailTimecode?: string;
  playerId?: string;
  watermarkId?: string;
}

/**
 * What one CSV row will set on the files it matches, as main read and checked it (a value it refused is absent;
 * `thumbnail` is the image as the row wrote it, looked for beside each matched file when relative).
 */
export interface CsvRowValues extends MediaChoices {
  title?: string;
  description?: string;
  tags?: string[];
}

export interface CsvMatch {
  row: number;
  filename: string;
  jobIds: string[];
  sets: CsvRowValues;
}

/** A row that matched no queued file, and why in words. */
export interface CsvUnmatched {
  row: number;
  filename: string;
  why: string;
}

export const queueRequests = {
  'queue.snapshot': request<typeof empty, QueueSnapshot>(empty),
  /** Scans, journals and queues; answers after the jobs are journaled. */
  'queue.add': request<typeof add, AddResult>(add),
  'queue.control': request<typeof control, { affected: number }>(control),
  'queue.settings': request<typeof settings, QueueSettings>(settings),
  'queue.updateMetadata': request<typeof metadata, { updated: number }>(metadata),
  /**
   * CSV with a header row: filename,title,description,tags (tags separated as common/tags.ts says), and the
   * optional media columns captionDefault, chaptersLanguage, thumbnail, thumbnailTimecode, playerId, watermarkId.
   */
  'queue.importCsv': request<typeof importCsv, { matches: CsvMatch[]; unmatched: CsvUnmatched[]; errors: string[] }>(
    importCsv,
  ),
  'queue.exportManifest': request<typeof exportManifest, { content: string; suggestedName: string }>(exportManifest),
  /** The user read the journal notice: files held for their word go on (and may upload again). */
  'queue.acknowledgeJournal': request<typeof empty, { resumed: number }>(empty),
  /** Leaves one sidecar of a file unsent (before it was sent; one already sent stays on the server). */
  'queue.dropSidecar': request<typeof dropSidecar, { dropped: boolean }>(dropSidecar),
};

export const queueEvents = {
  /** Jobs that were added or changed (whole views), and ids removed from the queue. */
  'queue.jobs': event<{ upserts: JobView[]; removed: string[] }>(),
  'queue.progress': event<{ jobs: JobProgress[]; totals: QueueTotals }>(),
  'queue.settings': event<QueueSettings>(),
  'network.status': event<NetworkStatus>(),
  /** Sent when writing the state directory fails (uploads pause) and again when it works (they go on). */
  'queue.storage': event<StorageStatus>(),
  /** The journal notice changed: files were held for the user's word, or it was acknowledged (null). */
  'queue.journal': event<JournalNotice | null>(),
  /** A batch finished or needs attention. */
  'queue.batch': event<{ kind: 'finished' | 'attention'; message: string }>(),
};
