// The whole queue on one line: overall progress, speed and time left, and the state filter with each view's count.
// (Parallel uploads and bandwidth live in the page header, there even before the first file.)
import type { ReactElement } from 'react';
import { useApp } from '../../stores/app';
import { filterCounts, queueActions, useQueue, type QueueFilter } from '../../stores/queue';
import { Badge, Explained, FilterButtons, ProgressBar } from '../../ui/controls';
import type { JobState, QueueTotals } from '../../../common/api';
import { NEEDS_KEY, stateName, stateTone } from './jobStatus';
import { formatBytes, formatDuration, formatSpeed } from '../../ui/format';

const filters: { filter: QueueFilter; label: string }[] = [
  { filter: 'all', label: 'All' },
  { filter: 'active', label: 'Active' },
  { filter: 'failed', label: 'Failed' },
  { filter: 'done', label: 'Done' },
];

function StateFilter(): ReactElement {
  const totals = useQueue((s) => s.totals);
  const current = useQueue((s) => s.filter);
  return (
    <FilterButtons
      label="Show files"
      options={filters}
      current={current}
      counts={filterCounts(totals)}
      onChange={(filter) => queueActions.setFilter(filter)}
    />
  );
}

/** States worth a count of their own beside the filter: the ones that wait for something (or someone). */
const waitingStates: JobState[] = ['paused', 'offline', 'retrying', 'skipped', 'cancelled'];

function WaitingCounts(): ReactElement | null {
  const totals = useQueue((s) => s.totals);
  // Files waiting for their profile's key are paused in main; here they count as "Needs key", as their rows say.
  // Files waiting for their key count as "Needs key"; files the media check refused are not duplicates.
  const apart = (state: JobState) => (state === 'paused' ? totals.needsKey : state === 'skipped' ? totals.refused : 0);
  const counts = waitingStates
    .map((state) => ({ state, count: totals.byState[state] - apart(state) }))
    .filter((c) => c.count > 0);
  if (counts.length === 0 && totals.needsKey === 0 && totals.refused === 0) return null;
  return (
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
      {totals.refused > 0 ? (
        <li data-state="refused">
          <Badge tone="warning">Skipped: not a video {totals.refused}</Badge>
        </li>
      ) : null}
    </ul>
  );
}

/** Tooltip and screen-reader words for the legend: what the two parts of the bar mean. */
const CONFIRMED_WHY = 'Confirmed: the server has acknowledged these bytes; they are never sent again.';
const INFLIGHT_WHY =
  'On its way: sent but not yet acknowledged by the server. If a pause or a lost connection stops a part on its way, that part is sent again.';

/**
 * The queue's bytes as the overview shows them: confirmed (the percentage and the solid fill) and on its way
 * beyond that (drawn apart), both as shares of every file counted.
 */
function overallProgress(totals: Pick<QueueTotals, 'bytes' | 'confirmedBytes' | 'inflightBytes'>): {
  confirmed: number;
  inflight: number;
  fraction: number;
  inflightFraction: number;
} {
  const confirmed = Math.max(0, Math.min(totals.bytes, totals.confirmedBytes));
  const inflight = Math.max(0, Math.min(totals.bytes - confirmed, totals.inflightBytes));
  return {
    confirmed,
    inflight,
    fraction: totals.bytes > 0 ? confirmed / totals.bytes : 0,
    inflightFraction: totals.bytes > 0 ? inflight / totals.bytes : 0,
  };
}

export function QueueOverview(): ReactElement {
  const totals = useQueue((s) => s.totals);
  const connected = useApp((s) => s.connected);
  const { confirmed, inflight, fraction, inflightFraction } = overallProgress(totals);
  // Speed and time left only while something moves and the engine is there to say so: never a stale figure.
  const active = connected && totals.byState.uploading > 0;
  const tone = fraction >= 1 ? 'success' : 'info';
  // Every file skipped or cancelled: there are no bytes to send, and "0% · 0 B of 0 B" would read as stuck.
  const nothingToSend = totals.bytes === 0 && totals.files > 0;
  return (
    <section className="queue-overview" aria-label="Overall progress" data-testid="queue-overview">
      {nothingToSend ? (
        <span className="overview-numbers muted" data-testid="nothing-to-send">
          Nothing to send · {totals.files} {totals.files === 1 ? 'file' : 'files'}
        </span>
      ) : (
        <>
          <span className="overview-big">{Math.floor(fraction * 100)}%</span>
          <ProgressBar value={fraction} inflight={inflightFraction} tone={tone} label="Overall progress" />
          <span className="overview-numbers muted">
            <Explained why={inflight > 0 ? CONFIRMED_WHY : undefined} testId="overall-confirmed">
              {inflight > 0 ? (
                <span className={`progress-swatch progress-swatch-confirmed progress-${tone}`} aria-hidden="true" />
              ) : null}
              {formatBytes(confirmed)} of {formatBytes(totals.bytes)}
              {inflight > 0 ? ' confirmed' : ''}
            </Explained>
            {inflight > 0 ? (
              <>
                {' · '}
                <Explained why={INFLIGHT_WHY} testId="overall-inflight">
                  <span className={`progress-swatch progress-swatch-inflight progress-${tone}`} aria-hidden="true" />
                  {formatBytes(inflight)} on its way
                </Explained>
              </>
            ) : null}
            {' · '}
            {totals.files} {totals.files === 1 ? 'file' : 'files'}
            {active ? (
              <>
                {' · '}
                <span data-testid="overall-speed">{formatSpeed(totals.speed)}</span>
                {totals.eta != null ? ` · ${formatDuration(totals.eta)} left` : ''}
              </>
            ) : null}
          </span>
        </>
      )}
      <WaitingCounts />
      <StateFilter />
    </section>
  );
}
