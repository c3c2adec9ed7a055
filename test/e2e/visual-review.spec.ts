// Narrow windows: the main screens at 1024×700 and 900×700 with a live queue. Nothing scrolls sideways, and
// the labels that carry state (badges, resume windows, names, buttons) are shown whole. Screens in light and dark.
import { test, expect, type Page } from './fixtures';

const MiB = 1024 * 1024;
const sizes = [
  { width: 1024, height: 700 },
  { width: 900, height: 700 },
] as const;
const longName = 'a-rather-long-file-name-from-the-summer-shoot-final-cut-v3.mp4';

/** Scrollers (the page, the workspace, the lists) wider than their box: each one is a sideways scrollbar. */
async function sidewaysScrollers(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const boxes: [string, Element | null][] = [
      ['document', document.documentElement],
      ['.content', document.querySelector('.content')],
      ['.queue-scroll', document.querySelector('.queue-scroll')],
      ['.results-scroll', document.querySelector('.results-scroll')],
      ['.token-table-wrap', document.querySelector('.token-table-wrap')],
    ];
    return boxes
      .filter(([, el]) => el && el.scrollWidth > el.clientWidth + 1)
      .map(([name, el]) => `${name} ${el!.scrollWidth} > ${el!.clientWidth}`);
  });
}

/** Visible elements matching `selector` whose text is cut (ellipsis or overflow): "<selector> “text”". */
async function clipped(page: Page, selector: string): Promise<string[]> {
  return page
    .locator(selector)
    .evaluateAll(
      (els, sel) =>
        els
          .filter((el) => el.getClientRects().length > 0 && el.scrollWidth > el.clientWidth + 1)
          .map((el) => `${sel} “${el.textContent ?? ''}” ${el.scrollWidth} > ${el.clientWidth}`),
      selector,
    );
}

async function expectTidy(page: Page, labels: string[]): Promise<void> {
  expect(await sidewaysScrollers(page)).toEqual([]);
  for (const selector of labels) expect(await clipped(page, selector)).toEqual([]);
}

test('narrow windows: no sideways scrolling, state badges and resume windows shown whole', async ({
  page,
  sandbox,
  shots,
  mediaFolder,
}) => {
  const { dir } = mediaFolder({ [longName]: 3 * MiB, 'clip-2.mp4': 3 * MiB, 'clip-3.mp4': 3 * MiB });
  try {
    // Before anything is added: the empty results and the profile menu, in the narrowest window.
    await page.setViewportSize(sizes[1]);
    await page.keyboard.press('Control+2');
    await expect(page.getByText('Nothing finished yet')).toBeVisible();
    await page.getByTestId('active-profile').click();
    await expect(page.getByRole('menu')).toBeVisible();
    await expectTidy(page, ['.menu-item-text > *']);
    await shots('narrow-900-results-empty-menu');
    await page.keyboard.press('Escape');
    await expect(page.getByRole('menu')).toBeHidden();
    await page.getByTestId('active-profile').click();
    await page.getByRole('heading', { name: 'Results' }).click();
    await expect(page.getByRole('menu')).toBeHidden();
    await page.keyboard.press('Control+1');
    await page.setViewportSize(sizes[0]);

    await sandbox.setFaults({ totalBytesPerSec: 1 * MiB });
    await page.getByLabel('Add by path').fill(dir);
    await page.getByRole('button', { name: 'Add to queue' }).click();
    const rows = page.locator('.queue-row[data-job-id]');
    await expect(rows).toHaveCount(3);
    // Uploading with days left in the window: the row says nothing of it (it shows once paused, below).
    const uploading = page.locator('.queue-row[data-state="uploading"]').first();
    await expect(uploading).toBeVisible();
    await expect(uploading.locator('.q-window')).toHaveCount(0);
    const paused = rows.filter({ hasText: 'clip-2.mp4' });
    await paused.getByRole('button', { name: 'Pause clip-2.mp4' }).click();
    await expect(paused).toHaveAttribute('data-state', 'paused');

    const queueLabels = [
      '.q-state .badge',
      '.q-window',
      '.state-counts .badge',
      '.queue-toolbar .btn',
      '.nav-item',
      '.queue-head > *',
    ];
    for (const size of sizes) {
      await page.setViewportSize(size);
      await expect(paused.locator('.q-window')).toBeVisible();
      await expectTidy(page, queueLabels);
      await shots(`narrow-${size.width}-uploads`);
    }

    // Details of the selection, in the narrowest window.
    await paused.getByRole('checkbox').click();
    await page.getByRole('button', { name: 'Edit details (1)' }).click();
    await expect(page.getByTestId('metadata-form')).toBeVisible();
    await expectTidy(page, ['.dialog .btn']);
    await shots('narrow-900-metadata');
    await page.getByTestId('metadata-form').getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Deselect', exact: true }).click();

    // Finished: results; then the tokens and profiles screens.
    await sandbox.clearFaults();
    await page.getByRole('button', { name: 'Resume all' }).click();
    await expect(page.locator('.queue-row[data-state="done"]')).toHaveCount(3, { timeout: 30_000 });
    await sandbox.call('POST', '/upload-tokens', { ttl: 3600 });
    for (const size of sizes) {
      await page.setViewportSize(size);
      await page.keyboard.press('Control+2');
      await expect(page.locator('.result-row')).toHaveCount(3);
      await expectTidy(page, ['.r-actions .btn', '.r-title .badge', '.r-sub', '.r-id', '.page-actions .btn']);
      await page.keyboard.press('Control+3');
      await expect(page.getByTestId('token-row')).toHaveCount(1);
      await expectTidy(page, ['.expiry', '.chip', '.token-list-head .btn']);
      await page.keyboard.press('Control+4');
      await expect(page.getByTestId('profile-card')).toHaveCount(1);
      await expectTidy(page, ['.profile-actions .btn', '.profile-meta .badge']);
    }
    await page.keyboard.press('Control+2');
    await shots('narrow-900-results');
    await page.keyboard.press('Control+3');
    await shots('narrow-900-tokens');
    await page.keyboard.press('Control+4');
    await shots('narrow-900-profiles');
  } finally {
    await sandbox.clearFaults();
  }
});
