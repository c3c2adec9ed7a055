// The renderer's entry starts every store through one list: each store file is listed, each hydrates from
// main through the real typed API (over a fake transport), and each follows the bridge's events until unsubscribed.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AppInfo, BridgeTransport, Envelope, JobView, ProfilesState, QueueSnapshot } from '../../../common/api';
import { buildApi, eventChannelNames } from '../../../common/api';
import { connectionChanged, hydrateStores, stores, subscribeStores } from '../../../renderer/stores/hydrate';
import { useApp } from '../../../renderer/stores/app';
import { useProfiles } from '../../../renderer/stores/profiles';
import { queueActions, useQueue } from '../../../renderer/stores/queue';
import { jobView, queueTotals } from '../../support/queue-views';

const info: AppInfo = {
  version: '9.9.9',
  mode: 'browser',
  platform: 'linux',
  dataDir: '/tmp/convoy',
  secretStorage: { encrypted: false, backend: 'none' },
  nativeDialogs: false,
};
const profiles: ProfilesState = {
  activeId: 'p1',
  profiles: [
    {
      id: 'p1',
      name: 'Local sandbox',
      environment: { kind: 'local', baseUrl: 'http://127.0.0.1:9', label: 'Local sandbox' },
      authKind: 'bearer',
      keyHint: '••••a1b2',
      secretStorage: 'session',
      hasSecret: true,
      createdAt: '2026-12-06T00:00:00Z',
    },
  ],
};
const totals = queueTotals({ files: 1, bytes: 100 });
const job = (id: string): JobView => jobView(id, { profileId: 'p1' });
const snapshot: QueueSnapshot = {
  jobs: [job('a')],
  totals,
  settings: { concurrency: 2, bandwidthLimit: null, chunkSize: 50 * 1024 * 1024, waitForPlayable: false },
  network: { online: true, message: 'Connected.' },
};

/** Answers what the stores ask at start; records every request and every event name a store listens to. */
function fakeMain(answers: Record<string, Envelope<unknown>>) {
  const invoked: string[] = [];
  let deliver: (event: string, payload: unknown) => void = () => {};
  const transport: BridgeTransport = {
    kind: 'websocket',
    invoke: async (channel) => {
      invoked.push(channel);
      return answers[channel] ?? { ok: false, error: { code: 'failed', message: `no answer for ${channel}` } };
    },
    subscribe: (listener) => {
      deliver = listener;
      return () => {};
    },
    pathForFile: () => null,
  };
  const convoy = buildApi(transport);
  const listened = new Map<string, number>();
  const on = convoy.on.bind(convoy);
  convoy.on = (event, listener) => {
    listened.set(event, (listened.get(event) ?? 0) + 1);
    const off = on(event, listener);
    return () => {
      listened.set(event, listened.get(event)! - 1);
      off();
    };
  };
  Object.assign(globalThis, { window: { convoy } });
  return { invoked, listened, emit: (event: string, payload: unknown) => deliver(event, payload) };
}

const startAnswers = {
  'app.info': { ok: true, value: info },
  'profiles.list': { ok: true, value: profiles },
  'queue.snapshot': { ok: true, value: snapshot },
} satisfies Record<string, Envelope<unknown>>;

beforeEach(() => {
  useApp.setState({ info: null, connected: false, notices: [] });
  useProfiles.setState({ profiles: [], activeId: null, loaded: false, checks: {} });
  queueActions.applySnapshot({ ...snapshot, jobs: [] });
  useQueue.setState({ loaded: false });
});

describe('the store entry', () => {
  it('lists every store file in renderer/stores, each with hydrate() and subscribe()', () => {
    const files = readdirSync(join(process.cwd(), 'renderer/stores'))
      .filter((f) => f.endsWith('.ts') && f !== 'hydrate.ts')
      .map((f) => f.replace(/\.ts$/, ''));
    expect(Object.keys(stores).sort()).toEqual(files.sort());
    for (const store of Object.values(stores)) {
      expect(typeof store.hydrate).toBe('function');
      expect(typeof store.subscribe).toBe('function');
    }
  });

  it('hydrates every store from main', async () => {
    const main = fakeMain(startAnswers);
    await hydrateStores();
    expect(main.invoked.sort()).toEqual([
      'app.info',
      'app.loginItem',
      'profiles.list',
      'queue.snapshot',
      'watch.list',
      'watch.origins',
    ]);
    expect(useApp.getState().info).toEqual(info);
    expect(useProfiles.getState()).toMatchObject({ loaded: true, activeId: 'p1' });
    expect(useQueue.getState()).toMatchObject({ loaded: true, order: ['a'] });
    expect(useApp.getState().notices).toEqual([]);
  });

  it('shows a failed start as an error notice', async () => {
    fakeMain({
      ...startAnswers,
      'profiles.list': { ok: false, error: { code: 'failed', message: 'The vault is locked.' } },
    });
    await hydrateStores();
    expect(useApp.getState().notices).toMatchObject([{ level: 'error', message: 'The vault is locked.' }]);
  });

  it('subscribes every store to every event main sends, and unsubscribes them all', () => {
    const main = fakeMain(startAnswers);
    const off = subscribeStores();
    expect(
      [...main.listened]
        .filter(([, n]) => n > 0)
        .map(([e]) => e)
        .sort(),
    ).toEqual([...eventChannelNames].sort());

    main.emit('app.notice', { level: 'error', message: 'Disk full.' });
    main.emit('profiles.changed', profiles);
    main.emit('queue.jobs', { upserts: [job('b')], removed: [] });
    main.emit('network.status', { online: false, message: 'Offline.' });
    expect(useApp.getState().notices.map((n) => n.message)).toEqual(['Disk full.']);
    expect(useProfiles.getState().activeId).toBe('p1');
    expect(useQueue.getState().order).toEqual(['b']);
    expect(useQueue.getState().network.online).toBe(false);

    off();
    expect([...main.listened.values()].every((n) => n === 0)).toBe(true);
    main.emit('app.notice', { level: 'error', message: 'Again.' });
    main.emit('queue.jobs', { upserts: [job('c')], removed: [] });
    expect(useApp.getState().notices).toHaveLength(1);
    expect(useQueue.getState().order).toEqual(['b']);
  });

  it('hydrates again after a reconnect, not on every connected call', async () => {
    const main = fakeMain(startAnswers);
    connectionChanged(true);
    await Promise.resolve();
    connectionChanged(true);
    await settle();
    expect(main.invoked).toHaveLength(6);
    connectionChanged(false);
    expect(useApp.getState().connected).toBe(false);
    connectionChanged(true);
    await settle();
    expect(main.invoked).toHaveLength(12);
    expect(useApp.getState().connected).toBe(true);
  });
});

/** Lets the fake transport's answers land. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}
