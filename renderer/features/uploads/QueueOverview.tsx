// The whole queue at a glance: overall progress, speed, time left and how many files are in each state.
// (Parallel uploads and bandwidth live in the page header, there even before the first file.)
import type { ReactElement } from 'react';
import { jobStates, type JobState } from '../../../common/api';
import { useQueue } from '../../stores/queue';
import { Badge, ProgressBar } from '../../ui/controls';
import { formatBytes, formatDuration, formatSpeed } from '../../ui/format';
import { NEEDS_KEY, stateName, stateTone } from './jobStatus';

export function QueueOverview(): ReactElement {
  const totals = useQueue((s) => s.totals);
  const sent = Math.min(totals.bytes, totals.confirmedBytes + totals.inflightBytes);
  const fraction = totals.bytes > 0 ? sent / totals.bytes : 0;
  const active = totals.byState.uploading > 0;
  // Files waiting for their profile's key are paused in main; here they count as "Needs key", as their rows say.
  const counts = jobStates
    .map((s: JobState) => ({ state: s, count: totals.byState[s] - (s === 'paused' ? totals.needsKey : 0) }))
    .filter((c) => c.count > 0);
  return (
    <section className="queue-overview card" aria-label="Overall progress" data-testid="queue-overview">
      <div className="overview-numbers">
        <div>
          <span className="overview-big">{Math.floor(fraction * 100)}%</span>
          <span className="muted">
            {' '}
            {formatBytes(sent)} of {formatBytes(totals.bytes)} · {totals.files} {totals.files === 1 ? 'file' : 'files'}
          </span>
        </div>
        <div className="overview-rate">
          <span>
            <span className="subtle">Speed</span> {active ? formatSpeed(totals.speed) : '—'}
          </span>
          <span>
            <span className="subtle">Time left</span> {active ? formatDuration(totals.eta) : '—'}
          </span>
        </div>
      </div>
      <ProgressBar value={fraction} tone={fraction >= 1 ? 'success' : 'info'} label="Overall progress" />
      <div className="overview-foot">
        <ul className="state-counts" aria-label="Files by state">
          {counts.map(({ state, count }) => (
            <li key={state} data-state={state}>
              <Badge tone={stateTone(state)}>
                {stateName(state)} {count}
              </Badge>
            </li>
          ))}
          {totals.needsKey > 0 ? (
            <li data-state="needs-key">
              <Badge tone={stateTone('paused', true)}>
                {NEEDS_KEY} {totals.needsKey}
              </Badge>
            </li>
          ) : null}
        </ul>
      </div>
    </section>
  );
}
