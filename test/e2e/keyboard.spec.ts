// The queue from the keyboard alone: one tab stop with a roving focus, arrows, Home/End, Space, Enter and Delete
// (with its confirmation starting on "Keep uploading"); focus after actions and screen switches; the window title;
// the polite live region telling files finishing and the batch ending; the profile menu's arrow keys.
import { test, expect, everyRowDone, SENT_SOMETHING } from './fixtures';
import { makeClips } from './video-clips';

test('keyboard: the queue is one tab stop; arrows, Home/End, Space, Enter, Delete; focus lands; live region speaks', async ({
  page,
  sandbox,
}) => {
  test.setTimeout(240_000);
  const clips = makeClips(['one.mp4', 'two.mp4', 'three.mp4', 'four.mp4']);
  const slow = makeClips(['slow.mp4'], 20);
  try {
    await page.getByLabel('Add by path').fill(clips.dir);
    await page.getByLabel('Add by path').press('Control+Enter');
    const rows = page.locator('.queue-canvas > .queue-row');
    await expect(rows).toHaveCount(4);
    // Focus went to the queue, not the page.
    await expect(rows.first()).toBeFocused();
    await everyRowDone(page, sandbox, 4);
    // The live region told each file and the end of the batch.
    await expect(page.getByTestId('queue-announcer')).toContainText('All uploads finished: 4 done.');

    // One tab stop: a single row is tabbable, nothing inside any row is.
    const stops = await page
      .locator('.queue-grid')
      .evaluate(
        (grid) =>
          [...grid.querySelectorAll<HTMLElement>('button, input, [tabindex]')].filter(
            (el) => el.tabIndex >= 0 && !(el as HTMLButtonElement).disabled,
          ).length,
      );
    expect(stops).toBe(1);

    await page.keyboard.press('ArrowDown');
    await expect(rows.nth(1)).toBeFocused();
    await page.keyboard.press('End');
    await expect(rows.nth(3)).toBeFocused();
    await page.keyboard.press('Home');
    await expect(rows.nth(0)).toBeFocused();
    await page.keyboard.press('Space');
    await expect(rows.nth(0)).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByText('1 selected')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(rows.nth(0)).toHaveAttribute('aria-selected', 'false');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('metadata-form')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(rows.nth(0)).toBeFocused();
    // Tab leaves the queue in one step; Shift+Tab comes back to the same row.
    await page.keyboard.press('Tab');
    await expect(rows.nth(0)).not.toBeFocused();
    await page.keyboard.press('Shift+Tab');
    await expect(rows.nth(0)).toBeFocused();

    // Delete on a file that has sent bytes asks, starting on the safe choice.
    await sandbox.setFaults({ totalBytesPerSec: 8 * 1024 });
    await page.getByLabel('Add by path').fill(slow.dir);
    await page.getByLabel('Add by path').press('Enter');
    const slowRow = rows.filter({ hasText: 'slow' });
    await expect(slowRow).toHaveAttribute('data-state', 'uploading');
    // Bytes sent (on their way or confirmed): cancelling now throws something away.
    await expect(slowRow.getByRole('progressbar')).toHaveAttribute('aria-valuetext', SENT_SOMETHING, {
      timeout: 30_000,
    });
    await page.keyboard.press('End');
    await expect(slowRow).toBeFocused();
    await page.keyboard.press('Delete');
    const confirm = page.getByRole('dialog', { name: 'Cancel this upload?' });
    await expect(confirm.getByRole('button', { name: 'Keep uploading' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(confirm).toBeHidden();
    await expect(slowRow).toHaveAttribute('data-state', 'uploading');
    await expect(slowRow).toBeFocused();

    // Pause all disables itself: focus moves to the next live button, not to the page.
    await page.getByRole('button', { name: 'Pause all' }).focus();
    await page.keyboard.press('Enter');
    await expect(slowRow).toHaveAttribute('data-state', 'paused');
    await expect(page.locator('body')).not.toBeFocused();
    await expect(page.getByRole('button', { name: 'Resume all' })).toBeFocused();
    await sandbox.clearFaults();

    // A screen switch names the screen in the title and lands on its heading.
    await page.keyboard.press('Control+2');
    await expect(page).toHaveTitle('Results · Convoy');
    await expect(page.getByRole('heading', { name: 'Results', level: 1 })).toBeFocused();

    // The profile menu takes the arrow keys.
    const trigger = page.getByTestId('active-profile');
    await trigger.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('menuitemradio', { name: /Practice/ })).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByRole('menuitem', { name: 'Manage profiles…' })).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByRole('menuitemradio', { name: /Practice/ })).toBeFocused();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await expect(page).toHaveTitle('Profiles · Convoy');
  } finally {
    await sandbox.clearFaults();
    clips.remove();
    slow.remove();
  }
});
