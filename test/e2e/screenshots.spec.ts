// Screenshots of every screen and state of the workspace, in light and dark, at 1280x800 and 900x700, saved into
// docs/screenshots/ (linked from the README) so a change to the look can be seen and reviewed.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect, switchColourScheme, type Page } from './fixtures';
import { makeClips } from './video-clips';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'screenshots');
const sizes = [
  { width: 1280, height: 800 },
  { width: 900, height: 700 },
] as const;

/** Saves `<name>-<light|dark>-<w>x<h>.png` for both schemes at both sizes. */
async function capture(page: Page, name: string): Promise<void> {
  mkdirSync(out, { recursive: true });
  for (const size of sizes) {
    await page.setViewportSize(size);
    for (const scheme of ['light', 'dark'] as const) {
      await switchColourScheme(page, scheme);
      await page.screenshot({ path: join(out, `${name}-${scheme}-${size.width}x${size.height}.png`) });
    }
  }
  await page.setViewportSize(sizes[0]);
  await page.emulateMedia({ colorScheme: 'light' });
}

test('screenshots of every screen and state, light and dark, at 1280x800 and 900x700', async ({ page, sandbox }) => {
  test.setTimeout(600_000);
  const names = [
    ...Array.from({ length: 14 }, (_, i) => `interview-${String(i + 1).padStart(2, '0')}.mp4`),
    'B-roll/drone/coast-wide.mp4',
    'B-roll/drone/coast-close.mp4',
    'B-roll/street.mov',
  ];
  const clips = makeClips(names);
  const slow = makeClips(['late-export.mp4'], 20);
  try {
    await capture(page, 'uploads-empty');
    await page.getByRole('button', { name: 'Choose folder…' }).click();
    await expect(page.getByTestId('folder-path')).not.toHaveText('…');
    await capture(page, 'folder-browser');
    await page.keyboard.press('Escape');

    await page.getByLabel('Add by path').fill(clips.dir);
    await page.getByRole('button', { name: 'Add to queue' }).click();
    await expect
      .poll(
        async () => {
          await sandbox.advanceClock(10);
          return page.locator('.filter-btn[data-filter="done"] .filter-count').textContent();
        },
        { timeout: 120_000, intervals: [1000] },
      )
      .toBe(String(names.length));
    // One file still uploading slowly, then paused: the states that carry a window.
    await sandbox.setFaults({ totalBytesPerSec: 8 * 1024 });
    await page.getByLabel('Add by path').fill(slow.dir);
    await page.getByLabel('Add by path').press('Enter');
    const late = page.locator('.queue-row[data-job-id]', { hasText: 'late-export' });
    await page.getByTestId('queue-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect(late).toHaveAttribute('data-state', 'uploading');
    await expect(page.getByTestId('overall-speed')).toBeVisible();
    await page.getByTestId('queue-scroll').evaluate((el) => (el.scrollTop = 0));
    await capture(page, 'uploads-queue');
    await page.getByRole('button', { name: 'Pause all' }).click();
    await page.getByTestId('queue-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect(late).toHaveAttribute('data-state', 'paused');
    await capture(page, 'uploads-paused');
    await page.getByRole('button', { name: /^Done / }).click();
    await capture(page, 'uploads-filter-done');
    await page.getByRole('button', { name: /^All / }).click();
    await page.locator('.queue-row[data-job-id]').first().focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('metadata-form')).toBeVisible();
    await capture(page, 'details-dialog');
    await page.keyboard.press('Escape');
    await sandbox.clearFaults();

    await page.keyboard.press('Control+2');
    await expect(page.locator('.result-row').first()).toBeVisible();
    await capture(page, 'results');

    await sandbox.call('POST', '/upload-tokens', { ttl: 3600 });
    await page.keyboard.press('Control+3');
    await expect(page.getByTestId('token-row')).toHaveCount(1);
    await capture(page, 'tokens');

    await page.keyboard.press('Control+4');
    await expect(page.getByTestId('profile-card')).toHaveCount(1);
    await capture(page, 'profiles');
    await page.getByTestId('add-profile').click();
    await page.getByTestId('profile-name').fill('Production');
    await page.getByTestId('env-production').check();
    await page.getByTestId('profile-secret').fill('not-a-real-key');
    await page.getByTestId('add-profile-submit').click();
    await expect(page.locator('.add-profile .field-error, .add-profile .form-error').first()).toBeVisible({
      timeout: 60_000,
    });
    await capture(page, 'add-profile-error');
    await page.keyboard.press('Escape');

    await page.keyboard.press('Control+5');
    await expect(page.getByRole('heading', { name: /Watch/, level: 1 })).toBeVisible();
    await capture(page, 'watch');

    await page.getByTestId('active-profile').click();
    await capture(page, 'profile-menu');
    await page.keyboard.press('Escape');
  } finally {
    await sandbox.clearFaults();
    clips.remove();
    slow.remove();
  }
});
