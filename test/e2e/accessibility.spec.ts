// The accessibility gate: axe-core (WCAG 2.2 A and AA rules) on every screen and dialog, in light and in dark.
// Also what axe cannot judge: the focus ring and control borders against their background (3:1), the
// confirmations' first focus, and reflow at 200% zoom (a 640 CSS px wide window) without sideways scrolling.
import { test, expect, everyRowDone, switchColourScheme, type Page } from './fixtures';
import { audit } from './axe';
import { makeClips } from './video-clips';

/** WCAG contrast ratio of two CSS colours, as the page computes them. */
async function contrastOf(page: Page, selector: string, property: 'outline-color' | 'border-top-color') {
  return page
    .locator(selector)
    .first()
    .evaluate((el, prop) => {
      const rgb = (css: string) => {
        const probe = document.createElement('span');
        probe.style.color = css;
        document.body.append(probe);
        const parts = getComputedStyle(probe)
          .color.match(/[\d.]+/g)!
          .map(Number);
        probe.remove();
        return parts.slice(0, 3);
      };
      const lum = ([r, g, b]: number[]) =>
        [r!, g!, b!]
          .map((v) => v / 255)
          .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
          .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i]!, 0);
      let bgEl: Element | null = el.parentElement;
      let bg = 'rgb(255, 255, 255)';
      while (bgEl) {
        const c = getComputedStyle(bgEl).backgroundColor;
        if (c && !/rgba\(.*,\s*0\)$/.test(c) && c !== 'transparent') {
          bg = c;
          break;
        }
        bgEl = bgEl.parentElement;
      }
      const a = lum(rgb(getComputedStyle(el).getPropertyValue(prop)));
      const b = lum(rgb(bg));
      return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    }, property);
}

test('axe finds no WCAG 2.2 AA violation on any screen or dialog, light or dark', async ({ page, sandbox }) => {
  test.setTimeout(600_000); // axe takes seconds per page, and every page is audited twice
  const clips = makeClips(['intro.mp4', 'B-roll/drone/wide.mp4', 'B-roll/close.mov']);
  const found: string[] = [];
  try {
    found.push(...(await audit(page, 'uploads (empty)')));

    // The profile menu.
    await page.getByTestId('active-profile').click();
    await expect(page.getByRole('menu')).toBeVisible();
    found.push(...(await audit(page, 'profile menu')));
    await page.keyboard.press('Escape');

    // A queue: add, let it finish; the add summary stays while it says something.
    await page.getByLabel('Add by path').fill(clips.dir);
    await page.getByRole('button', { name: 'Add to queue' }).click();
    await everyRowDone(page, sandbox, 3);
    found.push(...(await audit(page, 'uploads (done)')));

    // Dialogs of the upload screen.
    await page
      .locator('.queue-row[data-job-id]')
      .first()
      .getByRole('button', { name: /Edit details of/ })
      .click();
    await expect(page.getByTestId('metadata-form')).toBeVisible();
    found.push(...(await audit(page, 'details dialog')));
    await page.getByTestId('metadata-form').getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Import CSV' }).click();
    await expect(page.getByRole('dialog', { name: 'Import details from CSV' })).toBeVisible();
    found.push(...(await audit(page, 'CSV dialog')));
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: /^Clear \d+ finished$/ }).click();
    await expect(page.getByRole('dialog', { name: 'Clear finished files?' })).toBeVisible();
    found.push(...(await audit(page, 'clear confirmation')));
    await page.keyboard.press('Escape');

    // Results, tokens (with one), profiles and their dialogs.
    await page.keyboard.press('Control+2');
    await expect(page.locator('.result-row')).toHaveCount(3);
    found.push(...(await audit(page, 'results')));

    await sandbox.call('POST', '/upload-tokens', { ttl: 3600 });
    await page.keyboard.press('Control+3');
    await expect(page.getByTestId('token-row')).toHaveCount(1);
    found.push(...(await audit(page, 'tokens')));
    await page.getByTestId('token-details').first().click();
    await expect(page.getByTestId('token-details-dialog')).toBeVisible();
    found.push(...(await audit(page, 'token details')));
    await page.keyboard.press('Escape');
    await page.getByTestId('delete-token').first().click();
    await expect(page.getByRole('dialog', { name: /Delete/ })).toBeVisible();
    found.push(...(await audit(page, 'delete token')));
    await page.keyboard.press('Escape');

    await page.keyboard.press('Control+4');
    await expect(page.getByTestId('profile-card')).toHaveCount(1);
    found.push(...(await audit(page, 'profiles')));
    await page.getByTestId('add-profile').click();
    await expect(page.getByTestId('add-profile-form')).toBeVisible();
    found.push(...(await audit(page, 'add profile')));
    await page.keyboard.press('Escape');
    await page.getByTestId('remove-profile').first().click();
    await expect(page.getByRole('dialog', { name: 'Remove this profile?' })).toBeVisible();
    found.push(...(await audit(page, 'remove profile')));
    await page.keyboard.press('Escape');
  } finally {
    clips.remove();
  }
  expect(found).toEqual([]);
});

test('focus ring and control borders reach 3:1; confirmations start on the safe choice', async ({ page }) => {
  for (const scheme of ['light', 'dark'] as const) {
    await switchColourScheme(page, scheme);
    await page.keyboard.press('Control+4');
    const add = page.getByTestId('add-profile');
    await add.focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    await expect(add).toBeFocused();
    expect(
      await contrastOf(page, '[data-testid="add-profile"]', 'outline-color'),
      `${scheme} focus ring`,
    ).toBeGreaterThanOrEqual(3);
    await add.click();
    const name = page.getByTestId('profile-name');
    expect(
      await contrastOf(page, '[data-testid="profile-name"]', 'border-top-color'),
      `${scheme} field border`,
    ).toBeGreaterThanOrEqual(3);
    await expect(name).toBeFocused();
    await page.keyboard.press('Escape');

    await page.getByTestId('remove-profile').first().click();
    const confirm = page.getByRole('dialog', { name: 'Remove this profile?' });
    await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(confirm).toBeHidden();
    await expect(page.getByTestId('profile-card')).toHaveCount(1);
  }
});

test('reflow at 200%: every screen fits 640 CSS px without sideways scrolling; spinners stop for reduced motion', async ({
  page,
  sandbox,
}) => {
  const clips = makeClips(['a-rather-long-file-name-from-the-summer-shoot-final-cut-v3.mp4', 'B-roll/drone/wide.mp4']);
  await page.getByLabel('Add by path').fill(clips.dir);
  await page.getByRole('button', { name: 'Add to queue' }).click();
  await everyRowDone(page, sandbox, 2);
  clips.remove();
  await page.setViewportSize({ width: 640, height: 400 });
  const overflow = () =>
    page.evaluate(() =>
      [document.documentElement, ...document.querySelectorAll('.content, .queue-scroll, .results-scroll')]
        .filter((el) => el.scrollWidth > el.clientWidth + 1)
        .map((el) => `${el.className || el.tagName} ${el.scrollWidth} > ${el.clientWidth}`),
    );
  for (const key of ['1', '2', '3', '4']) {
    await page.keyboard.press(`Control+${key}`);
    await expect(page.locator('h1')).toBeVisible();
    expect(await overflow(), `screen ${key}`).toEqual([]);
  }
  await page.emulateMedia({ reducedMotion: 'reduce' });
  const animation = await page.evaluate(() => {
    const s = document.createElement('span');
    s.className = 'spinner';
    document.body.append(s);
    const name = getComputedStyle(s).animationName;
    s.remove();
    return name;
  });
  expect(animation).toBe('none');
});
