// The app's one toast: transient notices in the corner confirming what just happened (copies, deletions, removals)
// and errors that belong to no single field. Announced politely, never focused; Escape dismisses the newest.
import { useEffect, type ReactElement } from 'react';
import { appActions, useApp } from '../../stores/app';
import { IconButton } from '../../ui/controls';
import { Icon } from '../../ui/icons';

/**
 * Escape dismisses the newest notice when nothing else took it: it is heard last (on the window, as it bubbles), so
 * the widget with the focus answers first (the queue clearing its selection, a menu or popover closing) and marks
 * it handled; a modal dialog keeps it too (the notices sit behind it). One press does one thing.
 */
function useEscapeDismisses(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented || event.isComposing) return;
      if (document.querySelector('dialog[open]')) return;
      if (document.activeElement?.closest('[role="menu"], [role="dialog"]')) return;
      const inNotice = document.activeElement?.closest('.notices') ?? null;
      if (!appActions.dismissNewest()) return;
      event.preventDefault();
      if (inNotice) focusAfterNotice();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/** A notice dismissed from its own button: focus goes to the next notice, or to the screen's heading. */
function focusAfterNotice(): void {
  requestAnimationFrame(() => {
    if (document.activeElement && document.activeElement !== document.body) return;
    (
      document.querySelector<HTMLElement>('.notices .notice button') ??
      document.querySelector<HTMLElement>('#content h1')
    )?.focus();
  });
}

export function Notices(): ReactElement {
  const notices = useApp((s) => s.notices);
  useEscapeDismisses();
  return (
    // One polite live region for every notice, errors included: a toast tells, it never interrupts.
    <div className="notices" aria-live="polite" data-testid="notices">
      {notices.map((n) => (
        <div
          key={n.id}
          className={`notice notice-${n.level}`}
          data-level={n.level}
          onPointerEnter={() => appActions.holdNotice(n.id)}
          onPointerLeave={() => appActions.releaseNotice(n.id)}
          onFocus={() => appActions.holdNotice(n.id)}
          onBlur={() => appActions.releaseNotice(n.id)}
        >
          <Icon name={n.level === 'info' ? 'check' : 'alert'} />
          <span>
            {n.level === 'error' ? <span className="sr-only">Error: </span> : null}
            {n.message}
          </span>
          <IconButton
            icon="close"
            label="Dismiss"
            aria-keyshortcuts="Escape"
            onClick={() => {
              appActions.dismiss(n.id);
              focusAfterNotice();
            }}
          />
        </div>
      ))}
    </div>
  );
}
