// One row of the queue: subscribes to its own job and progress by id, so a progress event re-renders only the
// rows it touched. It says one thing each: the title (the file name only where it differs), the files beside it
// (captions, chapters, thumbnail), the folder, the video's length and picture, the state, and the resume window only
// where it matters. A finished, skipped, failed or paused file's reason is said whole on a line of its own below.
// Its controls are reached by pointer; the keyboard drives the row, and Tab from it reaches its sidecars.
import { memo, type MouseEvent, type ReactElement } from 'react';
import type { JobState, JobView } from '../../../common/api';
import { queueActions, useQueue } from '../../stores/queue';
import { Badge, Explained, IconButton, ProgressBar } from '../../ui/controls';
import { Icon } from '../../ui/icons';
import { describeMediaFacts, formatBytes, formatDuration, formatMediaFacts, formatSpeed } from '../../ui/format';
import {
  canAct,
  DETAILS_NOT_ON_SERVER,
  isPausing,
  PAUSING_EXPLANATION,
  rowProgress,
  stateLabel,
  stateTone,
  tickingStates,
  windowExplanation,
  windowLabel,
} from './jobStatus';
import { canUploadAnyway, nameDiffers, refusedLabel, rowFolder } from './rowText';
import { SidecarChips } from './SidecarChips';
import { useProfiles } from '../../stores/profiles';
import { useWatch } from '../../stores/watch';
import { useNow } from '../../ui/useNow';

/** A row's height; a row whose reason is said below (`reasonBelow`) is taller, by as many lines as the reason takes. */
export const ROW_HEIGHT = 44;

/**
 * States whose reason stands until the user acts: the last word on a finished, skipped or failed file, and why a
 * paused one waits (what a resume will send again, the key it needs). Read whole, wrapping, on a line of its own
 * under the row. (A file on its way keeps its row on one line: its reason changes as it goes, and is whole in the
 * tooltip.)
 */
const reasonBelowStates: ReadonlySet<JobState> = new Set(['done', 'skipped', 'failed', 'paused']);

/** Why the file stands where it does; '' for a cancelled row, whose badge already says so. */
function rowReason(job: JobView): string {
  return job.reason && job.state !== 'cancelled' ? job.reason : '';
}

/** The reason said whole below the row, or '' when the row has none or says it on its one line. */
function reasonBelow(job: JobView): string {
  return reasonBelowStates.has(job.state) ? rowReason(job) : '';
}

/**
 * The line under the title: the folder, the file name where the title hides it, the video's length, picture and
 * codec as the preflight read them, and why it waits (a finished or paused file's reason goes below the row instead).
 */
function SubLine({ job, root }: { job: JobView; root: string }): ReactElement | null {
  const folder = rowFolder(job, root);
  const name = nameDiffers(job) ? job.name : '';
  const said = rowReason(job);
  const reason = reasonBelow(job) ? '' : said;
  const where = [folder && `${folder}/`, name].filter(Boolean).join('');
  // A file a watch folder added says which one.
  const watch = useWatch((s) => s.origins[job.id]?.watchName);
  const facts = formatMediaFacts(job.media);
  const problem = !said && job.detailsProblem;
  if (!where && !reason && !problem && !watch && !facts) return null;
  return (
    <span className="q-sub">
      {watch ? (
        <span className="q-watch" data-testid="row-watch">
          Watch “{watch}”{where ? ' · ' : ''}
        </span>
      ) : null}
      {where ? (
        <span className="q-where" data-testid="row-folder">
          {folder ? <Icon name="folder" size={12} /> : null}
          {where}
        </span>
      ) : null}
      {facts ? (
        <span className="q-facts" title={describeMediaFacts(job.media)} data-testid="row-media">
          {facts}
        </span>
      ) : null}
      {/* Whole in its tooltip where the row cuts it (screen readers read it whole). */}
      {reason ? (
        <span className="q-reason" title={reason}>
          {reason}
        </span>
      ) : null}
      {problem ? (
        <Explained className="details-problem" why={job.detailsProblem} testId="details-problem">
          <Icon name="alert" size={12} /> {DETAILS_NOT_ON_SERVER}
        </Explained>
      ) : null}
    </span>
  );
}

