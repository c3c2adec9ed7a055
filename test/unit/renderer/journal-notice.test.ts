// The queue store knows whether a damaged or lost journal waits for the user's word: from the snapshot at start
// (absent means none) and from `queue.journal` events; acknowledging asks main through the real typed API over a
// fake transport, and clears the notice only once main has answered.
import { beforeEach, describe, expect, it } from 'vitest';
import type { BridgeTransport, JournalNotice, QueueSnapshot } from '../../../common/api';
import { buildApi } from '../../../common/api';
import { useApp } from '../../../renderer/stores/app';
import { hydrate, queueActions, subscribe, useQueue } from '../../../renderer/stores/queue';
import { queueTotals } from '../../support/queue-views';

const base: QueueSnapshot = {
  jobs: [],
  totals: queueTotals(),
  settings: { concurrency: 4, bandwidthLimit: null, chunkSize: 50 * 1024 * 1024, waitForPlayable: false },
  network: { online: true, message: 'Connected.' },
};
const lost: JournalNotice = {
  kind: 'lost',
  message: 'The upload journal in /data/uploads was lost (every snapshot is gone).',
  holding: 2,
};

/** Main as the page sees it: answers the snapshot and the acknowledgement (or refuses it); `emit` sends an event. */
function fakeMain(snapshot: QueueSnapshot, acknowledge: 'answer' | 'refuse' = 'answer') {
  let deliver: (event: string, payload: unknown) => void = () => {};
  const asked: { channel: string; input: unknown }[] = [];
  const transport: BridgeTransport = {
    kind: 'websocket',
    invoke: async (channel, input) => {
      asked.push({ channel, input });
      if (channel === 'queue.snapshot') return { ok: true, value: snapshot };
      if (channel === 'queue.acknowledgeJournal' && acknowledge === 'answer')
        return { ok: true, value: { resumed: 2 } };
      return { ok: false, error: { code: 'failed', message: `main could not do ${channel}` } };
    },
    subscribe: (listener) => {
      deliver = listener;
      return () => {};
    },
    pathForFile: () => null,
  };
  Object.assign(globalThis, { window: { convoy: buildApi(transport) } });
  return { asked, emit: (event: string, payload: unknown) => deliver(event, payload) };
}

beforeEach(() => {
  queueActions.applySnapshot(base);
  useApp.setState({ notices: [] });
});

describe('queue store: journal notice', () => {
  it('has none from a snapshot without the field', async () => {
    useQueue.setState({ journal: lost });
    fakeMain(base);
    await hydrate();
    expect(useQueue.getState().journal).toBeNull();
  });

  it('takes the notice from the snapshot', async () => {
    fakeMain({ ...base, journal: lost });
    await hydrate();
    expect(useQueue.getState().journal).toEqual(lost);
  });

  it('follows queue.journal events, null clearing it, and stops when unsubscribed', () => {
    const main = fakeMain(base);
    const off = subscribe();
    main.emit('queue.journal', { ...lost, holding: 0 });
    expect(useQueue.getState().journal).toEqual({ ...lost, holding: 0 });
    main.emit('queue.journal', lost);
    expect(useQueue.getState().journal?.holding).toBe(2);
    main.emit('queue.journal', null);
    expect(useQueue.getState().journal).toBeNull();
    off();
    main.emit('queue.journal', lost);
    expect(useQueue.getState().journal).toBeNull();
  });

  it('acknowledging asks main, returns how many went on and clears the notice', async () => {
    const main = fakeMain({ ...base, journal: lost });
    await hydrate();
    const pending = queueActions.acknowledgeJournal();
    // Nothing is cleared before main answers: a refusal would otherwise hide files that still wait.
    expect(useQueue.getState().journal).toEqual(lost);
    expect(await pending).toBe(2);
    expect(main.asked.filter((a) => a.channel === 'queue.acknowledgeJournal')).toEqual([
      { channel: 'queue.acknowledgeJournal', input: {} },
    ]);
    expect(useQueue.getState().journal).toBeNull();
  });

  it('keeps the notice and says why when main refuses', async () => {
    fakeMain({ ...base, journal: lost }, 'refuse');
    await hydrate();
    expect(await queueActions.acknowledgeJournal()).toBe(0);
    expect(useQueue.getState().journal).toEqual(lost);
    expect(useApp.getState().notices.map((n) => [n.level, n.message])).toEqual([
      ['error', 'main could not do queue.acknowledgeJournal'],
    ]);
  });
});
