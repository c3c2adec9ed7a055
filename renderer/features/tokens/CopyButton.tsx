// A copy-to-clipboard button that shows "Copied" beside itself; the app's toast confirms it (or says plainly that
// copying did not work) for everyone, screen readers included, as every copy in the app does.
import { useEffect, useState, type ReactElement } from 'react';
import { Button, IconButton } from '../../ui/controls';
import { copyWithNotice } from '../results/links';

type Outcome = 'idle' | 'copied' | 'failed';

export function CopyButton({
  text,
  label,
  what = 'token',
  compact,
  testId,
}: {
  text: string;
  /** What is copied, for the toast: "Copied the token." */
  what?: string;
  /** Accessible name, e.g. "Copy token to1t…". */
  label: string;
  /** Icon only (tables); otherwise a labelled button. */
  compact?: boolean;
  testId?: string;
}): ReactElement {
  const [outcome, setOutcome] = useState<Outcome>('idle');
  useEffect(() => {
    if (outcome === 'idle') return;
    const timer = setTimeout(() => setOutcome('idle'), outcome === 'copied' ? 1800 : 4000);
    return () => clearTimeout(timer);
  }, [outcome]);

  const copy = async () => setOutcome((await copyWithNotice(text, what)) ? 'copied' : 'failed');
  return (
    <span className={`copy-button ${compact ? 'compact' : ''}`}>
      {compact ? (
        <IconButton
          icon={outcome === 'copied' ? 'check' : 'copy'}
          label={label}
          onClick={() => void copy()}
          data-testid={testId}
        />
      ) : (
        <Button
          variant="secondary"
          icon={outcome === 'copied' ? 'check' : 'copy'}
          onClick={() => void copy()}
          aria-label={label}
          data-testid={testId}
        >
          {outcome === 'copied' ? 'Copied' : 'Copy'}
        </Button>
      )}
      {/* Seen beside the button; heard once, from the toast. */}
      <span className={`copy-status ${outcome}`} aria-hidden="true">
        {outcome === 'copied'
          ? compact
            ? 'Copied'
            : ''
          : outcome === 'failed'
            ? 'Could not copy: select it and copy by hand'
            : ''}
      </span>
    </span>
  );
}
