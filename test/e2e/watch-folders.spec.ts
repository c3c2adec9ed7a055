// The Watch folders screen, as a user meets it in browser mode: start watching a folder, drop a real clip into it,
// and the file uploads by itself once settled; its row in the queue says which watch added it; the watch can be
// paused and removed.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from './fixtures';
import { makeClips } from './video-clips';

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
