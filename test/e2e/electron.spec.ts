// The same smoke flow in the real Electron app, where an Electron binary exists. Here (no binary can be
// downloaded) it is skipped, and says so; the browser-mode specs cover the same renderer and handlers.
import { existsSync, readFileSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { _electron as electron, test, expect } from '@playwright/test';

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
      env: { ...process.env, CONVOY_DATA_DIR: mkdtempSync(join(tmpdir(), 'convoy-electron-')) },
    });
    try {
      const page = await app.firstWindow();
      await expect(page.getByTestId('active-profile')).toContainText('Local sandbox');
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
});
