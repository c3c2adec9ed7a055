// Deletions are confirmed in the app's one toast: cancelling and removing files (one, several, "Clear finished")
// and removing a profile each leave a notice saying what happened, through the stores and a fake transport as main
// would answer. The toast stays while held (pointer or focus on it) and Escape's dismissal takes the newest only.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BridgeTransport, Envelope, ProfilesState } from '../../../common/api';
import { buildApi } from '../../../common/api';
import { appActions, NOTICE_SHOWN_MS, useApp } from '../../../renderer/stores/app';
import { profileActions, useProfiles } from '../../../renderer/stores/profiles';
import { controlReceipt, queueActions, useQueue } from '../../../renderer/stores/queue';
import { jobView } from '../../support/queue-views';

const profiles: ProfilesState = {
  activeId: 'p1',
  profiles: [
    {
      id: 'p2',
      name: 'Production',
      environment: { kind: 'production', baseUrl: 'https://ws.api.video', label: 'Production' },
      authKind: 'bearer',
      keyHint: '••••a1b2',
      secretStorage: 'session',
      hasSecret: true,
      createdAt: '2026-12-06T00:00:00Z',
    },
  ],
};

let answers: Record<string, unknown>;
beforeEach(() => {
  answers = {};
  const transport: BridgeTransport = {
    kind: 'websocket',
    invoke: async (channel) =>
      (channel in answers
        ? { ok: true, value: answers[channel] }
        : { ok: false, error: { code: 'failed', message: `no answer for ${channel}` } }) as Envelope<never>,
    subscribe: () => () => {},
    pathForFile: () => null,
  };
  Object.assign(globalThis, { window: { convoy: buildApi(transport) } });
  useApp.setState({ notices: [] });
  queueActions.applySnapshot({
    jobs: [jobView('a'), jobView('b'), jobView('c')],
    totals: useQueue.getState().totals,
    settings: { concurrency: 4, bandwidthLimit: null, chunkSize: 'adaptive', waitForPlayable: false },
    network: { online: true, message: '' },
  });
});
afterEach(() => vi.useRealTimers());

const messages = () => useApp.getState().notices.map((n) => `${n.level}: ${n.message}`);

describe('a cancel or a removal of files is confirmed in the toast', () => {
  it('names the one file cancelled, and counts several', async () => {
    answers['queue.control'] = { affected: 1 };
    await queueActions.control('cancel', ['a']);
    answers['queue.control'] = { affected: 2 };
    await queueActions.control('cancel', ['b', 'c']);
    expect(messages()).toEqual([
      'info: Cancelled a.mp4. Retry starts it over.',
      'info: Cancelled 2 uploads. Retry starts them over.',
    ]);
  });

  it('tells a removal from a "Clear finished", and warns when nothing was done', async () => {
    answers['queue.control'] = { affected: 3 };
    await queueActions.control('remove', ['a', 'b', 'c']);
    await queueActions.control('remove', ['a', 'b', 'c'], true);
    answers['queue.control'] = { affected: 0 };
    await queueActions.control('cancel', ['a']);
    expect(messages()).toEqual([
      'info: Removed 3 files from the queue.',
      'info: Cleared 3 finished files from the queue and Results. The videos stay on the server.',
      'warning: Nothing was cancelled: a.mp4 had finished or stopped already.',
    ]);
  });

  it('says nothing of pause, resume or retry: the rows show those', async () => {
    answers['queue.control'] = { affected: 3 };
    await queueActions.control('pause');
    await queueActions.control('retry', ['a']);
    expect(messages()).toEqual([]);
    expect(controlReceipt('resume', 2, 2, [])).toBeNull();
  });

  it('a refused request is an error notice, and no confirmation', async () => {
    await queueActions.control('remove', ['a']);
    expect(messages()).toEqual(['error: no answer for queue.control']);
  });
});

describe('removing a profile is confirmed in the toast', () => {
  it('names the profile and what was deleted with it', async () => {
    useProfiles.setState({ ...profiles, loaded: true });
    answers['profiles.remove'] = { activeId: 'p1', profiles: [] };
    await profileActions.remove('p2');
    expect(useProfiles.getState().profiles).toEqual([]);
    expect(messages()).toEqual(['info: Removed the profile Production; its key is deleted from this computer.']);
  });
});

describe('the toast', () => {
  it('goes by itself, but not while it is held, and an error stays', () => {
    vi.useFakeTimers();
    appActions.notify({ level: 'info', message: 'One' });
    appActions.notify({ level: 'error', message: 'Two' });
    const [one] = useApp.getState().notices;
    appActions.holdNotice(one!.id);
    vi.advanceTimersByTime(NOTICE_SHOWN_MS * 2);
    expect(messages()).toEqual(['info: One', 'error: Two']);
    appActions.releaseNotice(one!.id);
    vi.advanceTimersByTime(NOTICE_SHOWN_MS);
    expect(messages()).toEqual(['error: Two']);
  });

  it('Escape takes the newest notice only', () => {
    appActions.notify({ level: 'info', message: 'Older' });
    appActions.notify({ level: 'info', message: 'Newer' });
    expect(appActions.dismissNewest()).toBe(true);
    expect(messages()).toEqual(['info: Older']);
    expect(appActions.dismissNewest()).toBe(true);
    expect(appActions.dismissNewest()).toBe(false);
  });
});
