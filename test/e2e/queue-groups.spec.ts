// Grouping by added folder: with files from two added folders the queue shows a header per folder (name, count,
// summary), rows say their folder below what was added, headers fold from the keyboard inside the roving focus and
// stay folded across screens, the state filter applies inside groups; axe-core in light and dark; screenshots.
// Also: a typed path in the add panel is still there after a visit to another screen.
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect, everyRowDone, switchColourScheme } from './fixtures';
import { audit } from './axe';
import { makeClips } from './video-clips';

const shots = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'screenshots');

test('two added folders: headers with summaries, folding from the keyboard, the filter inside groups, axe', async ({
  page,
  sandbox,
}) => {
  test.setTimeout(240_000);
  const shoot = makeClips(['take-1.mp4', 'take-2.mp4', 'day2/take-3.mp4']);
  const broll = makeClips(['drone-1.mp4', 'drone-2.mp4']);
  try {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByLabel('Add by path').fill(`${shoot.dir}\n${broll.dir}`);
    await page.getByRole('button', { name: 'Add to queue' }).click();
    await everyRowDone(page, sandbox, 5);

    const rows = page.locator('.queue-canvas > .queue-row');
    const headers = page.locator('.queue-canvas > .queue-group');
    await expect(headers).toHaveCount(2);
    const first = headers.nth(0);
    const second = headers.nth(1);
    await expect(first.getByRole('button', { name: basename(shoot.dir) })).toHaveAttribute('aria-expanded', 'true');
    await expect(first.getByTestId('group-summary')).toHaveText('3 files · 3 done');
    await expect(second.getByTestId('group-summary')).toHaveText('2 files · 2 done');
    // The folder line is the path below what was added.
    const take3 = rows.filter({ has: page.locator('.q-meta', { hasText: /^take-3$/ }) });
    await expect(take3.getByTestId('row-folder')).toHaveText('day2/');
    await expect(rows.filter({ hasText: 'drone-1' }).getByTestId('row-folder')).toHaveCount(0);

    // Headers take part in the roving focus; the queue stays one tab stop.
    const stops = await page
      .locator('.queue-grid')
      .evaluate(
        (grid) =>
          [...grid.querySelectorAll<HTMLElement>('button, input, [tabindex]')].filter(
            (el) => el.tabIndex >= 0 && !(el as HTMLButtonElement).disabled,
          ).length,
      );
    expect(stops).toBe(1);
    await page.locator('.queue-canvas > [role="row"][tabindex="0"]').focus();
    await expect(first).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(rows.nth(0)).toBeFocused();
    await page.keyboard.press('End');
    await expect(rows.nth(4)).toBeFocused();
    await page.keyboard.press('Home');
    await expect(first).toBeFocused();
    // Enter folds the first group: its rows go, its header keeps the focus; arrows reach the next header.
    await page.keyboard.press('Enter');
    await expect(first.getByRole('button')).toHaveAttribute('aria-expanded', 'false');
    await expect(rows).toHaveCount(2);
    await expect(first).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(second).toBeFocused();
    await page.keyboard.press('Space');
    await expect(second.getByRole('button')).toHaveAttribute('aria-expanded', 'false');
    await expect(rows).toHaveCount(0);
    await page.keyboard.press('ArrowRight');
    await expect(second.getByRole('button')).toHaveAttribute('aria-expanded', 'true');
    await expect(rows).toHaveCount(2);

    // Folded stays folded across a visit to another screen.
    await page.keyboard.press('Control+2');
    await expect(page).toHaveTitle('Results · Convoy');
    await page.keyboard.press('Control+1');
    await expect(headers).toHaveCount(2);
    await expect(headers.nth(0).getByRole('button')).toHaveAttribute('aria-expanded', 'false');
    await expect(rows).toHaveCount(2);

    // The filter applies inside groups: nothing failed, no header either.
    await page.getByRole('button', { name: /^Failed 0/ }).click();
    await expect(headers).toHaveCount(0);
    await page.getByRole('button', { name: /^Done 5/ }).click();
    await expect(headers).toHaveCount(2);
    await page.getByRole('button', { name: /^All 5/ }).click();

    // axe in both schemes, and the screenshots (first group open, second folded).
    await headers.nth(0).getByRole('button').click();
    await headers.nth(1).getByRole('button').click();
    await expect(rows).toHaveCount(3);
    expect(await audit(page, 'queue groups')).toEqual([]);
    for (const scheme of ['light', 'dark'] as const) {
      await switchColourScheme(page, scheme);
      await page.mouse.move(0, 0);
      await page.screenshot({ path: join(shots, `queue-groups-${scheme}.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });

    // Reflow: at 640 CSS px (200% zoom) a header fits without sideways scrolling.
    await page.setViewportSize({ width: 640, height: 800 });
    await expect(headers.nth(0).getByRole('button')).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(
      0,
    );
    const sideways = await page.locator('.queue-scroll').evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(sideways).toBe(0);
  } finally {
    shoot.remove();
    broll.remove();
  }
});

test('the typed path is still there after a visit to another screen', async ({ page }) => {
  const field = page.getByLabel('Add by path');
  await field.fill('/somewhere/typed/by/hand');
  await page.keyboard.press('Control+2');
  await expect(page).toHaveTitle('Results · Convoy');
  await page.keyboard.press('Control+1');
  await expect(page.getByLabel('Add by path')).toHaveValue('/somewhere/typed/by/hand');
});
