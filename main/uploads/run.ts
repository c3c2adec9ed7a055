// One job's run in progress: its abort controllers, parts in flight and per-attempt flags, and the runtime
// counters the engine keeps per job (confirmed and sent bytes, speed, when it retries).
import { setMaxListeners } from 'node:events';
import type { Video } from '../apivideo/index';
import type { JobRecord } from './records';
import type { SpeedMeter } from './progress';

export interface Run {
  job: JobRecord;
  /** Aborted by pause/cancel/remove/close. */
  controller: AbortController;
  /** Aborted when one part of the current attempt fails (stops its siblings); renewed per attempt. */
  attempt: AbortController;
  preparing: boolean;
  /** Bytes of each part in flight. */
  inflight: Map<number, number>;
  /** Each part in flight: its size, its own stop (a pause may stop one part and let another finish), its end. */
  parts: Map<number, PartInFlight>;
  /** Bumped on every acknowledged part: retry budgets restart after progress. */
  progressEpoch: number;
  /** The API server of the job's profile (set once its client is known); its reachability is tracked apart. */
  baseUrl: string;
  /** The file changed before any part was acknowledged and its parts were planned again. */
  replanned: boolean;
  /** Settles when the first chunk of a delegated upload (the one that creates its video) settles. */
  firstPart: Promise<unknown> | null;
  /** The reply to the request that completed the source (the video as the server held it then), for finalize. */
  lastReply: Video | null;
  /**
   * While its middle parts are being sent: takes more slots now if partWidth allows (the engine calls it when a slot
   * frees that no waiting file takes, so the last files widen at once rather than when their own part ends).
   */
  widen?: () => void;
  done: Promise<void>;
}

export interface PartInFlight {
  length: number;
  stop: AbortController;
  settled: Promise<unknown>;
}

/** A controller whose signal may carry one listener per queued part (bounded by the file's part count). */
export function partsController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}

export interface JobRuntime {
  confirmed: number;
  sent: number;
  meter: SpeedMeter;
  retryAt?: number;
}
