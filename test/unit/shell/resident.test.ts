// Convoy as a resident app, with Electron's app, dialog and notifications injected: closing the last window while
// work is active keeps it in the tray (said once, persisted), quitting while uploading asks and says uploads
// resume, and the quit waits for the core to close.
import { describe, expect, it } from 'vitest';
import { keepResident, quitQuestion } from '../../../main/shell/resident';
import { openShellSettings, shellSettingsFile } from '../../../main/shell/shell-settings';
import { scratchDirs } from '../../support/scratch-dirs';
import { fakeApp, movableWork, totalsOf } from './resident-fakes';

const scratch = scratchDirs('resident');

function setUp(options: { platform?: NodeJS.Platform; answer?: number; keepRunning?: boolean } = {}) {
  const { app, beforeQuit } = fakeApp();
  const moving = movableWork();
  const file = shellSettingsFile(scratch());
  const settings = openShellSettings(file);
  if (options.keepRunning === false) settings.update({ keepRunningInTray: false });
  const notices: string[] = [];
  const questions: Electron.MessageBoxOptions[] = [];
  const order: string[] = [];
  let release: () => void = () => {};
  keepResident({
    app: app as never,
    dialog: {
      showMessageBox: (async (question: Electron.MessageBoxOptions) => {
        questions.push(question);
        return { response: options.answer ?? 0, checkboxChecked: false };
      }) as never,
    },
    platform: options.platform ?? 'linux',
    work: moving.work,
    settings,
    notify: (title) => notices.push(title),
    window: () => null,
    close: () =>
      new Promise<void>((resolve) => {
        order.push('close started');
        release = () => {
          order.push('core closed');
          resolve();
        };
      }),
  });
  app.quit = () => {
    order.push('app.quit');
    app.quits += 1;
  };
  return { app, beforeQuit, moving, file, notices, questions, order, release: () => release() };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('closing the last window', () => {
  it('keeps Convoy in the tray while files upload, and says so once', () => {
    const { app, moving, notices, file } = setUp();
    moving.set(totalsOf({ uploading: 1 }, 10, 1));
    app.emit('window-all-closed');
    app.emit('window-all-closed');
    expect(app.quits).toBe(0);
    expect(notices).toEqual(['Convoy keeps working in the tray']);
    // Said once for good: the next start does not say it again.
    expect(openShellSettings(file).get().trayNoticeShown).toBe(true);
  });

  it('keeps Convoy in the tray while a watch folder is active', () => {
    const { app, moving } = setUp();
    moving.set(totalsOf({ done: 2 }), 1);
    app.emit('window-all-closed');
    expect(app.quits).toBe(0);
  });

  it('quits on Windows and Linux when there is no work, or when the user turned the tray off', () => {
    const idle = setUp();
    idle.app.emit('window-all-closed');
    expect(idle.app.quits).toBe(1);

    const off = setUp({ keepRunning: false });
    off.moving.set(totalsOf({ uploading: 1 }, 10, 1));
    off.app.emit('window-all-closed');
    expect(off.app.quits).toBe(1);
    expect(off.notices).toEqual([]);
  });

  it('stays on macOS, as Mac apps do, and names the menu bar', () => {
    const mac = setUp({ platform: 'darwin' });
    mac.app.emit('window-all-closed');
    expect(mac.app.quits).toBe(0);
    mac.moving.set(totalsOf({ queued: 1 }, 10, 0));
    mac.app.emit('window-all-closed');
    expect(mac.notices).toEqual(['Convoy keeps working in the menu bar']);
  });
});

describe('quitting', () => {
  it('with nothing uploading asks nothing and quits once the core has closed', async () => {
    const { beforeQuit, questions, order, release } = setUp();
    expect(beforeQuit()).toBe(true);
    expect(order).toEqual(['close started']);
    release();
    await settle();
    expect(order).toEqual(['close started', 'core closed', 'app.quit']);
    // The quit the shell makes itself goes through.
    expect(beforeQuit()).toBe(false);
    expect(questions).toEqual([]);
  });

  it('while uploading asks first, and says the uploads resume at the next start', async () => {
    const { beforeQuit, moving, questions, order, release } = setUp({ answer: 0 });
    moving.set(totalsOf({ uploading: 2, queued: 1 }, 10, 1));
    expect(beforeQuit()).toBe(true);
    await settle();
    expect(questions).toHaveLength(1);
    expect(questions[0]!.message).toBe('Quit while 3 files are uploading?');
    expect(questions[0]!.detail).toMatch(/resume where they stopped the next time Convoy starts/);
    expect(questions[0]!.buttons).toEqual(['Quit', 'Keep uploading']);
    expect(questions[0]!.cancelId).toBe(1);
    expect(order).toEqual(['close started']);
    // A second quit while closing is held too, and asks nothing more.
    expect(beforeQuit()).toBe(true);
    release();
    await settle();
    expect(order).toEqual(['close started', 'core closed', 'app.quit']);
    expect(questions).toHaveLength(1);
  });

  it('while uploading, "Keep uploading" keeps Convoy running and a later quit asks again', async () => {
    const { beforeQuit, moving, questions, order } = setUp({ answer: 1 });
    moving.set(totalsOf({ uploading: 1 }, 10, 1));
    expect(beforeQuit()).toBe(true);
    await settle();
    expect(order).toEqual([]);
    expect(beforeQuit()).toBe(true);
    await settle();
    expect(questions).toHaveLength(2);
    expect(quitQuestion(1).message).toBe('Quit while 1 file is uploading?');
  });
});
