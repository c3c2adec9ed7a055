// @vitest-environment jsdom
// The offline banner says what the engine last said about the network, only while the page can hear the engine:
// once the engine is out of reach its countdown to the next check is stale, and the banner leaves (the shell's
// own banner says the engine is away).
import { act } from 'react';
import { beforeEach, describe, expect, it } from 'vitest';
import { OfflineBanner } from '../../../renderer/features/uploads/OfflineBanner';
import { useApp } from '../../../renderer/stores/app';
import { useQueue } from '../../../renderer/stores/queue';
import { mountEachTest } from './mounted';

beforeEach(() => {
  useApp.setState({ connected: true });
  useQueue.setState({ network: { online: true, message: '' } });
});
const view = mountEachTest(() => <OfflineBanner />);
const offline = {
  online: false,
  reason: 'The server cannot be reached.',
  nextProbeAt: Date.now() + 30_000,
  message: '',
};

describe('OfflineBanner', () => {
  it('shows while the engine says the network is away', () => {
    act(() => useQueue.setState({ network: offline }));
    expect(view.host.textContent).toContain('Offline — retrying in');
    expect(view.host.textContent).toContain('The server cannot be reached.');
  });

  it('leaves once the engine itself is out of reach: what it said is no longer news', () => {
    act(() => useQueue.setState({ network: offline }));
    act(() => useApp.setState({ connected: false }));
    expect(view.host.innerHTML).toBe('');
  });
});