export const QueueRow = memo(function QueueRow({
  id,
  index,
  top,
  root,
  focused,
  onEdit,
  onCancel,
  onFocusRow,
  measure,
}: {
  id: string;
  index: number;
  top: number;
  /** Where the file was added from, guessed from the paths: used only when the job does not say (`addedFrom`). */
  root: string;
  /** The row holding the queue's one tab stop. */
  focused: boolean;
  onEdit: (id: string) => void;
  /** Asked before cancelling a file that has made progress (the confirmation lives with the list). */
  onCancel: (id: string) => void;
  onFocusRow: (id: string) => void;
  /** Told the row's element, to measure its height (the list's virtualizer): a row with its reason below is taller. */
  measure?: (element: HTMLDivElement | null) => void;
}): ReactElement | null {
  const job = useQueue((s) => s.jobs.get(id));
  const progress = useQueue((s) => s.progress.get(id));
  const selected = useQueue((s) => s.selection.has(id));
  const ticking =
    job !== undefined && tickingStates.has(job.state) && (job.retryAt !== undefined || job.windowEndsAt !== undefined);
  const now = useNow(ticking);
  const usesToken = useProfiles((s) => s.profiles.find((p) => p.id === job?.profileId)?.authKind === 'uploadToken');
  if (!job) return null;

  // Confirmed by the server, and on its way, drawn apart: a stopped part never takes the bar backwards.
  const { confirmed: fraction, inflight } = rowProgress(job, progress);
  const uploading = job.state === 'uploading';
  const pausing = isPausing(job, progress?.inflightBytes);
  const windowText = windowLabel(job, now);
  const onCheck = (event: MouseEvent<HTMLInputElement>) => queueActions.toggleSelect(id, event.shiftKey);
  const act = (action: 'pause' | 'resume' | 'retry') => () => void queueActions.control(action, [id]);
  const title = job.title || job.name;
  // A file the preflight refused says what it is, not "duplicate".
  const refused = refusedLabel(job);
  const below = reasonBelow(job);

  return (
    <div
      ref={measure}
      className={`queue-row ${selected ? 'selected' : ''} state-${job.state}${below ? ' has-reason' : ''}`}
      role="row"
      data-index={index}
      aria-rowindex={index + 2}
      aria-selected={selected}
      tabIndex={focused ? 0 : -1}
      onFocus={(e) => {
        if (e.target === e.currentTarget) onFocusRow(id);
      }}
      data-job-id={id}
      data-state={job.state}
      data-pausing={pausing || undefined}
      style={{ transform: `translateY(${top}px)` }}
    >
      <div role="gridcell" className="q-check">
        <input
          type="checkbox"
          tabIndex={-1}
          checked={selected}
          onClick={onCheck}
          onChange={() => {}}
          aria-label={`Select ${job.name}`}
        />
      </div>
      <div role="gridcell" className="q-name">
        <div className="q-heading">
          <span className="q-line">
            <span className="q-title">
              <span className="q-meta">{title}</span>
              {/* A default title is the file name: its extension completes it, so the name is said once. */}
              {nameDiffers(job) ? null : <span className="q-ext">{job.name.slice(title.length)}</span>}
              {job.public || job.detailsProblem ? null : <span className="q-private"> · private</span>}
            </span>
            <SidecarChips job={job} rowFocused={focused} />
            {canUploadAnyway(job) ? (
              <button
                type="button"
                className="row-anyway"
                tabIndex={focused ? 0 : -1}
                aria-label={`Upload anyway: ${job.name}`}
                onClick={act('retry')}
              >
                Upload anyway
              </button>
            ) : null}
          </span>
          <SubLine job={job} root={root} />
        </div>
        {/* Whole, wrapping across the row's width below its one line: never cut (the row grows to hold it). */}
        {below ? (
          <p
            className={`q-reason q-reason-below${job.state === 'failed' ? ' q-reason-failed' : ''}`}
            data-testid="row-reason"
          >
            {below}
          </p>
        ) : null}
      </div>
      <div role="gridcell" className="q-size">
        {formatBytes(job.size)}
      </div>
      <div role="gridcell" className="q-state">
        <Explained why={pausing ? PAUSING_EXPLANATION : undefined}>
          <Badge tone={pausing ? 'info' : refused ? 'warning' : stateTone(job.state, job.waitingForKey)}>
            {pausing ? <span className="spinner small" aria-hidden="true" /> : null}
            {refused ? <Icon name="alert" size={12} /> : null}
            {refused ?? stateLabel(job, now, progress?.inflightBytes)}
          </Badge>
        </Explained>
      </div>
      <div role="gridcell" className="q-progress">
        {job.state === 'skipped' && !refused ? (
          // A duplicate sends nothing: a bar stuck at 0% would read as an upload that never started.
          <span className="q-progress-note subtle">Already on the server</span>
        ) : (
          <>
            <ProgressBar
              value={fraction}
              inflight={inflight}
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
          </>
        )}
      </div>
      <div role="gridcell" className="q-rate">
        {/* A speed of nothing is not news (and after the engine went away, no longer known). */}
        {uploading && (progress?.speed ?? 0) > 0 ? (
          <span className="q-speed">
            <span>{formatSpeed(progress?.speed ?? 0)}</span>
            {progress?.eta != null ? <span className="subtle">{formatDuration(progress.eta)} left</span> : null}
          </span>
        ) : null}
        {windowText ? (
          <Explained className="q-window" why={windowExplanation(job, usesToken)}>
            <Icon name="clock" size={12} /> {windowText}
          </Explained>
        ) : null}
      </div>
      <div role="gridcell" className="q-actions">
        {canAct.resume(job.state) ? (
          <IconButton icon="play" label={`Resume ${job.name}`} onClick={act('resume')} tabIndex={-1} />
        ) : (
          <IconButton
            icon="pause"
            label={`Pause ${job.name}`}
            onClick={act('pause')}
            disabled={!canAct.pause(job.state)}
            tabIndex={-1}
          />
        )}
        {canAct.retry(job.state) ? (
          <IconButton icon="retry" label={`Retry ${job.name}`} onClick={act('retry')} tabIndex={-1} />
        ) : (
          <IconButton
            icon="stop"
            label={`Cancel ${job.name}`}
            onClick={() => onCancel(id)}
            disabled={!canAct.cancel(job.state)}
            tabIndex={-1}
          />
        )}
        <IconButton icon="settings" label={`Edit details of ${job.name}`} onClick={() => onEdit(id)} tabIndex={-1} />
      </div>
    </div>
  );
});
