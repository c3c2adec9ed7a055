// The tray icon with Electron's Tray and Menu injected: overall progress in its tooltip and menu, pause all and
// resume all when they apply, open and quit, and the two resident choices, one of them persisted in the data dir.
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LoginItem } from '../../../main/platform';
import { observedLoginItem } from '../../../main/shell/login-item';
import { openShellSettings, shellSettingsFile } from '../../../main/shell/shell-settings';
import { createResidentTray, statusLine } from '../../../main/shell/tray';
import { summarize } from '../../../main/shell/resident-work';
import { scratchDirs } from '../../support/scratch-dirs';
import { fakeTrayElectron, movableWork, totalsOf } from './resident-fakes';

const scratch = scratchDirs('tray');

function setUp(platform: NodeJS.Platform = 'linux', loginItem?: LoginItem) {
  const fake = fakeTrayElectron();
  const moving = movableWork();
  const file = shellSettingsFile(scratch());
  const settings = openShellSettings(file);
  const opened: string[] = [];
  const tray = createResidentTray({
    electron: fake.electron,
    image: 'icon' as never,
    platform,
    work: moving.work,
    settings,
    ...(loginItem ? { loginItem } : {}),
    open: () => opened.push('open'),
    quit: () => opened.push('quit'),
  });
  return { fake, moving, tray, file, opened };
}

describe('the tray status line', () => {
  it('says what is uploading, paused, failed and watched, or that nothing is', () => {
    const line = (byState: Parameters<typeof totalsOf>[0], bytes = 0, confirmed = 0, watches = 0) =>
      statusLine(summarize(totalsOf(byState, bytes, confirmed), watches));
    expect(line({})).toBe('Nothing to upload');
    expect(line({ done: 3 })).toBe('All uploaded (3 files)');
    expect(line({ uploading: 1, queued: 2 }, 1000, 425)).toBe('Uploading 3 files: 42%');
    expect(line({ uploading: 1, paused: 2, failed: 1 }, 1000, 999, 2)).toBe(
      'Uploading 1 file: 99%, 2 paused, 1 failed, watching 2 folders',
    );
    expect(line({ done: 4 }, 0, 0, 1)).toBe('Watching 1 folder');
  });
});

describe('the tray', () => {
  it('shows overall progress in its tooltip and menu, and follows the work', () => {
    const { fake, moving } = setUp();
    const [tray] = fake.trays;
    expect(tray!.toolTip).toBe('Convoy\nNothing to upload');
    moving.set(totalsOf({ uploading: 2, done: 1 }, 3000, 1500));
    expect(tray!.toolTip).toBe('Convoy\nUploading 2 files: 50%');
    expect(tray!.menu[0]).toMatchObject({ label: 'Uploading 2 files: 50%', enabled: false });
  });

  it('rebuilds its menu only when what it shows changes', () => {
    const { fake, moving } = setUp();
    moving.set(totalsOf({ uploading: 1 }, 1000, 100));
    const builds = fake.builds();
    moving.set(totalsOf({ uploading: 1 }, 1000, 101)); // still 10%
    expect(fake.builds()).toBe(builds);
    moving.set(totalsOf({ uploading: 1 }, 1000, 200));
    expect(fake.builds()).toBe(builds + 1);
  });

  it('offers pause all while files upload and resume all while some are paused', () => {
    const { fake, moving } = setUp();
    expect(fake.item('Pause all').enabled).toBe(false);
    expect(fake.item('Resume all').enabled).toBe(false);
    moving.set(totalsOf({ uploading: 1, paused: 1 }, 10, 1));
    expect(fake.item('Pause all').enabled).toBe(true);
    expect(fake.item('Resume all').enabled).toBe(true);
    fake.item('Pause all').click!({ checked: false });
    fake.item('Resume all').click!({ checked: false });
    expect(moving.counts).toEqual({ pauseAll: 1, resumeAll: 1 });
  });

  it('opens the window from its menu and, outside macOS, from a click; quits from its menu', () => {
    const { fake, opened } = setUp('win32');
    fake.item('Open Convoy').click!({ checked: false });
    fake.trays[0]!.emit('click');
    fake.item('Quit Convoy').click!({ checked: false });
    expect(opened).toEqual(['open', 'open', 'quit']);
  });

  it('on macOS leaves the click to the menu and shows the percentage beside the icon', () => {
    const { fake, moving, opened } = setUp('darwin');
    fake.trays[0]!.emit('click');
    expect(opened).toEqual([]);
    moving.set(totalsOf({ uploading: 1 }, 100, 37));
    expect(fake.trays[0]!.title).toBe('37%');
    moving.set(totalsOf({ done: 1 }, 100, 100));
    expect(fake.trays[0]!.title).toBe('');
  });

  it('keeps the close-to-tray choice in the data directory', () => {
    const { fake, file } = setUp();
    expect(fake.item('Keep running when the window closes').checked).toBe(true);
    fake.item('Keep running when the window closes').click!({ checked: false });
    expect(openShellSettings(file).get().keepRunningInTray).toBe(false);
    expect(fake.item('Keep running when the window closes').checked).toBe(false);
  });

  it('offers open at login where the OS has login items, off by default', () => {
    let on = false;
    const loginItem: LoginItem = { supported: true, get: () => on, set: (value) => void (on = value) };
    const { fake } = setUp('darwin', loginItem);
    expect(fake.item('Open at login').checked).toBe(false);
    fake.item('Open at login').click!({ checked: true });
    expect(on).toBe(true);
    expect(fake.item('Open at login').checked).toBe(true);

    // Turned on elsewhere (the watch screen), the tray's checkbox follows.
    const watched = observedLoginItem({ supported: true, get: () => on, set: (value) => void (on = value) });
    const other = setUp('win32', watched);
    expect(other.fake.item('Open at login').checked).toBe(true);
    watched.set(false);
    expect(other.fake.item('Open at login').checked).toBe(false);
    other.tray.destroy();

    const linux = setUp('linux', { supported: false, get: () => false, set: () => {} });
    expect(() => linux.fake.item('Open at login')).toThrow(/no "Open at login"/);
  });

  it('stops following the work and removes its icon when destroyed', () => {
    const { fake, moving, tray } = setUp();
    tray.destroy();
    expect(fake.trays[0]!.destroyed).toBe(true);
    expect(moving.listeners.size).toBe(0);
  });

  it('writes its settings file privately', () => {
    const { fake, file } = setUp();
    fake.item('Keep running when the window closes').click!({ checked: false });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
