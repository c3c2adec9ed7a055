// A state directory that cannot be written, for real: the app's uploads folder is a 64 KiB tmpfs that the test
// fills. Uploads pause with a banner naming the directory and the cause; freeing space lets them go on by themselves.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startApp } from './app-process';
import { test as base, everyRowDone, expect, switchColourScheme, type Page } from './fixtures';

const MiB = 1024 * 1024;

const test = base.extend<{ stateDir: string }>({
  /** `<data dir>/uploads` as a 64 KiB tmpfs (mounting needs root: root ignores permissions, not a full disk). */
  // eslint-disable-next-line no-empty-pattern -- Playwright's fixture signature: this fixture needs none.
  stateDir: async ({}, use, testInfo) => {
    testInfo.skip(process.getuid?.() !== 0, 'Mounting a small tmpfs as the state directory needs root; not root here.');
    const dataDir = mkdtempSync(join(tmpdir(), 'convoy-e2e-storage-'));
    const stateDir = join(dataDir, 'uploads');
    mkdirSync(stateDir);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', stateDir], { stdio: 'pipe' });
    } catch (error) {
      rmSync(dataDir, { recursive: true, force: true });
      testInfo.skip(
        true,
        `Cannot mount a tmpfs as the state directory here: ${String((error as { stderr?: unknown }).stderr ?? error).trim()}`,
      );
      return;
    }
    await use(stateDir);
    execFileSync('umount', [stateDir]);
    rmSync(dataDir, { recursive: true, force: true });
  },
  app: async ({ stateDir }, use) => {
    const app = await startApp(dirname(stateDir));
    await use(app);
    await app.stop();
  },
});

/** Writes into `dir` until the filesystem is full; returns the file that took the space. */
function fill(dir: string): string {
  const path = join(dir, 'filler');
  const fd = openSync(path, 'w');
  const block = Buffer.alloc(4096, 1);
  try {
    for (;;) writeSync(fd, block);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  return path;
}

/** WCAG contrast ratio of the banner's text against its background, as the browser resolved the colours. */
async function bannerContrast(page: Page): Promise<number> {
  return page
    .getByTestId('storage-banner')
    .locator('.banner')
    .evaluate((el) => {
      const channels = (css: string) => (css.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
      const luminance = (css: string) => {
        const [r = 0, g = 0, b = 0] = channels(css).map((v) => {
          const c = v / 255;
          return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const style = getComputedStyle(el);
      const [light, dark] = [luminance(style.color), luminance(style.backgroundColor)].sort((a, b) => b - a) as [
        number,
        number,
      ];
      return (light + 0.05) / (dark + 0.05);
    });
}

test('a full state directory pauses uploads with a banner; freeing space lets them go on', async ({
  page,
  stateDir,
  shots,
  mediaFolder,
  sandbox,
}) => {
  const { dir } = mediaFolder({ 'clip-1.mp4': 2 * MiB });
  const filler = fill(stateDir);

  await page.getByLabel('Add by path').fill(dir);
  await page.getByRole('button', { name: 'Add to queue' }).click();
  const banner = page.getByTestId('storage-banner');
  await expect(banner).toBeVisible();
  // An alert, so screen readers announce it when it appears; it names the directory and the cause.
  const alert = page.getByRole('alert').filter({ hasText: stateDir });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText(/full|no space/i);
  await expect(alert).toContainText(
    "Uploads are paused; they go on by themselves once Convoy can write there again. Free some space or fix the folder's permissions.",
  );
  await expect(page.locator('.queue-row[data-state="done"]')).toHaveCount(0);

  // WCAG 2.2 AA text contrast (4.5:1), in both themes.
  for (const scheme of ['light', 'dark'] as const) {
    await switchColourScheme(page, scheme);
    expect(await bannerContrast(page), `banner contrast, ${scheme}`).toBeGreaterThanOrEqual(4.5);
  }
  await shots('storage-banner');

  unlinkSync(filler);
  await expect(banner).toBeHidden({ timeout: 30_000 });
  await everyRowDone(page, sandbox, 1);
});
