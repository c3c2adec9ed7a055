// A copy-to-clipboard button that confirms with "Copied", or says plainly that copying did not work.
import { useEffect, useState, type ReactElement } from 'react';
import { Button, IconButton, copyText } from '../../ui/controls';

type Outcome = 'idle' | 'copied' | 'failed';

export function CopyButton({
  text,
  label,
  compact,
  testId,
}: {
  text: string;
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

  const copy = async () => setOutcome((await copyText(text)) ? 'copied' : 'failed');
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
      <span className={`copy-status ${outcome}`} role="status" aria-live="polite">
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
