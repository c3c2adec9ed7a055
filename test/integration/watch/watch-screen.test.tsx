// @vitest-environment jsdom
// The Watch folders screen on the real composition root (startCore: vault, engine, watch service, router, events),
// through a transport that hands each request to the router and each event to the page: adding a folder shows it
// watching, a path that is not there is refused next to the field, pause and resume, and remove after confirming.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApi, type BridgeTransport } from '../../../common/api';
import { startCore, type Core } from '../../../main/core';
import { WatchScreen } from '../../../renderer/features/watch/WatchScreen';
import * as profilesStore from '../../../renderer/stores/profiles';
import * as watchStore from '../../../renderer/stores/watch';
import { waitFor } from '../uploads/helpers';

let core: Core;
let dataDir: string;
let host: HTMLElement;
let root: Root;
let unsubscribe: () => void;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'convoy-watch-screen-'));
  core = await startCore({ dataDir, platform: { mode: 'browser', secretCipher: null }, version: '0.0.0-test' });
  const transport: BridgeTransport = {
    kind: 'websocket',
    invoke: (channel, request) => core.router.dispatch(channel, request),
    subscribe: (listener) => core.events.subscribe(listener),
    pathForFile: () => null,
  };
  Object.assign(window, { convoy: buildApi(transport) });
  Object.assign(globalThis, { IS_REACT_ACT_ENVIRONMENT: true });
  // jsdom has <dialog> but not its modal methods: opening and closing is all the confirmation needs here.
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.open = false;
  };
  watchStore.useWatch.setState({ loaded: false, loadError: null, watches: [], origins: {} });
  unsubscribe = watchStore.subscribe();
  await Promise.all([watchStore.hydrate(), profilesStore.hydrate()]);
  host = document.body.appendChild(document.createElement('div'));
  root = createRoot(host);
  act(() => root.render(<WatchScreen />));
});

afterEach(async () => {
  act(() => root.unmount());
  host.remove();
  unsubscribe();
  await core.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

function type(label: string, value: string): void {
  const field = [...host.querySelectorAll('label')].find((l) => l.textContent === label);
  const input = document.getElementById(field!.htmlFor) as HTMLInputElement;
  act(() => {
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

function button(name: string, within: ParentNode = host): HTMLButtonElement {
  const found = [...within.querySelectorAll('button')].find((b) => text(b) === name);
  if (!found) throw new Error(`no button "${name}" in: ${text(host)}`);
  return found;
}

function checkbox(label: string): HTMLInputElement {
  const found = [...host.querySelectorAll('label')].find((l) => text(l) === label)?.querySelector('input');
  if (!found || found.type !== 'checkbox') throw new Error(`no checkbox "${label}" in: ${text(host)}`);
  return found;
}

async function click(target: HTMLElement): Promise<void> {
  await act(async () => {
    target.click();
    await new Promise((r) => setTimeout(r, 50));
  });
}

async function until(check: () => boolean, what: string): Promise<void> {
  await act(() => waitFor(check, 10_000, what));
}

describe('WatchScreen', () => {
  it('adds a folder, shows it watching, pauses and resumes it, and removes it after asking', async () => {
    expect(text(host)).toContain('No folder is watched');
    const folder = join(dataDir, 'Exports');
    mkdirSync(folder);

    type('Folder', join(dataDir, 'nowhere'));
    await click(button('Start watching'));
    await until(() => text(host).includes('Nothing is at'), 'the error');
    const error = host.querySelector('.field-error');
    expect(text(error)).toBe(`Nothing is at ${join(dataDir, 'nowhere')}: check the path.`);

    type('Folder', folder);
    type('Tags', 'rushes, day 1');
    await click(button('Start watching'));
    await until(() => host.querySelector('[data-testid="watch-row"]') !== null, 'the row');
    const row = () => host.querySelector('[data-testid="watch-row"]')!;
    await until(() => row().getAttribute('data-state') === 'watching', 'watching');
    expect(text(row())).toContain('Exports');
    expect(text(row())).toContain(folder);
    expect(text(row())).toContain('0 uploaded today');
    expect(text(row())).toContain('as Practice');
    expect(core.watches.list()).toMatchObject([{ path: folder, defaults: { tags: ['rushes', 'day 1'] } }]);

    await click(button('Pause', row()));
    await until(() => row().getAttribute('data-state') === 'paused', 'paused');
    expect(core.watches.list()[0]?.state).toBe('paused');
    await click(button('Resume', row()));
    await until(() => row().getAttribute('data-state') === 'watching', 'watching again');

    await click(button('Remove', row()));
    await click(button('Stop watching'));
    await until(() => host.querySelector('[data-testid="watch-row"]') === null, 'the row gone');
    expect(core.watches.list()).toEqual([]);
  });

  it('adds a folder that leaves sidecars alone and uploads unrecognised files, and its row says so', async () => {
    const folder = join(dataDir, 'Camera');
    mkdirSync(folder);
    const sidecars = checkbox('Send captions, chapters and thumbnails found beside the videos');
    const unrecognised = checkbox('Upload files Convoy does not recognise as video too');
    expect([sidecars.checked, unrecognised.checked]).toEqual([true, false]);
    type('Folder', folder);
    await click(sidecars);
    await click(unrecognised);
    expect([sidecars.checked, unrecognised.checked]).toEqual([false, true]);
    await click(button('Start watching'));
    await until(() => host.querySelector('[data-testid="watch-row"]') !== null, 'the row');
    expect(core.watches.list()).toMatchObject([{ path: folder, noSidecars: true, uploadUnrecognised: true }]);
    const row = host.querySelector('[data-testid="watch-row"]')!;
    expect(text(row)).toContain('videos alone (no captions or thumbnails)');
    expect(text(row)).toContain('unrecognised files upload too');
  });
});
