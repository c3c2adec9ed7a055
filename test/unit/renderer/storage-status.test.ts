// The queue store knows whether main can write the state directory: from the snapshot at start (absent means
// writable) and from `queue.storage` events, through the real typed API over a fake transport.
import { beforeEach, describe, expect, it } from 'vitest';
import type { BridgeTransport, QueueSnapshot, StorageStatus } from '../../../common/api';
import { buildApi } from '../../../common/api';
import { hydrate, queueActions, subscribe, useQueue } from '../../../renderer/stores/queue';
import { queueTotals } from '../../support/queue-views';

const totals = queueTotals();
const base: QueueSnapshot = {
  jobs: [],
  totals,
  settings: { concurrency: 4, bandwidthLimit: null, chunkSize: 50 * 1024 * 1024, waitForPlayable: false },
  network: { online: true, message: 'Connected.' },
};
const full: StorageStatus = {
  writable: false,
  dir: '/data/uploads',
  message: 'The state directory /data/uploads is full (no space left on device).',
};

/** Main as the page sees it: answers `queue.snapshot` with `snapshot`; `emit` delivers an event. */
function fakeMain(snapshot: QueueSnapshot) {
  let deliver: (event: string, payload: unknown) => void = () => {};
  const transport: BridgeTransport = {
    kind: 'websocket',
    invoke: async (channel) =>
      channel === 'queue.snapshot'
        ? { ok: true, value: snapshot }
        : { ok: false, error: { code: 'failed', message: `no answer for ${channel}` } },
    subscribe: (listener) => {
      deliver = listener;
      return () => {};
    },
    pathForFile: () => null,
  };
  Object.assign(globalThis, { window: { convoy: buildApi(transport) } });
  return { emit: (event: string, payload: unknown) => deliver(event, payload) };
}

beforeEach(() => {
  queueActions.applySnapshot(base);
});

describe('queue store: state directory', () => {
  it('starts writable', () => {
    expect(useQueue.getState().storage).toEqual({ writable: true });
  });

  it('takes the status from the snapshot', async () => {
    fakeMain({ ...base, storage: full });
    await hydrate();
    expect(useQueue.getState().storage).toEqual(full);
  });

  it('treats a snapshot without the field as writable, also after a failure was shown', async () => {
    useQueue.setState({ storage: full });
    fakeMain(base);
    await hydrate();
    expect(useQueue.getState().storage).toEqual({ writable: true });
  });

  it('follows queue.storage events both ways, and stops when unsubscribed', () => {
    const main = fakeMain(base);
    const off = subscribe();
    main.emit('queue.storage', full);
    expect(useQueue.getState().storage).toEqual(full);
    main.emit('queue.storage', { writable: true });
    expect(useQueue.getState().storage).toEqual({ writable: true });
    off();
    main.emit('queue.storage', full);
    expect(useQueue.getState().storage).toEqual({ writable: true });
  });
});
