// Browser mode's folder browser: main lists folders (home by default), each level says how many videos it holds,
// and "Add this folder" queues it; the drop zone says plainly that this tab cannot take drops.
import { homedir } from 'node:os';
import { test, expect } from './fixtures';
import { makeClips } from './video-clips';

test('browse to a folder served by main and add it; the drop zone says it cannot take drops', async ({ page }) => {
  const clips = makeClips(['a.mp4', 'b.mp4', 'inside/c.mp4']);
  try {
    await expect(page.getByTestId('no-drop-note')).toContainText('cannot take dropped files');
    await page.getByRole('button', { name: 'Choose folder…' }).click();
    const browser = page.getByTestId('folder-browser');
    await expect(page.getByTestId('folder-path')).toHaveText(homedir());

    // The contract refuses a relative path before any handler runs; a missing folder is said in plain words.
    const refused = await page.evaluate(() =>
      window.convoy.folders.list({ path: 'relative/path' }).then(
        () => 'listed',
        (e: Error) => e.message,
      ),
    );
    expect(refused).toContain('not a full path');

    // Walk: from the clips' parent folder into the clips folder.
    const parent = clips.dir.slice(0, clips.dir.lastIndexOf('/'));
    const listing = await page.evaluate((path) => window.convoy.folders.list({ path }), parent);
    expect(listing.folders.map((f) => f.path)).toContain(clips.dir);
    const listed = await page.evaluate((path) => window.convoy.folders.list({ path }), clips.dir);
    expect(listed).toMatchObject({ path: clips.dir, videoFiles: 2, folders: [{ name: 'inside' }] });

    // Through the dialog alone: up to the root, then down to the clips folder, one click per level.
    const path = page.getByTestId('folder-path');
    while ((await path.textContent()) !== '/') {
      const here = await path.textContent();
      await browser.getByRole('button', { name: /^Up to / }).click();
      await expect(path).not.toHaveText(here ?? '');
    }
    for (const part of clips.dir.split('/').filter(Boolean)) {
      const here = await path.textContent();
      await browser.getByRole('button', { name: part, exact: true }).click();
      await expect(path).not.toHaveText(here ?? '');
    }
    await expect(page.getByTestId('folder-path')).toHaveText(clips.dir);
    await expect(browser).toContainText('2 video files directly in this folder');
    await page.getByTestId('folder-add').click();
    await expect(page.locator('.queue-row[data-job-id]')).toHaveCount(3);
  } finally {
    clips.remove();
  }
});
