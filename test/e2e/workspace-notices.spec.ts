// Notices on Uploads and Profiles in browser mode against the local sandbox, with real clips: every deletion
// (removing, clearing, cancelling files; removing a profile) is confirmed in the one toast, which never takes the
// focus and leaves on Escape without closing anything else; the add summary says what an add came to now (a re-add
// of uploaded files is no green "Added") and leaves when its files do; the CSV preview shows what each row will set
// and why a row matched nothing. axe runs on each state in light and dark. Screenshots: docs/screenshots/workspace-*.
import { test, expect, docShots, addActiveSessionProfile, everyRowDone, type Page } from './fixtures';
import { audit } from './axe';

const MiB = 1024 * 1024;
const rows = (page: Page) => page.locator('.queue-row[data-job-id]');
const row = (page: Page, name: string) => page.locator('.queue-row[data-job-id]', { hasText: name });
const toast = (page: Page, text: string | RegExp) => page.locator('.notices .notice', { hasText: text });

async function addByPath(page: Page, path: string): Promise<void> {
  await page.getByLabel('Add by path').fill(path);
  await page.getByRole('button', { name: 'Add to queue' }).click();
}

/** docs/screenshots/workspace-<name>-<scheme>.png at 1280x800, and -900x700 at the smaller size. */
const shots = (page: Page, name: string) => docShots(page, `workspace-${name}`);

/** Whether the focus is inside the toast: a notice must never take it. */
const focusInToast = (page: Page) => page.evaluate(() => document.activeElement?.closest('.notices') != null);

test('removing and clearing files is confirmed in the toast; Escape dismisses it alone', async ({
  page,
  sandbox,
  mediaFolder,
}) => {
  test.setTimeout(240_000);
  const { dir } = mediaFolder({ 'a.mp4': MiB, 'b.mp4': MiB, 'c.mp4': MiB, 'd.mp4': MiB });
  await addByPath(page, dir);
  await expect(page.getByTestId('add-summary')).toHaveAttribute('data-tone', 'success');
  await everyRowDone(page, sandbox, 4);

  // One file removed: the toast names it, politely, and the focus stays where the action left it.
  await row(page, 'a.mp4').getByRole('checkbox').click();
  await page.getByRole('button', { name: 'Remove', exact: true }).click();
  await page.getByRole('dialog', { name: 'Remove from the queue?' }).getByRole('button', { name: 'Remove' }).click();
  const removed = toast(page, 'Removed a.mp4 from the queue.');
  await expect(removed).toBeVisible();
  await expect(page.locator('.notices')).toHaveAttribute('aria-live', 'polite');
  await expect(rows(page)).toHaveCount(3);
  expect(await focusInToast(page)).toBe(false);

  // Escape takes the toast, and only the toast: the queue keeps its selection. Held under the pointer, the removal's
  // notice outlasts the older ones (the batch's "finished").
  await removed.hover();
  await expect(page.locator('.notices .notice')).toHaveCount(1);
  await row(page, 'b.mp4').getByRole('checkbox').click();
  await page.getByRole('button', { name: 'Edit details (1)' }).focus();
  await page.keyboard.press('Escape');
  await expect(removed).toHaveCount(0);
  await expect(page.locator('.queue-row.selected')).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Edit details (1)' })).toBeFocused();
  // On the queue, Escape is the queue's first (it clears the selection); a toast then waits for the next press.
  await page.getByRole('button', { name: 'Remove', exact: true }).click();
  await page.getByRole('dialog', { name: 'Remove from the queue?' }).getByRole('button', { name: 'Remove' }).click();
  const removedB = toast(page, 'Removed b.mp4 from the queue.');
  await expect(removedB).toBeVisible();
  await row(page, 'c.mp4').getByRole('checkbox').click();
  await row(page, 'c.mp4').focus();
  await page.keyboard.press('Escape');
  await expect(page.locator('.queue-row.selected')).toHaveCount(0);
  await expect(removedB).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(removedB).toHaveCount(0);

  // Clear finished: said apart from a removal; the toast stays while the pointer is on it.
  await page.getByRole('button', { name: 'Clear 2 finished' }).click();
  await page
    .getByRole('dialog', { name: 'Clear finished files?' })
    .getByRole('button', { name: 'Clear 2 files' })
    .click();
  const cleared = toast(page, 'Cleared 2 finished files from the queue and Results. The videos stay on the server.');
  await expect(cleared).toBeVisible();
  await cleared.hover();
  expect(await focusInToast(page)).toBe(false);
  // The toolbar that held the focus went with the last files: it lands on the path field, not on the page.
  await expect(page.getByLabel('Add by path')).toBeFocused();
  expect(await audit(page, 'cleared toast')).toEqual([]);
  await shots(page, 'cleared-toast');
  await expect(cleared).toBeVisible();
  await page.mouse.move(10, 10);
  await expect(cleared).toHaveCount(0, { timeout: 10_000 });

  // The same folder again: every file was uploaded before. No green "Added 4": it says what happened.
  await addByPath(page, dir);
  const summary = page.getByTestId('add-summary');
  await expect(summary).toHaveText('Nothing new to upload · 4 files uploaded before, skipped as duplicates');
  await expect(summary).toHaveAttribute('data-tone', 'info');
  await expect(rows(page).locator('.q-state', { hasText: 'Skipped: duplicate' })).toHaveCount(4);
  expect(await audit(page, 're-added uploaded files', ['.add-panel'])).toEqual([]);
  await shots(page, 'readd-duplicates');

  // Once more: they are in the queue now. When they leave it, so does the notice that counted them.
  await addByPath(page, dir);
  await expect(summary).toHaveText('Nothing new to upload · 4 already in the queue');
  await page.getByRole('button', { name: 'Clear 4 finished' }).click();
  await page
    .getByRole('dialog', { name: 'Clear finished files?' })
    .getByRole('button', { name: 'Clear 4 files' })
    .click();
  await expect(toast(page, 'Cleared 4 finished files')).toBeVisible();
  await expect(summary).toHaveCount(0);
  await expect(page.getByText('No videos in the queue')).toBeVisible();
});

