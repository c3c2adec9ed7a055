// A reason that stands until the user acts is read whole, by eye: a duplicate's long "Already uploaded ...", a refused
// upload's error and a paused file's "Paused. ... will be sent again on resume." wrap under their rows at 1280x800,
// 900x700 and 700x700, in light and dark, never cut, and each is said once; a row still uploading keeps its one 44 px
// line, no row overlaps another, and axe finds nothing. Screenshots: docs/screenshots/queue-reasons-*.png, and the
// queue alone as queue-row-<width>-<scheme>.png in the test's output.
import { join } from 'node:path';
import { test, expect, docShots, everyRowDone, switchColourScheme, type Page } from './fixtures';
import { audit } from './axe';

const MiB = 1024 * 1024;
/** A long title, as a real one can be: the duplicate's reason names it. */
const LONG = 'interview-with-the-regional-director-about-the-spring-launch-and-the-roadmap-for-next-year';
const rows = (page: Page) => page.locator('.queue-row[data-job-id]');
const row = (page: Page, title: string) =>
  page.locator('.queue-row[data-job-id]', { has: page.locator('.q-meta', { hasText: new RegExp(`^${title}$`) }) });

async function addByPath(page: Page, path: string): Promise<void> {
  await page.getByLabel('Add by path').fill(path);
  await page.getByRole('button', { name: 'Add to queue' }).click();
}

/**
 * What hides part of each row's reason: "<title>: <what>" for a reason whose box overflows its own (an ellipsis, a
 * clamp) or reaches past an ancestor that clips (overflow, paint containment) up to the queue's scroll area. Each
 * row is first scrolled into the queue's view (up or down only): where not every row fits, one out of view is not cut.
 */
async function cutReasons(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const cut: string[] = [];
    for (const reason of document.querySelectorAll<HTMLElement>('.queue-canvas > .queue-row .q-reason')) {
      const title = reason.closest('.queue-row')?.querySelector('.q-meta')?.textContent ?? '?';
      const scroll = reason.closest<HTMLElement>('.queue-scroll')!;
      const [own, view] = [reason.getBoundingClientRect(), scroll.getBoundingClientRect()];
      if (own.bottom > view.bottom) scroll.scrollTop += Math.ceil(own.bottom - view.bottom);
      else if (own.top < view.top) scroll.scrollTop -= Math.ceil(view.top - own.top);
      if (reason.scrollWidth > reason.clientWidth + 1 || reason.scrollHeight > reason.clientHeight + 1)
        cut.push(`${title}: overflows its own box`);
      const box = reason.getBoundingClientRect();
      for (let el = reason.parentElement; el && el !== document.body; el = el.parentElement) {
        const style = getComputedStyle(el);
        const clips =
          style.overflowX !== 'visible' || style.overflowY !== 'visible' || /paint|strict|content/.test(style.contain);
        if (!clips) continue;
        const edge = el.getBoundingClientRect();
        if (
          box.left < edge.left - 1 ||
          box.right > edge.right + 1 ||
          box.top < edge.top - 1 ||
          box.bottom > edge.bottom + 1
        )
          cut.push(`${title}: cut by .${el.className.split(' ').join('.')}`);
        if (el.classList.contains('queue-scroll')) break;
      }
    }
    return cut;
  });
}

/**
 * Each reason said more than once in its row, as "<title>: <times>": in the row's text, or as a tooltip (which a
 * screen reader reads as the element's description) beside it.
 */
async function reasonsSaidTwice(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const twice: string[] = [];
    for (const row of document.querySelectorAll<HTMLElement>('.queue-canvas > .queue-row')) {
      const reasons = [...row.querySelectorAll<HTMLElement>('.q-reason')].map((el) => el.textContent ?? '');
      for (const reason of new Set(reasons)) {
        const inText = (row.textContent ?? '').split(reason).length - 1;
        const asTooltip = [...row.querySelectorAll('[title]')].filter((el) => el.getAttribute('title') === reason);
        if (inText + asTooltip.length !== 1)
          twice.push(`${row.querySelector('.q-meta')?.textContent ?? '?'}: ${inText + asTooltip.length}`);
      }
    }
    return twice;
  });
}

/** Each row's top and height, in the order shown, and whether it overlaps the row above it. */
async function rowBoxes(page: Page): Promise<{ title: string; top: number; height: number; overlaps: boolean }[]> {
  return page.evaluate(() => {
    const boxes = [...document.querySelectorAll<HTMLElement>('.queue-canvas > .queue-row')]
      .map((el) => ({ title: el.querySelector('.q-meta')?.textContent ?? '?', box: el.getBoundingClientRect() }))
      .sort((a, b) => a.box.top - b.box.top);
    return boxes.map(({ title, box }, i) => ({
      title,
      top: Math.round(box.top),
      height: Math.round(box.height),
      overlaps: i > 0 && box.top < boxes[i - 1]!.box.bottom - 0.5,
    }));
  });
}

/** How far below the row's top each cell of its first line is centred (the badge, the box, the actions). */
async function firstLineCentres(page: Page, title: string): Promise<number[]> {
  return row(page, title).evaluate((el) => {
    const top = el.getBoundingClientRect().top;
    return ['.q-check input', '.q-state .badge', '.q-actions button'].map((selector) => {
      const box = el.querySelector(selector)!.getBoundingClientRect();
      return Math.round(box.top + box.height / 2 - top);
    });
  });
}

