// The Electron IPC adapter checks every sender: only our own window, showing our own page, reaches the
// router. Electron itself cannot run here, so its ipcMain is the one substitute (the OS boundary).
import { describe, expect, it, vi } from 'vitest';

const handlers = new Map<string, (...args: unknown[]) => unknown>();
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (...args: unknown[]) => unknown) => handlers.set(channel, fn),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));

const { bindIpc, INVOKE, EVENT } = await import('../../../main/shell/ipc');
const { EventBus } = await import('../../../main/bridge/events');
const { PAGE_URL } = await import('../../../main/shell/app-scheme');

// The page the shell binds: app://convoy/index.html.
const pageUrl = PAGE_URL;

function fakeWindow(id: number) {
  const sent: unknown[][] = [];
  return {
    sent,
    win: { isDestroyed: () => false, webContents: { id, send: (...args: unknown[]) => sent.push(args) } },
  };
}

function fakeEvent(senderId: number, url: string, subframe = false) {
  const mainFrame = { url };
  return { sender: { id: senderId, mainFrame }, senderFrame: subframe ? { url } : mainFrame };
}

describe('Electron IPC adapter', () => {
  const dispatched: unknown[] = [];
  const router = {
    dispatch: async (channel: string, payload: unknown) => (
      dispatched.push([channel, payload]),
      { ok: true as const, value: 'pong' }
    ),
  };
  const events = new EventBus();
  const ours = fakeWindow(1);
  const unbind = bindIpc(router, events, () => [ours.win as never], pageUrl);
  const invoke = handlers.get(INVOKE)!;

  it('dispatches requests from our own window and page', async () => {
    expect(await invoke(fakeEvent(1, `${pageUrl}#x`), 'app.info', {})).toEqual({ ok: true, value: 'pong' });
    expect(dispatched).toEqual([['app.info', {}]]);
  });

  it('refuses another webContents, another page, and subframes', async () => {
    for (const event of [fakeEvent(2, pageUrl), fakeEvent(1, 'https://evil.example/'), fakeEvent(1, pageUrl, true)]) {
      expect(await invoke(event, 'app.info', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(dispatched).toHaveLength(1);
  });

  it('refuses our window showing anything but the app scheme page', async () => {
    for (const url of [
      'app://convoy.evil/index.html',
      'app://convoy/other.html',
      'app://convoy/',
      'file:///app/out/renderer/index.html',
      'http://127.0.0.1:5173/index.html',
    ]) {
      expect(await invoke(fakeEvent(1, url), 'app.info', {})).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
    }
    expect(dispatched).toHaveLength(1);
  });

  it('sends events to our windows and unbinds cleanly', () => {
    events.emit('app.notice', { level: 'info', message: 'hi' });
    expect(ours.sent).toEqual([[EVENT, 'app.notice', { level: 'info', message: 'hi' }]]);
    unbind();
    expect(handlers.has(INVOKE)).toBe(false);
  });
});
