// Says what happens next while the network is away: when the next check runs, and that uploads resume by themselves.
import type { ReactElement } from 'react';
import { useApp } from '../../stores/app';
import { useQueue } from '../../stores/queue';
import { Banner } from '../../ui/controls';
import { timeLeft } from '../../ui/format';
import { useNow } from '../../ui/useNow';

export function OfflineBanner(): ReactElement | null {
  const network = useQueue((s) => s.network);
  // Without the engine, its last word on the network (and its countdown to the next check) is no longer news: the
  // shell's banner says the engine is out of reach instead.
  const connected = useApp((s) => s.connected);
  const now = useNow(!network.online && connected);
  if (network.online || !connected) return null;
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