test('cancelling uploads and removing a profile are confirmed in the toast', async ({ page, sandbox, mediaFolder }) => {
  const { dir } = mediaFolder({ 'slow-1.mp4': 2 * MiB, 'slow-2.mp4': 2 * MiB });
  await sandbox.setFaults({ totalBytesPerSec: 64 * 1024 });
  try {
    await addByPath(page, dir);
    await expect(rows(page)).toHaveCount(2);
    await page.getByRole('button', { name: 'Cancel all' }).click();
    const confirm = page.getByRole('dialog', { name: 'Cancel uploads?' });
    await confirm.getByRole('button', { name: 'Cancel 2 files' }).click();
    await expect(toast(page, 'Cancelled 2 uploads. Retry starts them over.')).toBeVisible();
    await expect(rows(page).locator('.q-state', { hasText: 'Cancelled' })).toHaveCount(2);
    expect(await focusInToast(page)).toBe(false);
  } finally {
    await sandbox.clearFaults();
  }

  await addActiveSessionProfile(page, 'Second desk', sandbox.url, sandbox.apiKey);
  await page.keyboard.press('Control+4');
  await page.locator('.profile-card', { hasText: 'Second desk' }).getByTestId('remove-profile').click();
  await page
    .getByRole('dialog', { name: 'Remove this profile?' })
    .getByRole('button', { name: 'Remove profile' })
    .click();
  const removed = toast(page, 'Removed the profile Second desk; its key is deleted from this computer.');
  await expect(removed).toBeVisible();
  await expect(page.locator('.profile-card', { hasText: 'Second desk' })).toHaveCount(0);
  expect(await focusInToast(page)).toBe(false);
  await expect(page.getByRole('heading', { name: 'Profiles', level: 1 })).toBeFocused();
  await removed.hover();
  expect(await audit(page, 'profile removed')).toEqual([]);
  await shots(page, 'profile-removed');
});

test('the CSV preview: the values each row sets, why a row matched nothing, no "No file chosen"', async ({
  page,
  mediaFolder,
  sandbox,
}) => {
  const { dir } = mediaFolder({ 'B-roll/air/x.mp4': MiB, 'y.mp4': MiB });
  await sandbox.setFaults({ totalBytesPerSec: 64 * 1024 });
  try {
    await addByPath(page, dir);
    await expect(rows(page)).toHaveCount(2);
    await page.getByRole('button', { name: 'Import CSV' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import details from CSV' });
    await expect(dialog.getByRole('button', { name: 'Choose a CSV file…' })).toBeVisible();
    await page.getByTestId('csv-input').setInputFiles({
      name: 'details.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        [
          'filename,title,description,tags',
          'y.mp4,Harbour at dawn,Shot from the pier,harbour;dawn',
          'B-roll/drone/x.mp4,Drone pass,,',
          'ghost.mp4,Nobody,,',
        ].join('\n'),
      ),
    });
    const result = page.getByTestId('csv-result');
    await expect(result.locator('tr[data-matched="true"]')).toHaveCount(1);
    // The chosen file is named once, beside its button; the browser's own control (and its words) is not shown.
    await expect(page.getByTestId('csv-input')).toBeHidden();
    await expect(page.getByTestId('csv-file-name')).toHaveText('details.csv');
    await expect(dialog.getByRole('button', { name: 'Choose another file…' })).toBeVisible();
    await expect(dialog).not.toContainText('No file chosen');
    // What each row sets, not the file name again; and why a row matched nothing, in main's words.
    const matched = result.locator('tr[data-csv-row="2"]');
    await expect(matched).toContainText('TitleHarbour at dawn');
    await expect(matched).toContainText('DescriptionShot from the pier');
    await expect(matched).toContainText('Tagsharbour, dawn');
    await expect(result.locator('tr[data-csv-row="3"] .csv-miss')).toContainText('B-roll/drone/x.mp4');
    await expect(result.locator('tr[data-csv-row="4"] .csv-miss')).toContainText('ghost.mp4');
    expect(await audit(page, 'csv preview', ['dialog[open]'])).toEqual([]);
    await shots(page, 'csv-preview');
  } finally {
    await sandbox.clearFaults();
  }
});
