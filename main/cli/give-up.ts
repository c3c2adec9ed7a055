// --give-up-after: watches the engine for forward progress and says when the files left have made none for the given
// time: their server offline, or every attempt failing and retrying. The clock counts only while no file is being
// sent (a slow link shows its bytes only when a part is acknowledged, and the engine itself stops a request that
// moves nothing) and starts over when a file gets further than ever before or finishes.
import type { JobState } from '../../common/contract/queue';
import type { UploadEngine } from '../uploads/index';
import type { EventSource } from './render';

const remaining = new Set<JobState>(['queued', 'uploading', 'retrying', 'offline', 'finalizing']);

interface Seen {
  state: JobState;
  confirmed: number;
  /** The most of this file that was ever confirmed or on its way since it last started over. */
  best: number;
}

/** Calls `onStall` once when nothing has moved forward for `afterMs` while some file is left; stop() ends the watch. */
export function watchForStall(
  engine: Pick<UploadEngine, 'snapshot'>,
  events: EventSource,
  afterMs: number,
  onStall: () => void,
  now: () => number = Date.now,
): { stop(): void } {
  const start = engine.snapshot();
  const jobs = new Map<string, Seen>(
    start.jobs.map((j) => [j.id, { state: j.state, confirmed: j.confirmedBytes, best: j.confirmedBytes }]),
  );
  let online = start.network.online;
  let stalledMs = 0;
  let lastCheck = now();
  const progressed = () => {
    stalledMs = 0;
  };
  const moved = (id: string, confirmed: number, inflight: number) => {
    const seen = jobs.get(id);
    if (!seen) return;
    const reach = confirmed + inflight;
    if (confirmed < seen.confirmed)
      seen.best = reach; // started over (a new video): its old bytes no longer count
    else if (reach > seen.best) {
      seen.best = reach;
      progressed();
    }
    seen.confirmed = confirmed;
  };
  const stops = [
    events.on('jobs', ({ upserts, removed }) => {
      for (const job of upserts) {
        const seen = jobs.get(job.id);
        if (!seen) {
          jobs.set(job.id, { state: job.state, confirmed: job.confirmedBytes, best: job.confirmedBytes });
          continue;
        }
        if (remaining.has(seen.state) && !remaining.has(job.state)) progressed(); // finished, failed, or skipped
        seen.state = job.state;
        moved(job.id, job.confirmedBytes, 0);
      }
      for (const id of removed) jobs.delete(id);
    }),
    events.on('progress', ({ jobs: moving }) => {
      for (const job of moving) moved(job.id, job.confirmedBytes, job.inflightBytes);
    }),
    events.on('network', (status) => {
      online = status.online;
    }),
  ];
  const check = () => {
    const at = now();
    const elapsed = at - lastCheck;
    lastCheck = at;
    const left = [...jobs.values()].filter((j) => remaining.has(j.state));
    // Nothing left to wait for: not a stall. A part on its way, or the server finishing a file it has whole: the
    // clock waits (a failed attempt then shows as retrying).
    if (left.length === 0) progressed();
    else if (!left.some((j) => j.state === 'uploading' || (online && j.state === 'finalizing'))) stalledMs += elapsed;
    if (stalledMs >= afterMs) {
      stop();
      onStall();
    }
  };
  const timer = setInterval(check, Math.min(1000, Math.max(50, afterMs / 10)));
  timer.unref();
  const stop = () => {
    clearInterval(timer);
    stops.forEach((s) => s());
  };
  return { stop };
}
