// Says which files wait for a profile's key (after a restart with session-only keys) and where to enter it.
import type { ReactElement } from 'react';
import { Banner, Button } from '../../ui/controls';
import { appActions } from '../../stores/app';
import { useQueue } from '../../stores/queue';

export function KeyNeededBanner(): ReactElement | null {
  // Main counts them with the queue's totals.
  const waiting = useQueue((s) => s.totals.needsKey);
  if (waiting === 0) return null;
  return (
    <Banner
      tone="warning"
      icon="tokens"
      action={
        <Button variant="secondary" onClick={() => appActions.setView('profiles')}>
          Enter key
        </Button>
      }
    >
      <strong>{waiting === 1 ? '1 file waits' : `${waiting} files wait`} for a profile&apos;s key.</strong> Keys kept
      for the session only are gone after a restart; enter the key again on the Profiles screen and these uploads
      continue where they stopped.
    </Banner>
  );
}
