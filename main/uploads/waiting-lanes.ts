// The queued jobs waiting for a run, one lane per profile in the order their files were added: a server that is
// offline holds up only its own lanes, so choosing the next job costs O(profiles), not O(jobs queued for it).
import type { JobRecord } from './records';

export class WaitingLanes {
  private readonly lanes = new Map<string, JobRecord[]>();

  /**
   * @param stale a job that no longer waits (it started, was paused or removed); dropped when met at a lane's head.
   */
  constructor(private readonly stale: (job: JobRecord) => boolean) {}

  /** Puts a job in its profile's lane, by seq; a job already there is not added twice. */
  add(job: JobRecord): void {
    let lane = this.lanes.get(job.profileId);
    if (!lane) this.lanes.set(job.profileId, (lane = []));
    let lo = 0;
    let hi = lane.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (lane[mid]!.seq < job.seq) lo = mid + 1;
      else hi = mid;
    }
    if (lane[lo] !== job) lane.splice(lo, 0, job);
  }

  /** The earliest-added waiting job of a profile that `usable` accepts, left in its lane. */
  peek(usable: (profileId: string) => boolean): JobRecord | undefined {
    let first: JobRecord | undefined;
    for (const [profileId, lane] of this.lanes) {
      while (lane.length > 0 && this.stale(lane[0]!)) lane.shift();
      if (lane.length === 0) {
        this.lanes.delete(profileId);
        continue;
      }
      if (usable(profileId) && (first === undefined || lane[0]!.seq < first.seq)) first = lane[0];
    }
    return first;
  }

  /** Like peek, but takes the job out of its lane. */
  take(usable: (profileId: string) => boolean): JobRecord | undefined {
    const job = this.peek(usable);
    if (job) this.lanes.get(job.profileId)!.shift();
    return job;
  }
}
