// Says which files wait for a profile's key (after a restart with session-only keys) and where to enter it.
import { useMemo, type ReactElement } from 'react';
import { Banner, Button } from '../../ui/controls';
import { useApp } from '../../stores/app';
import { useQueue } from '../../stores/queue';

export function KeyNeededBanner(): ReactElement | null {
  // Recounted only when jobs change (jobsRev), never on progress ticks.
  const jobsRev = useQueue((s) => s.jobsRev);
  const waiting = useMemo(() => {
    let n = 0;
    for (const job of useQueue.getState().jobs.values()) if (job.waitingForKey) n += 1;
    return n;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- jobsRev is the signal that the mutable job map changed.
  }, [jobsRev]);
  const setView = useApp((s) => s.setView);
  if (waiting === 0) return null;
  return (
    <Banner tone="warning" icon="tokens"
      action={<Button variant="secondary" onClick={() => setView('profiles')}>Enter key</Button>}>
      <strong>{waiting === 1 ? '1 file waits' : `${waiting} files wait`} for a profile&apos;s key.</strong>{' '}
      Keys kept for the session only are gone after a restart; enter the key again on the Profiles screen and these
      uploads continue where they stopped.
    </Banner>
  );
}
