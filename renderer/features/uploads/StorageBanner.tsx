// Says that uploads are paused because the state directory (the journal's folder) cannot be written: which
// directory and why, and that they go on by themselves once it can.
import type { ReactElement } from 'react';
import { useQueue } from '../../stores/queue';
import { Banner } from '../../ui/controls';

export function StorageBanner(): ReactElement | null {
  const storage = useQueue((s) => s.storage);
  if (storage.writable) return null;
  return (
    <div className="offline-banner" data-testid="storage-banner">
      <Banner tone="warning" icon="alert">
        <strong>{storage.message}</strong> Uploads are paused; they go on by themselves once Convoy can write there
        again. Free some space or fix the folder&apos;s permissions.
      </Banner>
    </div>
  );
}