test('a finished or paused row says its reason whole, wrapping below it; rows on their way keep one line', async ({
  page,
  sandbox,
  mediaFolder,
}) => {
  test.setTimeout(300_000);
  const home = mediaFolder({ [`${LONG}.mp4`]: MiB, 'talk.mp4': 6 * MiB, 'held-back.mp4': 6 * MiB });
  const elsewhere = mediaFolder({ 'rejected.mp4': MiB });

  // The long-named file goes up once and leaves the queue; the server keeps it.
  await addByPath(page, home.path(`${LONG}.mp4`));
  await everyRowDone(page, sandbox, 1);
  await page.getByRole('button', { name: 'Clear 1 finished' }).click();
  await page
    .getByRole('dialog', { name: 'Clear finished files?' })
    .getByRole('button', { name: /^Clear 1 / })
    .click();
  await expect(rows(page)).toHaveCount(0);

  // A file the server refuses: failed, with the server's reason.
  await sandbox.setFaults({ failRate: 1, failStatus: 400 });
  await addByPath(page, elsewhere.path('rejected.mp4'));
  await expect(row(page, 'rejected')).toHaveAttribute('data-state', 'failed', { timeout: 45_000 });
  await sandbox.clearFaults();

  // The folder again, slowed down: the long-named file is a duplicate, talk.mp4 keeps uploading, and held-back.mp4
  // is paused with part of a part on its way, which at this speed would take far longer than a pause waits.
  await page.evaluate(() => window.convoy.queue.settings({ bandwidthLimit: 65_536 }));
  await addByPath(page, home.dir);
  const duplicate = row(page, LONG);
  const failed = row(page, 'rejected');
  const talk = row(page, 'talk');
  const paused = row(page, 'held-back');
  await expect(duplicate).toHaveAttribute('data-state', 'skipped', { timeout: 45_000 });
  await expect(talk).toHaveAttribute('data-state', 'uploading', { timeout: 45_000 });
  await expect(paused).toHaveAttribute('data-state', 'uploading', { timeout: 45_000 });
  await expect
    .poll(
      async () => {
        const said = await paused.getByRole('progressbar').getAttribute('aria-valuetext');
        return Number(/(\d+)% on its way/.exec(said ?? '')?.[1] ?? 0);
      },
      { timeout: 45_000 },
    )
    .toBeGreaterThanOrEqual(3);
  await paused.getByRole('button', { name: 'Pause held-back.mp4' }).click();
  await expect(paused).toHaveAttribute('data-state', 'paused');
  await expect(paused.locator('.q-reason')).toHaveText(
    /^Paused\. \d+\.\d MiB of a part on its way was stopped and will be sent again on resume\.$/,
    { timeout: 15_000 },
  );
  await expect(duplicate.locator('.q-reason')).toHaveText(
    new RegExp(
      `^Already uploaded with this profile as video \\w+ \\("${LONG}"\\), with the same content\\. ` +
        'Retry it to upload again anyway\\.$',
    ),
  );
  await expect(failed.locator('.q-reason')).not.toBeEmpty();

  // The notices and the add summary go, so the pictures show the queue.
  const notices = page.locator('.notices .notice');
  while ((await notices.count()) > 0) await notices.first().getByRole('button', { name: 'Dismiss' }).click();
  await page.getByRole('button', { name: 'Dismiss scan summary' }).click();

  const out = test.info().outputPath();
  for (const [width, height] of [
    [1280, 800],
    [900, 700],
    // Reflow (as at 200% zoom): the row keeps its box, title, state and actions, the bar along its foot.
    [700, 700],
  ] as const) {
    await page.setViewportSize({ width, height });
    for (const scheme of ['light', 'dark'] as const) {
      await switchColourScheme(page, scheme);
      const where = `${width}x${height} ${scheme}`;
      // Every reason whole: nothing overflows its box or reaches past a box that clips.
      await expect.poll(() => cutReasons(page), where).toEqual([]);
      // Each reason is said once: below its row, not also on the row's line or in a tooltip.
      expect(await reasonsSaidTwice(page), where).toEqual([]);
      // The rows stack without overlapping; the one uploading keeps its one 44 px line, the duplicate's, the failed
      // and the paused row's reasons make them taller, and the cells of their first line sit where an uploading
      // row's do.
      await expect
        .poll(async () => (await rowBoxes(page)).filter((box) => box.overlaps).map((box) => box.title), where)
        .toEqual([]);
      const heights = Object.fromEntries((await rowBoxes(page)).map((box) => [box.title, box.height]));
      expect(heights.talk, where).toBe(44);
      expect(heights[LONG], where).toBeGreaterThan(44);
      expect(heights.rejected, where).toBeGreaterThan(44);
      expect(heights['held-back'], where).toBeGreaterThan(44);
      for (const title of [LONG, 'rejected', 'held-back'])
        expect(await firstLineCentres(page, title), `${title} ${where}`).toEqual(await firstLineCentres(page, 'talk'));
      // The reason reads below the title's line, not beside it.
      for (const below of [duplicate, paused]) {
        const heading = await below.locator('.q-heading').boundingBox();
        const reason = await below.locator('.q-reason').boundingBox();
        expect(reason!.y, where).toBeGreaterThanOrEqual(heading!.y + heading!.height - 1);
      }
      // The last rows in view (at 900x700 the queue has room for fewer than all four).
      await page.getByTestId('queue-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight));
      await page.locator('.queue-grid').screenshot({ path: join(out, `queue-row-${width}-${scheme}.png`) });
    }
  }
  expect(await audit(page, 'reasons below rows', ['.queue-grid'])).toEqual([]);
  await page.setViewportSize({ width: 900, height: 700 });
  expect(await audit(page, 'reasons below rows at 900x700')).toEqual([]);
  await docShots(page, 'queue-reasons');
});
