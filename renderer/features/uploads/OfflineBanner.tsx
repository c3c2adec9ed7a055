// Says what happens next while the network is away: when the next check runs, and that uploads resume by themselves.
import type { ReactElement } from 'react';
import { useQueue } from '../../stores/queue';
import { Banner } from '../../ui/controls';
import { timeLeft } from '../../ui/format';
import { useNow } from '../../ui/useNow';

export function OfflineBanner(): ReactElement | null {
  const network = useQueue((s) => s.network);
  const now = useNow(!network.online);
  if (network.online) return null;
  const left = network.nextProbeAt === undefined ? undefined : timeLeft(network.nextProbeAt, now);
  const when = left === undefined ? 'checking again shortly' : left === null ? 'checking now' : `retrying in ${left}`;
  const detail = network.reason ?? '';
  return (
    <div className="offline-banner" data-testid="offline-banner">
      <Banner tone="warning" icon="offline">
        <strong>Offline — {when}; uploads resume by themselves.</strong>
        {detail ? <span className="banner-detail"> {detail}</span> : null}
      </Banner>
    </div>
  );
}
