// Results as a media tool, in browser mode against the local sandbox with real clips: each video's thumbnail
// loads (a placeholder holds the place of one the server has not), the search narrows the list as you type, the
// encoding filter shows each state, a copy is confirmed in the toast, and axe finds nothing in light and dark.
// Screenshots: docs/screenshots/results-*.png.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test, expect, docShots, type Page } from './fixtures';
import { audit } from './axe';
import { makeClips } from './video-clips';

/** docs/screenshots/results-<name>-<scheme>.png at 1280x800, and -900x700 at the smaller size. */
const shots = (page: Page, name: string) => docShots(page, `results-${name}`);

test('Results: thumbnails, search, the encoding filter and a confirmed copy', async ({ page, sandbox, app }) => {
  test.setTimeout(300_000);
  // Three real clips in two folders, and a raw H.264 stream named .mp4: real video in no container, which the
  // sandbox cannot encode (it ends "failed", with no thumbnail to show).
  const clips = makeClips(['harbour drone.mp4', 'interviews/anna.mp4', 'interviews/ben.mp4'], 1);
  execFileSync('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=160x90:rate=15:duration=1'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-f', 'h264', join(clips.dir, 'raw.mp4')],
  ]);
  await page
    .context()
    .grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(app.info.url).origin });
  try {
    // Encoding is followed by default (nothing ticked), so every video ends playable or failed.
    await page.keyboard.press('Control+2');
    await expect(page.getByLabel('Follow encoding until playable')).toBeChecked();
    await page.keyboard.press('Control+1');
    await page.getByLabel('Add by path').fill(clips.dir);
    await page.getByRole('button', { name: 'Add to queue' }).click();
    const raw = page.locator('.queue-row[data-job-id]', { has: page.locator('.q-meta', { hasText: /^raw$/ }) });
    await raw.getByRole('button', { name: 'Upload anyway: raw.mp4' }).click();
    await expect
      .poll(
        async () => {
          const states = await page
            .locator('.queue-row[data-job-id]')
            .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-state')));
          if (states.includes('finalizing')) await sandbox.advanceClock(10);
          return states;
        },
        { timeout: 90_000, intervals: [500, 1000] },
      )
      .toEqual(['done', 'done', 'done', 'done']);

    await page.keyboard.press('Control+2');
    await expect(page.getByRole('heading', { name: 'Results', level: 1 })).toBeVisible();
    const rows = page.locator('.result-row');
    await expect(rows).toHaveCount(4);
    const row = (name: string) => page.locator('.result-row', { hasText: name });

    // Thumbnails: each playable video's picture loads from the sandbox, named by its title; the one that failed
    // to encode keeps the placeholder, the same size, so no row moves.
    for (const name of ['harbour drone.mp4', 'anna.mp4', 'ben.mp4']) {
      const img = row(name).getByTestId('result-thumb').locator('img');
      await expect(img).toHaveAttribute('alt', /\S/);
      await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBeGreaterThan(0);
      await expect(row(name).getByTestId('result-thumb')).toHaveClass(/r-thumb-loaded/);
    }
    await expect(row('anna.mp4').getByRole('img', { name: 'anna' })).toBeVisible();
    await expect(row('raw.mp4').getByTestId('result-thumb')).toHaveClass(/r-thumb-(failed|none)/);
    const sizes = await page
      .getByTestId('result-thumb')
      .evaluateAll((els) => els.map((e) => `${e.getBoundingClientRect().width}x${e.getBoundingClientRect().height}`));
    expect(new Set(sizes).size).toBe(1);
    await expect(row('raw.mp4').getByText('Encoding failed')).toBeVisible();
    await shots(page, 'list');
    expect(await audit(page, 'results')).toEqual([]);

    // Search: narrows as you type, case aside, by folder, file name or videoId; the count is said politely.
    const search = page.getByRole('searchbox', { name: 'Search results' });
    const count = page.getByTestId('results-count');
    await expect(count).toHaveAttribute('aria-live', 'polite');
    await search.pressSequentially('INTERVIEWS');
    await expect(rows).toHaveCount(2);
    await expect(count).toHaveText('2 of 4 videos shown');
    const benId = await page.locator('.result-row', { hasText: 'ben.mp4' }).getAttribute('data-video-id');
    await search.fill(benId!.toLowerCase());
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText('ben');
    await search.fill('zebra');
    await expect(rows).toHaveCount(0);
    await expect(page.getByTestId('results-no-match')).toContainText('No video matches “zebra”');
    await shots(page, 'no-match');
    expect(await audit(page, 'no match')).toEqual([]);
    // The clear button empties the search and gives the focus back to it.
    await page.getByTestId('results-search-clear').click();
    await expect(search).toHaveValue('');
    await expect(search).toBeFocused();
    await expect(rows).toHaveCount(4);

    // The encoding filter, with each state's count.
    const filter = (name: RegExp) =>
      page.getByRole('group', { name: 'Show videos by encoding' }).getByRole('button', { name });
    await filter(/^Playable/).click();
    await expect(filter(/^Playable/)).toHaveAttribute('aria-pressed', 'true');
    await expect(rows).toHaveCount(3);
    await expect(row('raw.mp4')).toHaveCount(0);
    await filter(/^Failed/).click();
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText('raw');
    await shots(page, 'failed');
    await filter(/^Encoding/).click();
    await expect(rows).toHaveCount(0);
    await expect(page.getByTestId('results-no-match')).toContainText('No video is encoding right now');
    await page.getByRole('button', { name: 'Show all videos' }).click();
    await expect(rows).toHaveCount(4);
    await expect(filter(/^All/)).toBeFocused();

    // A copy is confirmed in the toast (a polite live region); it goes by itself, or from the keyboard.
    const drone = row('harbour drone.mp4');
    const notices = page.locator('.notices');
    await expect(notices).toHaveAttribute('aria-live', 'polite');
    await drone.getByRole('button', { name: 'Player link' }).click();
    const copied = notices.locator('.notice', { hasText: 'Copied the player link.' });
    await expect(copied).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
      await drone.locator('.r-link').textContent(),
    );
    expect(await audit(page, 'copied')).toEqual([]);
    await expect(copied).toHaveCount(0, { timeout: 10_000 });
    await drone.getByRole('button', { name: 'Embed' }).click();
    const embed = notices.locator('.notice', { hasText: 'Copied the embed code.' });
    await expect(embed).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('<iframe');
    await embed.getByRole('button', { name: 'Dismiss' }).focus();
    await page.keyboard.press('Enter');
    await expect(embed).toHaveCount(0);
    await drone.getByRole('button', { name: 'Player link' }).click();
    await expect(copied).toBeVisible();
    await page.screenshot({ path: 'docs/screenshots/results-copied-light.png' });
  } finally {
    clips.remove();
  }
});

test('upload tokens: a copy and a deletion are confirmed in the same toast', async ({ page, sandbox, app }) => {
  await page
    .context()
    .grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(app.info.url).origin });
  const made = await sandbox.call('POST', '/upload-tokens', { ttl: 3600 });
  expect(made.status).toBe(200);
  const token = (made.json as { token: string }).token;
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Upload tokens' }).click();
  const row = page.locator(`[data-token="${token}"]`);
  await expect(row).toBeVisible();
  const notices = page.locator('.notices');

  await row.getByTestId('copy-token').click();
  await expect(notices.locator('.notice', { hasText: 'Copied the token.' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);

  await row.getByTestId('delete-token').click();
  const confirm = page.getByRole('dialog', { name: 'Delete this upload token?' });
  await confirm.getByRole('button', { name: 'Delete token' }).click();
  await expect(confirm).toBeHidden();
  await expect(notices.locator('.notice', { hasText: `Deleted the upload token ${token}.` })).toBeVisible();
  await expect(row).toHaveCount(0);
  expect(await audit(page, 'token deleted')).toEqual([]);
});
