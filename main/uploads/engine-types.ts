// The upload engine's public types and defaults: its options, requests, events and the job-state groups
// every part of the engine shares.
import type {
  JournalNotice,
  CsvMatch,
  CsvUnmatched,
  MediaChoices,
  JobProgress,
  JobState,
  JobView,
  NetworkStatus,
  QueueSettings,
  QueueTotals,
  StorageStatus,
} from '../../common/contract/queue';
import type { ApiVideoClient } from '../apivideo/index';
import type { PreflightResult } from '../media/media-facts';
import type { Platform } from '../platform';
import type { RetryPolicy } from './backoff';
import type { Probe } from './network';

export const FINGERPRINT_KEY = 'convoy-fingerprint';
export const JOB_KEY = 'convoy-job';

export type LogFn = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;

export interface EngineOptions {
  stateDir: string;
  getClient(profileId: string): ApiVideoClient;
  platform?: Partial<Platform>;
  settings?: Partial<QueueSettings>;
  log?: LogFn;
  now?: () => number;
  /** Tunables (tests, benchmarks). */
  retry?: Partial<RetryPolicy>;
  probe?: Probe;
  probeIntervalMs?: number;
  probeMaxIntervalMs?: number;
  /** A request that moves no bytes for this long is aborted and retried. */
  stallTimeoutMs?: number;
  playablePollMs?: number;
  playableTimeoutMs?: number;
  progressIntervalMs?: number;
  /** API-key uploads must finish this long after the container was created (api.video: 7 days). */
  containerWindowMs?: number;
  /** Delegated uploads may finish this long after their token expired (24 h). */
  tokenGraceMs?: number;
  /**
   * An API-key client of the same account and server as a token profile, when the app has one: it finds the
   * video a token upload's first chunk made when that reply was lost, and deletes abandoned token uploads.
   */
  keyClientFor?(profileId: string): ApiVideoClient | undefined;
  /** When a token profile's token expires (epoch ms), when known. */
  tokenExpiresAt?(profileId: string): number | undefined;
  /**
   * Pause/close let the first chunk of a delegated upload finish (it names the video) for at most this long
   * before aborting it; an aborted first chunk is sent again later as a new video.
   */
  firstPartGraceMs?: number;
  /** How long one automatic request should take at the measured speed (default plan.REQUEST_SECONDS, 15 s). */
  requestSeconds?: number;
  /** A pause lets a part that will be done within this long finish (default PAUSE_FINISH_MS, 20 s). */
  pauseFinishMs?: number;
  /** The media preflight of one file (default: the process's shared worker pool, main/media/preflight.ts). */
  preflight?(path: string): Promise<PreflightResult>;
}

export interface AddRequest {
  paths: string[];
  include?: string[];
  exclude?: string[];
  defaults?: { description?: string; tags?: string[]; public?: boolean };
  force?: boolean;
  /** Upload files the media preflight did not recognise (the user's word that they are video). */
  uploadUnrecognised?: boolean;
  /** Leave the captions, chapters and thumbnail beside the files alone. */
  noSidecars?: boolean;
  profileId: string;
}

/** A CSV row's media choices for a file (common/contract/queue.ts), `thumbnail` an absolute path by then. */
export type MediaPatch = MediaChoices;

export type ControlAction = 'pause' | 'resume' | 'cancel' | 'retry' | 'remove';

export interface EngineEvents {
  jobs: { upserts: JobView[]; removed: string[] };
  progress: { jobs: JobProgress[]; totals: QueueTotals };
  settings: QueueSettings;
  network: NetworkStatus;
  /** Whether the journal's directory takes writes: while it does not, no upload runs. */
  storage: StorageStatus;
  /** A damaged or lost journal holds token uploads for the user's word (null once acknowledged). */
  journal: JournalNotice | null;
  batch: { kind: 'finished' | 'attention'; message: string };
}

export interface CsvImportResult {
  matches: CsvMatch[];
  unmatched: CsvUnmatched[];
  errors: string[];
}

export const defaultSettings: QueueSettings = {
  concurrency: 4,
  bandwidthLimit: null,
  chunkSize: 'adaptive',
  waitForPlayable: false,
};

export const activeStates = new Set<JobState>(['queued', 'uploading', 'retrying', 'offline', 'finalizing']);
export const finishedStates = new Set<JobState>(['done', 'skipped']);
/** Files the overall progress leaves out: nothing of them is meant to arrive (cancelled, or already there). */
export const outsideProgress = new Set<JobState>(['cancelled', 'skipped']);
