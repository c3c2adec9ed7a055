// One row of the queue: subscribes to its own job and progress by id, so a progress event re-renders only the
// rows it touched.
import { memo, type MouseEvent, type ReactElement } from 'react';
import { controlJobs, jobBytes, toggleSelect, useQueue } from '../../stores/queue';
import { Badge, IconButton, ProgressBar } from '../../ui/controls';
import { Icon } from '../../ui/icons';
import { formatBytes, formatDuration, formatSpeed } from '../../ui/format';
import { canAct, stateLabel, stateTone, tickingStates, windowExplanation, windowLabel } from './jobStatus';
import { useProfiles } from '../../stores/profiles';
import { useNow } from '../../ui/useNow';

export const ROW_HEIGHT = 60;

export const QueueRow = memo(function QueueRow({ id, index, top, onEdit }: {
  id: string;
  index: number;
  top: number;
  onEdit: (id: string) => void;
}): ReactElement | null {
  const job = useQueue((s) => s.jobs.get(id));
  const progress = useQueue((s) => s.progress.get(id));
  const selected = useQueue((s) => s.selection.has(id));
  const ticking = job !== undefined && tickingStates.has(job.state) && (job.retryAt !== undefined || job.windowEndsAt !== undefined);
  const now = useNow(ticking);
  const usesToken = useProfiles((s) => s.profiles.find((p) => p.id === job?.profileId)?.authKind === 'uploadToken');
  if (!job) return null;

  const bytes = jobBytes(job, progress);
  const finished = job.state === 'done' || job.state === 'finalizing';
  // Bytes on the wire can add up to the whole file before the server confirms it: 100% only once it has.
  const fraction = finished ? 1 : job.size > 0 ? Math.min(bytes / job.size, 0.99) : 0;
  const uploading = job.state === 'uploading';
  const windowText = windowLabel(job, now);
  const onCheck = (event: MouseEvent<HTMLInputElement>) => toggleSelect(id, event.shiftKey);
  const act = (action: 'pause' | 'resume' | 'cancel' | 'retry') => () => void controlJobs(action, [id]);

  return (
    <div className={`queue-row ${selected ? 'selected' : ''} state-${job.state}`} role="row" aria-rowindex={index + 2}
      aria-selected={selected} data-job-id={id} data-state={job.state} style={{ transform: `translateY(${top}px)` }}>
      <div role="gridcell" className="q-check">
        <input type="checkbox" checked={selected} onClick={onCheck} onChange={() => {}} aria-label={`Select ${job.name}`} />
      </div>
      <div role="gridcell" className="q-name">
        <span className="q-title" title={job.path}>{job.name}</span>
        <span className={`q-sub ${job.state === 'failed' ? 'q-reason-failed' : ''}`}>
          {job.reason ? <span className="q-reason" title={job.reason}>{job.reason}</span> : <span className="q-meta">{job.title}{job.public ? '' : ' · private'}</span>}
        </span>
      </div>
      <div role="gridcell" className="q-size">{formatBytes(job.size)}</div>
      <div role="gridcell" className="q-state">
        <Badge tone={stateTone(job.state, job.waitingForKey)}>{stateLabel(job, now)}</Badge>
      </div>
      <div role="gridcell" className="q-progress">
        <ProgressBar value={fraction} tone={job.state === 'failed' ? 'danger' : job.state === 'done' ? 'success' : uploading ? 'info' : 'neutral'}
          label={`${job.name} progress`} />
        <span className="q-pct">{Math.floor(fraction * 100)}%</span>
      </div>
      <div role="gridcell" className="q-rate">
        {uploading ? (
          <span>{formatSpeed(progress?.speed ?? 0)}{progress?.eta != null ? <span className="subtle"> · {formatDuration(progress.eta)} left</span> : null}</span>
        ) : null}
        {windowText ? (
          <span className="q-window" title={windowExplanation(job, usesToken)}>
            <Icon name="clock" size={12} /> {windowText}
          </span>
        ) : null}
      </div>
      <div role="gridcell" className="q-actions">
        {canAct.resume(job.state)
          ? <IconButton icon="play" label={`Resume ${job.name}`} onClick={act('resume')} />
          : <IconButton icon="pause" label={`Pause ${job.name}`} onClick={act('pause')} disabled={!canAct.pause(job.state)} />}
        {canAct.retry(job.state)
          ? <IconButton icon="retry" label={`Retry ${job.name}`} onClick={act('retry')} />
          : <IconButton icon="stop" label={`Cancel ${job.name}`} onClick={act('cancel')} disabled={!canAct.cancel(job.state)} />}
        <IconButton icon="settings" label={`Edit details of ${job.name}`} onClick={() => onEdit(id)} />
      </div>
    </div>
  );
});
