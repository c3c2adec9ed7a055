// The same smoke flow in the real Electron app, where an Electron binary exists, and the resident app: the page on
// the app scheme, closing the window while uploading keeps Convoy running in the tray, quitting asks. Here (no
// binary can be downloaded) it is skipped, and says so; the browser-mode specs cover the same renderer and handlers,
// and test/integration/shell/built-main.test.ts runs the built main bundle under an electron stand-in.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { _electron as electron, test, expect, type ElectronApplication, type Page } from '@playwright/test';
import { makeClip } from '../support/media-clips';
import { tempDir } from '../support/temp-dirs';

const require = createRequire(import.meta.url);

function electronBinary(): string | null {
  try {
    const dir = dirname(require.resolve('electron/package.json'));
    const pathFile = join(dir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();

test.describe('Electron app', () => {
  test.skip(
    !binary,
    'No Electron binary on this machine (Electron 45 downloads it on first use, and this network cannot). The browser-mode specs ran the same flows.',
  );

  test('opens a secure window with the Local sandbox profile and a working bridge', async () => {
    const app = await electron.launch({
      executablePath: binary!,
      args: ['.', '--no-sandbox'],
      env: { ...process.env, CONVOY_DATA_DIR: tempDir('electron') },
    });
    try {
      const page = await app.firstWindow();
      await expect(page.getByTestId('active-profile')).toContainText('Local sandbox');
      // The page comes from the privileged app scheme, not from file://.
      expect(page.url()).toBe('app://convoy/index.html');
      // Context isolation, sandbox, no Node: the page sees neither require nor process nor ipcRenderer.
      const exposed = await page.evaluate(() => ({
        require: typeof (globalThis as { require?: unknown }).require,
        process: typeof (globalThis as { process?: unknown }).process,
        transportKeys: Object.keys(window.convoyTransport ?? {}).sort(),
      }));
      expect(exposed).toEqual({
        require: 'undefined',
        process: 'undefined',
        transportKeys: ['invoke', 'kind', 'pathForFile', 'subscribe'],
      });
      const info = await page.evaluate(() => window.convoy.app.info({}));
      expect(info.mode).toBe('electron');
      const error = await page.evaluate(() => window.convoy.tokens.create({ ttl: -1 }).catch((e: Error) => e.message));
      expect(error).toMatch(/ttl/);
    } finally {
      await app.close();
    }
  });

  test('keeps uploading in the tray when the window closes, and asks before quitting', async () => {
    const dataDir = tempDir('electron');
    const app = await electron.launch({
      executablePath: binary!,
      args: ['.', '--no-sandbox'],
      env: { ...process.env, CONVOY_DATA_DIR: dataDir, CONVOY_SANDBOX_TEST_CONTROLS: '1' },
    });
    let closed = false;
    app.on('close', () => (closed = true));
    try {
      const page = await app.firstWindow();
      await expect(page.getByTestId('active-profile')).toContainText('Local sandbox');
      await startSlowUpload(page, dataDir);
      // Answer the quit question with "Keep uploading" first; record what it asked.
      await app.evaluate(({ dialog }) => {
        const state = globalThis as { asked?: string[]; answer?: number };
        state.asked = [];
        state.answer = 1;
        dialog.showMessageBox = (async (...args: unknown[]) => {
          const options = args.at(-1) as { message: string; detail: string };
          state.asked!.push(`${options.message} ${options.detail}`);
          return { response: state.answer!, checkboxChecked: false };
        }) as typeof dialog.showMessageBox;
      });

      // Close the last window: Convoy stays, said once, and the notice is remembered in the data directory.
      await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.close());
      await expect.poll(() => windowCount(app)).toBe(0);
      expect(closed).toBe(false);
      await expect
        .poll(() => readFileSync(join(dataDir, 'shell-settings.json'), 'utf8'))
        .toContain('"trayNoticeShown":true');

      // Open it again (what the tray's "Open Convoy" and the Dock do): a new window, the upload still going.
      const reopened = app.waitForEvent('window');
      await app.evaluate(({ app: electronApp }) => electronApp.emit('activate'));
      const page2 = await reopened;
      await expect(page2.getByTestId('active-profile')).toContainText('Local sandbox');

      // Quit while uploading: asked; "Keep uploading" keeps it; "Quit" quits, once the engine has closed.
      await app.evaluate(({ app: electronApp }) => electronApp.quit());
      await expect.poll(() => app.evaluate(() => (globalThis as { asked?: string[] }).asked?.length)).toBe(1);
      const [asked] = await app.evaluate(() => (globalThis as { asked?: string[] }).asked ?? []);
      expect(asked).toMatch(/uploading\?.*resume where they stopped the next time Convoy starts/);
      expect(closed).toBe(false);
      const gone = app.waitForEvent('close');
      await app.evaluate(({ app: electronApp }) => {
        (globalThis as { answer?: number }).answer = 0;
        electronApp.quit();
      });
      await gone;
      closed = true;
    } finally {
      if (!closed) await app.close();
    }
  });
});

function windowCount(app: ElectronApplication): Promise<number> {
  return app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length);
}

/** Queues a real clip against the local sandbox, slowed so that it is still uploading when the test acts. */
async function startSlowUpload(page: Page, dataDir: string): Promise<void> {
  const clip = await makeClip(join(dataDir, 'media'), { container: 'mp4', seconds: 4, width: 640, height: 360 });
  const sandboxUrl = await page.evaluate(async () => {
    const state = await window.convoy.profiles.list({});
    return state.profiles.find((p) => p.environment.kind === 'local')!.environment.baseUrl;
  });
  const slowed = await fetch(`${sandboxUrl}/_sandbox/faults`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ totalBytesPerSec: 2048 }),
  });
  expect(slowed.status).toBe(200);
  await page.evaluate((path) => window.convoy.queue.add({ paths: [path] }), clip);
  await expect
    .poll(() => page.evaluate(async () => (await window.convoy.queue.snapshot({})).jobs[0]?.state))
    .toBe('uploading');
}
