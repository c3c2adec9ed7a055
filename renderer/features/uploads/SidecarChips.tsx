// The captions, chapters and thumbnail found beside a queued file: a compact summary on its row ("Captions EN, FR ·
// Thumbnail", flagged when some will not be sent) that opens a list of chips, each with its state in words and an
// icon, why, and a Drop button while it has not left. A row is 44 px high and its name column some 280 px wide at
// 1280x800: four chips side by side would not fit, so they open from the row instead of sitting on it.
import { useEffect, useId, useRef, type CSSProperties, type ReactElement } from 'react';
import type { JobView, SidecarView } from '../../../common/api';
import { queueActions } from '../../stores/queue';
import { Icon } from '../../ui/icons';
import { fileName } from './rowText';
import {
  anyAwaitingVideo,
  canDropSidecar,
  problemCount,
  sidecarExplanation,
  sidecarLabel,
  sidecarListText,
  sidecarLook,
  sidecarSummary,
} from './sidecarText';

function SidecarChip({
  sidecar,
  jobName,
  whyId,
  onDrop,
}: {
  sidecar: SidecarView;
  jobName: string;
  whyId: string;
  onDrop: (key: string) => void;
}): ReactElement {
  const look = sidecarLook(sidecar.state);
  const label = sidecarLabel(sidecar);
  const name = fileName(sidecar.path);
  const why = sidecarExplanation(sidecar);
  return (
    <li className={`sidecar-chip tone-${look.tone}`} data-key={sidecar.key} data-state={sidecar.state}>
      <div className="sc-head">
        <strong className="sc-label">{label}</strong>
        <span className="sr-only">: </span>
        <span className="sc-state">
          <Icon name={look.icon} size={13} />
          {look.label}
        </span>
        {canDropSidecar(sidecar.state) ? (
          <button
            type="button"
            className="sc-drop"
            aria-label={`Drop ${label} of ${jobName}`}
            aria-describedby={whyId}
            onClick={() => onDrop(sidecar.key)}
          >
            <Icon name="close" size={12} />
            Drop
          </button>
        ) : null}
      </div>
      <p className="sc-why" id={whyId}>
        {/* The file it comes from (unless the label already is its name), and why, when there is more to say. */}
        {name !== label ? <code>{name}</code> : null}
        {name !== label && why ? ' — ' : null}
        {why}
      </p>
    </li>
  );
}

/** A CSS name for the summary button, unique per row, so its list opens beside it (CSS anchor positioning). */
function anchorName(jobId: string): string {
  return `--sidecars-${jobId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

export function SidecarChips({ job, rowFocused }: { job: JobView; rowFocused: boolean }): ReactElement | null {
  const baseId = useId();
  const popId = `${baseId}-sidecars`;
  const triggerRef = useRef<HTMLButtonElement>(null);
  const popRef = useRef<HTMLDivElement>(null);
  const sidecars = job.sidecars ?? [];
  const shown = sidecars.length > 0;

  useEffect(() => {
    const pop = popRef.current;
    if (!pop) return;
    // Opened: the keyboard goes into the list. Closed by Escape or a click outside: back on the summary.
    const onToggle = (event: Event) => {
      const opened = (event as ToggleEvent).newState === 'open';
      if (opened) (pop.querySelector<HTMLElement>('.sc-drop') ?? pop).focus();
      else if (document.activeElement === document.body || pop.contains(document.activeElement))
        triggerRef.current?.focus();
    };
    pop.addEventListener('toggle', onToggle);
    return () => pop.removeEventListener('toggle', onToggle);
  }, [shown]);

  if (!shown) return null;

  const summary = sidecarSummary(sidecars);
  const problems = problemCount(sidecars) > 0;
  const onDrop = (key: string) => {
    const index = [...(popRef.current?.querySelectorAll('.sc-drop') ?? [])].findIndex(
      (b) => b.closest('li')?.getAttribute('data-key') === key,
    );
    const row = triggerRef.current?.closest<HTMLElement>('.queue-row');
    const last = sidecars.length === 1;
    void queueActions.dropSidecar(job.id, key).then((dropped) => {
      // Once the list is drawn without it: the Drop button now in its place takes the keyboard, or the last one
      // gone took the list with it and the row takes it back.
      requestAnimationFrame(() => {
        const pop = popRef.current;
        const buttons = [...(pop?.querySelectorAll<HTMLElement>('.sc-drop') ?? [])];
        if (dropped && last) row?.focus();
        else if (pop?.isConnected) (buttons[Math.min(Math.max(0, index), buttons.length - 1)] ?? pop).focus();
      });
    });
  };

  return (
    <span className="q-sidecars" style={{ '--sidecar-anchor': anchorName(job.id) } as CSSProperties}>
      <button
        ref={triggerRef}
        type="button"
        className={`sidecar-trigger ${problems ? 'has-problems' : ''}`}
        popoverTarget={popId}
        tabIndex={rowFocused ? 0 : -1}
        data-testid="row-sidecars"
        title={sidecarListText(sidecars)}
      >
        <span className="sr-only">Files beside {job.name}: </span>
        {summary ? <span className="sc-summary">{summary}</span> : null}
        {problems ? (
          // The count in view, the words for screen readers (and in the list it opens): the row has little room.
          <span className="sc-problems">
            <span className="sr-only">, </span>
            <Icon name="alert" size={12} />
            {problemCount(sidecars)}
            <span className="sr-only"> not sent</span>
          </span>
        ) : null}
      </button>
      <div
        ref={popRef}
        id={popId}
        popover="auto"
        role="dialog"
        aria-label={`Captions, chapters and thumbnail of ${job.name}`}
        className="sidecar-pop"
        tabIndex={-1}
        // The queue's own keys (Escape clears the selection, Ctrl+A selects all) are not meant for this list.
        onKeyDown={(e) => e.stopPropagation()}
      >
        <p className="sc-title">
          Found beside <strong>{job.name}</strong>
          {anyAwaitingVideo(sidecars) ? '. Each is sent once the video’s upload is complete.' : ''}
        </p>
        <ul className="sidecar-list">
          {sidecars.map((sidecar, i) => (
            <SidecarChip
              key={sidecar.key}
              sidecar={sidecar}
              jobName={job.name}
              whyId={`${popId}-why-${i}`}
              onDrop={onDrop}
            />
          ))}
        </ul>
      </div>
    </span>
  );
}
