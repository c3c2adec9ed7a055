// The queue owns the window: with 50 files, at least 10 rows show at 1280x800 and 6 at 900x700, in one scroll area;
// rows say one thing each (title, folder relative to what was added, state); the state filter narrows the list.
import { test, expect, type Page } from './fixtures';
import { makeClips } from './video-clips';

/** Rows whose whole box lies inside the queue's scroll area. */
async function rowsInView(page: Page): Promise<number> {
  return page.evaluate(() => {
    const scroll = document.querySelector('.queue-scroll')!.getBoundingClientRect();
    const bottom = Math.min(scroll.bottom, window.innerHeight);
    return [...document.querySelectorAll('.queue-canvas > .queue-row')].filter((row) => {
      const box = row.getBoundingClientRect();
      return box.top >= scroll.top - 1 && box.bottom <= bottom + 1;
    }).length;
  });
}

/** Elements that scroll vertically (more content than room, overflow auto or scroll). */
async function verticalScrollers(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [document.documentElement, ...document.querySelectorAll('*')]
      .filter((el) => {
        const style = getComputedStyle(el);
        const scrolls = el === document.documentElement || /auto|scroll/.test(style.overflowY);
        return scrolls && el.scrollHeight > el.clientHeight + 1;
      })
      .map((el) => (el as HTMLElement).className || el.tagName),
  );
}

test('50 files: 10 rows in view at 1280x800, 6 at 900x700, one scroll area; rows, folders and the filter', async ({
  page,
  sandbox,
}) => {
  test.setTimeout(300_000);
  const names = Array.from({ length: 50 }, (_, i) =>
    i < 40 ? `take-${String(i + 1).padStart(2, '0')}.mp4` : `B-roll/drone/shot-${i - 39}.mp4`,
  );
  const clips = makeClips(names);
  try {
    await page.getByLabel('Add by path').fill(clips.dir);
    await page.getByRole('button', { name: 'Add to queue' }).click();
    // Only the rows in view are mounted: wait on the filter's count of finished files instead.
    await expect
      .poll(
        async () => {
          await sandbox.advanceClock(10);
          return page.locator('.filter-btn[data-filter="done"] .filter-count').textContent();
        },
        { timeout: 120_000, intervals: [1000] },
      )
      .toBe('50');
    await expect(page.getByTestId('add-summary')).toBeHidden({ timeout: 15_000 });

    for (const [size, least] of [
      [{ width: 1280, height: 800 }, 10],
      [{ width: 900, height: 700 }, 6],
    ] as const) {
      await page.setViewportSize(size);
      await expect.poll(() => rowsInView(page), `${size.width}x${size.height}`).toBeGreaterThanOrEqual(least);
      expect(await verticalScrollers(page)).toEqual(['queue-scroll']);
    }
    await page.setViewportSize({ width: 1280, height: 800 });

    // Title only (the default title is the file name); the folder relative to what was added.
    const first = page.locator('.queue-row[data-job-id]').first();
    await expect(first.locator('.q-meta')).toHaveText('take-01');
    await expect(first.getByTestId('row-folder')).toHaveCount(0);
    await expect(first.locator('.q-window')).toHaveCount(0);
    await page.getByTestId('queue-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight));
    const drone = page.locator('.queue-row[data-job-id]', { has: page.locator('.q-meta', { hasText: /^shot-1$/ }) });
    await expect(drone.getByTestId('row-folder')).toHaveText('B-roll/drone/');

    // The filter: nothing failed, everything done.
    await page.getByRole('button', { name: /^Failed 0/ }).click();
    await expect(page.locator('.queue-row[data-job-id]')).toHaveCount(0);
    await expect(page.getByText('No files in this view.')).toBeVisible();
    await page.getByRole('button', { name: /^Done 50/ }).click();
    await expect(page.locator('.queue-row[data-job-id]').first()).toBeVisible();
    await page.getByRole('button', { name: /^All 50/ }).click();
  } finally {
    clips.remove();
  }
});
