// The queue's totals counted from scratch over every job: the algorithm QueueReporter used before it kept
// running sums, kept only as the reference the tests check it against and the "before" of its benchmark.
import { jobStates, type JobState, type QueueTotals } from '../../../common/contract/queue';
import { activeStates, outsideProgress } from '../../../main/uploads/engine-types';
import { etaSeconds } from '../../../main/uploads/progress';

/** What the queue knows besides its jobs at the same moment: bytes on the wire and the smoothed speed. */
export interface Live {
  inflightBytes: number;
  speed: number;
}

/** Totals over `jobs`, given how many bytes of each the server confirmed. */
export function recountTotals<J extends { size: number; state: JobState; waitingForKey?: boolean; refused?: string }>(
  jobs: Iterable<J>,
  confirmedOf: (job: J) => number,
  live: Live,
): QueueTotals {
  const byState = noCounts();
  let files = 0;
  let bytes = 0;
  let confirmed = 0;
  let remaining = 0;
  let needsKey = 0;
  let refused = 0;
  for (const job of jobs) {
    if (job.waitingForKey && job.state === 'paused') needsKey += 1;
    if (job.refused && job.state === 'skipped') refused += 1;
    files += 1;
    byState[job.state] += 1;
    if (outsideProgress.has(job.state)) continue;
    bytes += job.size;
    const c = confirmedOf(job);
    confirmed += c;
    if (activeStates.has(job.state)) remaining += job.size - c;
  }
  return {
    files,
    bytes,
    confirmedBytes: confirmed,
    inflightBytes: live.inflightBytes,
    speed: live.speed,
    // Time left counts from confirmed bytes: what is on its way is not there until the server says so.
    eta: etaSeconds(remaining, live.speed),
    byState,
    needsKey,
    refused,
  };
}

/** A count of zero for every state. */
export function noCounts(): Record<JobState, number> {
  return Object.fromEntries(jobStates.map((s) => [s, 0])) as Record<JobState, number>;
}
