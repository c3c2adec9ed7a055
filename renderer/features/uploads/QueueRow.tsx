// One row of the queue: subscribes to its own job and progress by id, so a progress event re-renders only the
// rows it touched.
import { memo, type MouseEvent, type ReactElement } from 'react';
import type { JobView } from '../../../common/api';
import { jobBytes, queueActions, useQueue } from '../../stores/queue';
import { Badge, IconButton, ProgressBar } from '../../ui/controls';
import { Icon } from '../../ui/icons';
import { formatBytes, formatDuration, formatSpeed } from '../../ui/format';
import {
  canAct,
  DETAILS_NOT_ON_SERVER,
  isPausing,
  PAUSING_EXPLANATION,
  stateLabel,
  stateTone,
  tickingStates,
  windowExplanation,
  windowLabel,
} from './jobStatus';
import { useProfiles } from '../../stores/profiles';
import { useNow } from '../../ui/useNow';

export const ROW_HEIGHT = 60;

/** The line under the file name: why it failed or waits, else its title and privacy (privacy only when true on the server). */
function SubLine({ job }: { job: JobView }): ReactElement {
  // A cancelled row's badge already says so; its details stay in view.
  if (job.reason && job.state !== 'cancelled') {
    return (
      <span className={`q-sub ${job.state === 'failed' ? 'q-reason-failed' : ''}`}>
        <span className="q-reason" title={job.reason}>
          {job.reason}
        </span>
      </span>
    );
  }
  return (
    <span className="q-sub">
      {job.detailsProblem ? (
        <span className="details-problem" title={job.detailsProblem} data-testid="details-problem">
          <Icon name="alert" size={12} /> {DETAILS_NOT_ON_SERVER}
        </span>
      ) : null}
      <span className="q-meta">
        {job.title}
        {job.public || job.detailsProblem ? '' : ' · private'}
      </span>
    </span>
  );
}

export const QueueRow = memo(function QueueRow({
  id,
  index,
  top,
  onEdit,
  onCancel,
}: {
  id: string;
  index: number;
  top: number;
  onEdit: (id: string) => void;
  /** Asked before cancelling a file that has made progress (the confirmation lives with the list). */
  onCancel: (id: string) => void;
}): ReactElement | null {
  const job = useQueue((s) => s.jobs.get(id));
  const progress = useQueue((s) => s.progress.get(id));
  const selected = useQueue((s) => s.selection.has(id));
  const ticking =
    job !== undefined && tickingStates.has(job.state) && (job.retryAt !== undefined || job.windowEndsAt !== undefined);
  const now = useNow(ticking);
  const usesToken = useProfiles((s) => s.profiles.find((p) => p.id === job?.profileId)?.authKind === 'uploadToken');
  if (!job) return null;

  const bytes = jobBytes(job, progress);
  const finished = job.state === 'done' || job.state === 'finalizing';
  // Bytes on the wire can add up to the whole file before the server confirms it: 100% only once it has.
  const fraction = finished ? 1 : job.size > 0 ? Math.min(bytes / job.size, 0.99) : 0;
  const uploading = job.state === 'uploading';
  const pausing = isPausing(job, progress?.inflightBytes);
  const windowText = windowLabel(job, now);
  const onCheck = (event: MouseEvent<HTMLInputElement>) => queueActions.toggleSelect(id, event.shiftKey);
  const act = (action: 'pause' | 'resume' | 'retry') => () => void queueActions.control(action, [id]);

  return (
    <div
      className={`queue-row ${selected ? 'selected' : ''} state-${job.state}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-job-id={id}
      data-state={job.state}
      data-pausing={pausing || undefined}
      style={{ transform: `translateY(${top}px)` }}
    >
      <div role="gridcell" className="q-check">
        <input
          type="checkbox"
          checked={selected}
          onClick={onCheck}
          onChange={() => {}}
          aria-label={`Select ${job.name}`}
        />
      </div>
      <div role="gridcell" className="q-name">
        <span className="q-title" title={job.path}>
          {job.name}
        </span>
        <SubLine job={job} />
      </div>
      <div role="gridcell" className="q-size">
        {formatBytes(job.size)}
      </div>
      <div role="gridcell" className="q-state">
        <span title={pausing ? PAUSING_EXPLANATION : undefined}>
          <Badge tone={pausing ? 'info' : stateTone(job.state, job.waitingForKey)}>
            {pausing ? <span className="spinner small" aria-hidden="true" /> : null}
            {stateLabel(job, now, progress?.inflightBytes)}
          </Badge>
        </span>
      </div>
      <div role="gridcell" className="q-progress">
        <ProgressBar
          value={fraction}
          tone={
            job.state === 'failed'
              ? 'danger'
              : job.state === 'done'
                ? 'success'
                : uploading || pausing
                  ? 'info'
                  : 'neutral'
          }
          label={`${job.name} progress`}
        />
        <span className="q-pct">{Math.floor(fraction * 100)}%</span>
      </div>
      <div role="gridcell" className="q-rate">
        {uploading ? (
          <span className="q-speed">
            <span>{formatSpeed(progress?.speed ?? 0)}</span>
            {progress?.eta != null ? <span className="subtle">{formatDuration(progress.eta)} left</span> : null}
          </span>
        ) : null}
        {windowText ? (
          <span className="q-window" title={windowExplanation(job, usesToken)}>
            <Icon name="clock" size={12} /> {windowText}
          </span>
        ) : null}
      </div>
      <div role="gridcell" className="q-actions">
        {canAct.resume(job.state) ? (
          <IconButton icon="play" label={`Resume ${job.name}`} onClick={act('resume')} />
        ) : (
          <IconButton
            icon="pause"
            label={`Pause ${job.name}`}
            onClick={act('pause')}
            disabled={!canAct.pause(job.state)}
          />
        )}
        {canAct.retry(job.state) ? (
          <IconButton icon="retry" label={`Retry ${job.name}`} onClick={act('retry')} />
        ) : (
          <IconButton
            icon="stop"
            label={`Cancel ${job.name}`}
            onClick={() => onCancel(id)}
            disabled={!canAct.cancel(job.state)}
          />
        )}
        <IconButton icon="settings" label={`Edit details of ${job.name}`} onClick={() => onEdit(id)} />
      </div>
    </div>
  );
});
