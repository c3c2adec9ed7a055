// Tells screen readers what the queue does, politely and not too often: progress while uploading (at most every
// 15 s), each file finishing or failing, and the batch ending. Mounted once in the frame, so it speaks on any screen.
import { useEffect, useRef, useState, type ReactElement } from 'react';
import type { JobState } from '../../../common/api';
import { useQueue, type QueueState } from '../../stores/queue';

const PROGRESS_EVERY_MS = 15_000;
/** Messages gathered within this long are said together, so a burst of finishing files is one announcement. */
const GATHER_MS = 1500;

const working: ReadonlySet<JobState> = new Set(['queued', 'uploading', 'retrying', 'offline', 'finalizing']);

/** What changed between two views of the queue, as sentences: files that finished or failed, and the batch ending. */
export function queueChanges(before: Map<string, JobState>, s: Pick<QueueState, 'order' | 'jobs'>): string[] {
  const out: string[] = [];
  let busyBefore = false;
  for (const state of before.values()) if (working.has(state)) busyBefore = true;
  let busyNow = false;
  let done = 0;
  let failed = 0;
  for (const id of s.order) {
    const job = s.jobs.get(id);
    if (!job) continue;
    if (working.has(job.state)) busyNow = true;
    if (job.state === 'done') done++;
    if (job.state === 'failed') failed++;
    const was = before.get(id);
    if (was === undefined || was === job.state) continue;
    if (job.state === 'done') out.push(`${job.title || job.name} uploaded.`);
    else if (job.state === 'failed') out.push(`${job.title || job.name} failed${job.reason ? `: ${job.reason}` : '.'}`);
  }
  if (busyBefore && !busyNow) out.push(`All uploads finished: ${done} done${failed ? `, ${failed} failed` : ''}.`);
  return out;
}

function statesOf(s: Pick<QueueState, 'order' | 'jobs'>): Map<string, JobState> {
  const map = new Map<string, JobState>();
  for (const id of s.order) {
    const job = s.jobs.get(id);
    if (job) map.set(id, job.state);
  }
  return map;
}

export function QueueAnnouncer(): ReactElement {
  const [message, setMessage] = useState('');
  const pending = useRef<string[]>([]);
  useEffect(() => {
    let states = statesOf(useQueue.getState());
    let lastProgress = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      if (pending.current.length > 0) setMessage(pending.current.splice(0).join(' '));
    };
    const say = (lines: string[]) => {
      pending.current.push(...lines);
      timer ??= setTimeout(flush, GATHER_MS);
    };
    const off = useQueue.subscribe((s, prev) => {
      if (s.jobsRev !== prev.jobsRev) {
        // A fresh snapshot (start, reconnect) is not news: only changes after it are told.
        if (s.loaded && prev.loaded) say(queueChanges(states, s));
        states = statesOf(s);
      }
      if (s.progressRev !== prev.progressRev && s.totals.byState.uploading > 0) {
        const now = Date.now();
        if (now - lastProgress >= PROGRESS_EVERY_MS) {
          const t = s.totals;
          const pct = t.bytes > 0 ? Math.floor(((t.confirmedBytes + t.inflightBytes) / t.bytes) * 100) : 0;
          if (lastProgress > 0) say([`Uploading: ${Math.min(pct, 100)}%, ${t.byState.done} of ${t.files} files done.`]);
          lastProgress = now;
        }
      }
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, []);
  return (
    <div className="sr-only" role="status" aria-live="polite" aria-atomic="true" data-testid="queue-announcer">
      {message}
    </div>
  );
}
