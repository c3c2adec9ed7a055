// An old browser tab whose Convoy restarted says so, with how to open it again, instead of "Reconnecting…" forever;
// the speed and time left it last showed are gone and its controls are disabled.
import { test, expect } from './fixtures';
import { makeClips } from './video-clips';

test('a restarted Convoy: the old tab says "Convoy restarted or stopped", clears live figures, disables controls', async ({
  page,
  app,
  sandbox,
  shots,
}) => {
  const slow = makeClips(['long-take.mp4'], 20);
  try {
    await sandbox.setFaults({ totalBytesPerSec: 16 * 1024 });
    await page.getByLabel('Add by path').fill(slow.dir);
    await page.getByRole('button', { name: 'Add to queue' }).click();
    await expect(page.getByTestId('overall-speed')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByRole('button', { name: 'Pause all' })).toBeEnabled();

    // A real restart: the new server has its own sessions and does not know this tab.
    await app.restart({ newSessions: true });
    const gone = page.getByTestId('gone-banner');
    await expect(gone).toContainText('Convoy restarted or stopped');
    await expect(gone).toContainText('use the link');
    await expect(page.getByText('Reconnecting by itself')).toHaveCount(0);
    await expect(page.getByTestId('overall-speed')).toHaveCount(0);
    await expect(page.locator('.q-speed')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Pause all' })).toBeDisabled();
    await expect(page.getByLabel('Add by path')).toBeDisabled();
    await shots('restarted-old-tab');
  } finally {
    slow.remove();
  }
});

test('a stopped Convoy: after a while without an answer the tab says it may have stopped, and recovers if it returns', async ({
  page,
  app,
}) => {
  test.setTimeout(120_000);
  await app.kill();
  await expect(page.getByText('Reconnecting by itself')).toBeVisible();
  await expect(page.getByTestId('gone-banner')).toContainText('not answering', { timeout: 40_000 });
  await app.restart();
  await expect(page.getByTestId('gone-banner')).toHaveCount(0, { timeout: 30_000 });
  await expect(page.locator('.app[data-ready="true"]')).toBeVisible();
});
