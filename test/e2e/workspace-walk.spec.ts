// Uploads and Profiles walked as a new user would, in browser mode at 1280x800 and 900x700, light and dark: an
// error sits beside what caused it and leaves once its cause is edited, focus lands on the queue after an add, and
// nothing is cut off. Screenshots for the eye: docs/screenshots/workspace-walk-*.png.
import { test, expect, docShots, type Page } from './fixtures';
import { audit } from './axe';

const MiB = 1024 * 1024;

/** docs/screenshots/workspace-walk-<name>-<scheme>.png at 1280x800, and -900x700 at the smaller size. */
const shots = (page: Page, name: string) => docShots(page, `workspace-walk-${name}`);

test('Uploads as a new user: errors by the field, focus on the queue after an add', async ({
  page,
  sandbox,
  mediaFolder,
}) => {
  test.setTimeout(240_000);
  await expect(page.getByText('No videos in the queue')).toBeVisible();
  await shots(page, 'uploads-empty');

  // A relative path: the error is on the field, in view, and leaves once the path is edited.
  const field = page.getByLabel('Add by path');
  await field.fill('Videos/holiday');
  await page.getByRole('button', { name: 'Add to queue' }).click();
  const error = page.locator('.add-panel .field-error');
  await expect(error).toContainText('"Videos/holiday" is not an absolute path');
  await expect(error).toBeInViewport();
  await shots(page, 'uploads-path-error');
  await field.fill('/');
  await expect(error).toHaveCount(0);

  const { dir } = mediaFolder(
    Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [`${i < 6 ? 'day1' : 'day2/drone'}/clip ${i + 1}.mp4`, 2 * MiB]),
    ),
  );
  await sandbox.setFaults({ totalBytesPerSec: 256 * 1024 });
  try {
    await field.fill(dir);
    await page.getByRole('button', { name: 'Add to queue' }).click();
    await expect(page.locator('.queue-row[data-job-id]').first()).toBeVisible();
    // Focus lands on the queue's one tab stop, not on the page.
    await expect(page.locator('.queue-canvas > [role="row"][tabindex="0"]')).toBeFocused();
    await expect(page.locator('.queue-row[data-state="uploading"]').first()).toBeVisible();
    await shots(page, 'uploads-queue');
    expect(await audit(page, 'uploads walk')).toEqual([]);

    // Enter on a row opens its details; a title left empty is refused on the field, and the refusal leaves as the
    // title is typed again.
    await page.keyboard.press('Enter');
    const form = page.getByTestId('metadata-form');
    await form.getByLabel('Title').fill('');
    await form.getByRole('button', { name: 'Save' }).click();
    const titleError = form.locator('.field-error');
    await expect(titleError).toContainText('A title is needed');
    await expect(titleError).toBeInViewport();
    await form.getByLabel('Title').fill('Harbour');
    await expect(titleError).toHaveCount(0);
    await page.keyboard.press('Escape');
    await expect(form).toBeHidden();
  } finally {
    await sandbox.clearFaults();
  }
});

test('Profiles as a new user: a refused check beside its button, gone once the address changes', async ({ page }) => {
  await page.keyboard.press('Control+4');
  await expect(page.getByRole('heading', { name: 'Profiles', level: 1 })).toBeFocused();
  await shots(page, 'profiles');

  await page.getByTestId('add-profile').click();
  const dialog = page.getByRole('dialog', { name: /profile/i });
  await page.getByTestId('profile-name').fill('Studio server');
  await page.getByTestId('env-custom').check();
  // Nothing listens there: the check cannot reach it.
  await page.getByTestId('profile-base-url').fill('http://127.0.0.1:9');
  await page.getByTestId('profile-secret').fill('some-key-that-goes-nowhere');
  await page.getByTestId('add-profile-submit').click();
  const refused = dialog.locator('.field-error, [data-testid="add-profile-error"]').first();
  await expect(refused).toBeVisible({ timeout: 30_000 });
  await expect(refused).toBeInViewport();
  await shots(page, 'profiles-add-unreachable');
  expect(await audit(page, 'add profile unreachable', ['dialog[open]'])).toEqual([]);

  // What the check was told changed: its answer no longer stands.
  await page.getByTestId('profile-base-url').fill('http://127.0.0.1:10');
  await expect(dialog.locator('.field-error, [data-testid="add-profile-error"]')).toHaveCount(0);
});
