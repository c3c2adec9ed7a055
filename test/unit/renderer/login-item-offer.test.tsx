// @vitest-environment jsdom
// Launch at login, offered on the Watch folders screen once a folder is watched (issue 16): the page asks main
// through the real bridge router and app handlers, with the platform's login item injected (Electron's own API is
// the OS boundary). Hidden where it is not supported (browser mode), before any watch, and once it is on.
import { act } from 'react';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AppInfo, BridgeTransport, WatchView } from '../../../common/api';
import { buildApi } from '../../../common/api';
import { appHandlers } from '../../../main/bridge/handlers/app';
import { createRouter, type HandlerMap } from '../../../main/bridge/router';
import type { LoginItem, Platform } from '../../../main/platform';
import { LoginItemOffer } from '../../../renderer/features/watch/WatchScreen';
import { useWatch, watchActions } from '../../../renderer/stores/watch';
import { mountEachTest } from './mounted';

let openAtLogin = false;
let supported = true;
const loginItem: LoginItem = {
  get supported() {
    return supported;
  },
  get: () => openAtLogin,
  set: (value) => void (openAtLogin = value),
};

beforeEach(() => {
  openAtLogin = false;
  supported = true;
  const platform = { mode: 'electron', secretCipher: null, loginItem } as Platform;
  const router = createRouter(appHandlers({ info: () => ({}) as AppInfo, platform }) as unknown as HandlerMap);
  const transport: BridgeTransport = {
    kind: 'ipc',
    invoke: (channel, payload) => router.dispatch(channel, payload) as never,
    subscribe: () => () => {},
    pathForFile: () => null,
  };
  Object.assign(window, { convoy: buildApi(transport) });
  useWatch.setState({ watches: [], loginItem: null });
});
const view = mountEachTest(() => <LoginItemOffer />);

const oneWatch = [{ id: 'w1' } as WatchView];

describe('LoginItemOffer', () => {
  it('is offered once a folder is watched, turns launch at login on through main, and then goes', async () => {
    await act(async () => useWatch.setState({ loginItem: await window.convoy.app.loginItem({}) }));
    expect(view.host.innerHTML).toBe(''); // nothing watched yet
    act(() => useWatch.setState({ watches: oneWatch }));
    const offer = view.host.querySelector('[data-testid="login-item-offer"]');
    expect(offer?.textContent).toContain('Start Convoy when you log in');
    const button = [...view.host.querySelectorAll('button')].find((b) => b.textContent === 'Start with my computer');
    await act(async () => button!.click());
    await act(async () => {}); // the store's answer from main
    expect(openAtLogin).toBe(true);
    expect(view.host.innerHTML).toBe('');
  });

  it('is not offered where the platform has no login item (browser mode)', async () => {
    supported = false;
    await act(async () => watchActions.setOpenAtLogin(false).catch(() => {}));
    act(() => useWatch.setState({ watches: oneWatch }));
    expect(useWatch.getState().loginItem).toEqual({ supported: false, openAtLogin: false });
    expect(view.host.innerHTML).toBe('');
  });
});
