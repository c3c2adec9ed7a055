// The Watch folders screen, as a user meets it in browser mode: start watching a folder, drop a real clip into it,
// and the file uploads by itself once settled; its row in the queue says which watch added it; the watch can be
// paused and removed. A folder's own options (send sidecars, upload unrecognised files) are set from the keyboard,
// kept on the watch and named on its row, and the screen passes axe in both themes.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { audit } from './axe';
import { test, expect, switchColourScheme } from './fixtures';
import { makeClips } from './video-clips';

const screenshots = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'screenshots');

test('a watched folder uploads what arrives, and the queue row names the watch', async ({ page, shots }) => {
  const watched = mkdtempSync(join(tmpdir(), 'convoy-e2e-watch-'));
  const clips = makeClips(['arrival.mp4']);
  try {
    await page.keyboard.press('Control+5');
    await expect(page.getByRole('heading', { level: 1, name: 'Watch folders' })).toBeFocused();
    const form = page.getByRole('region', { name: 'Watch a folder' });
    await form.getByLabel('Folder', { exact: true }).fill(watched);
    await form.getByLabel('Name', { exact: true }).fill('Exports');
    await form.getByLabel('Settle time (seconds)').fill('1');
    await form.getByRole('button', { name: 'Start watching' }).click();
    const list = page.getByRole('list', { name: 'Watched folders' });
    await expect(list.getByText('Exports')).toBeVisible();
    await expect(list.getByText('Watching', { exact: true })).toBeVisible();

    copyFileSync(join(clips.dir, 'arrival.mp4'), join(watched, 'arrival.mp4'));
    await page.keyboard.press('Control+1');
    const row = page.locator('.queue-row', { hasText: 'arrival' });
    await expect(row).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
    await expect(row.getByTestId('row-watch')).toContainText('Watch “Exports”');
    await shots('watch-row-in-queue');

    await page.keyboard.press('Control+5');
    await expect(list.getByText(/1 uploaded today/)).toBeVisible();
    await shots('watch-list');
  } finally {
    clips.remove();
    rmSync(watched, { recursive: true, force: true });
  }
});

test('a watch folder takes its own sidecar and unrecognised-file options from the keyboard', async ({ page }) => {
  const watched = mkdtempSync(join(tmpdir(), 'convoy-e2e-watch-options-'));
  try {
    await page.keyboard.press('Control+5');
    const form = page.getByRole('region', { name: 'Watch a folder' });
    await form.getByLabel('Folder', { exact: true }).fill(watched);
    await form.getByLabel('Name', { exact: true }).fill('Camera card');
    const sidecars = form.getByRole('checkbox', {
      name: 'Send captions, chapters and thumbnails found beside the videos',
    });
    const unrecognised = form.getByRole('checkbox', { name: 'Upload files Convoy does not recognise as video too' });
    await expect(sidecars).toBeChecked();
    await expect(unrecognised).not.toBeChecked();
    // From the network-share box, Tab reaches each in turn and Space toggles it.
    await form.getByRole('checkbox', { name: /Network share/ }).focus();
    await page.keyboard.press('Tab');
    await expect(sidecars).toBeFocused();
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await expect(unrecognised).toBeFocused();
    await page.keyboard.press('Space');
    await expect(sidecars).not.toBeChecked();
    await expect(unrecognised).toBeChecked();
    await form.getByRole('button', { name: 'Start watching' }).click();

    const row = page.getByTestId('watch-row').filter({ hasText: 'Camera card' });
    await expect(row).toHaveAttribute('data-state', 'watching');
    await expect(row).toContainText('videos alone (no captions or thumbnails)');
    await expect(row).toContainText('unrecognised files upload too');
    const kept = await page.evaluate(() => window.convoy.watch.list({}));
    expect(kept.watches).toMatchObject([{ name: 'Camera card', noSidecars: true, uploadUnrecognised: true }]);

    expect(await audit(page, 'watch folders with options')).toEqual([]);
    mkdirSync(screenshots, { recursive: true });
    for (const scheme of ['light', 'dark'] as const) {
      await switchColourScheme(page, scheme);
      await page.screenshot({ path: join(screenshots, `watch-options-${scheme}-1280x800.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });
  } finally {
    rmSync(watched, { recursive: true, force: true });
  }
});
