// Pause keeps what was sent, and progress says so honestly: on a slow link a file is paused mid-part; the part on
// its way is let finish ("Pausing…"), its bytes end up confirmed, and confirmed progress never falls. A part that
// would take too long is stopped instead, and the row says how much will be sent again. Screenshots: docs/screenshots.
import { mkdirSync } from 'node:fs';
import { test, expect, switchColourScheme, type Page } from './fixtures';
import { audit } from './axe';

const MiB = 1024 * 1024;

const row = (page: Page, name: string) => page.locator('.queue-row[data-job-id]', { hasText: name });
const overallBar = (page: Page) => page.getByRole('progressbar', { name: 'Overall progress' });

async function addByPath(page: Page, path: string): Promise<void> {
  await page.getByLabel('Add by path').fill(path);
  await page.getByRole('button', { name: 'Add to queue' }).click();
}

/** Confirmed and in-flight percentages as a progress bar tells assistive tech ("42% confirmed, 8% on its way"). */
function shares(text: string | null): { confirmed: number; inflight: number } {
  const confirmed = /(\d+)% confirmed/.exec(text ?? '');
  const inflight = /(\d+)% on its way/.exec(text ?? '');
  return { confirmed: Number(confirmed?.[1] ?? NaN), inflight: Number(inflight?.[1] ?? 0) };
}

interface Reading {
  label: string;
  now: number;
  text: string | null;
}

/** Records every value the page's progress bars take, as it renders them (a MutationObserver, not polling). */
async function recordProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: Reading[] = [];
    (window as unknown as { paceReadings: Reading[] }).paceReadings = seen;
    const read = (el: Element) =>
      seen.push({
        label: el.getAttribute('aria-label') ?? '',
        now: Number(el.getAttribute('aria-valuenow')),
        text: el.getAttribute('aria-valuetext'),
      });
    document.querySelectorAll('[role="progressbar"]').forEach(read);
    new MutationObserver((changes) => {
      for (const change of changes) {
        const target = change.target as Element;
        const bars =
          change.type === 'attributes'
            ? [target]
            : [...change.addedNodes].flatMap((n) =>
                n instanceof Element ? [...n.querySelectorAll('[role="progressbar"]')] : [],
              );
        for (const bar of bars) if (bar.getAttribute('role') === 'progressbar') read(bar);
      }
    }).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['aria-valuenow', 'aria-valuetext'],
    });
  });
}

async function readings(page: Page, label: string): Promise<number[]> {
  const all = await page.evaluate(() => (window as unknown as { paceReadings: Reading[] }).paceReadings);
  return all.filter((r) => r.label === label).map((r) => r.now);
}

/** Each value is at least the one before it. */
function expectNeverFalls(values: number[], what: string): void {
  expect(values.length, `${what}: readings`).toBeGreaterThan(1);
  for (let i = 1; i < values.length; i += 1)
    expect(values[i], `${what} fell from ${values[i - 1]}% to ${values[i]}% (reading ${i})`).toBeGreaterThanOrEqual(
      values[i - 1]!,
    );
}

/**
 * Screenshots in light and dark: the page (docs/screenshots/pace-<name>-<scheme>.png) and a close-up of the overview
 * and the rows (pace-<name>-closeup-<scheme>.png), both taken in one scheme before switching to the next.
 */
async function paceShots(page: Page, name: string): Promise<void> {
  mkdirSync('docs/screenshots', { recursive: true });
  const top = await page.getByTestId('queue-overview').boundingBox();
  const bottom = await page.locator('.queue-row[data-job-id]').last().boundingBox();
  if (!top || !bottom) throw new Error('paceShots: the overview or the rows are not on screen');
  const clip = { x: top.x - 8, y: top.y - 8, width: top.width + 16, height: bottom.y + bottom.height - top.y + 16 };
  for (const scheme of ['light', 'dark'] as const) {
    await switchColourScheme(page, scheme);
    await page.screenshot({ path: `docs/screenshots/pace-${name}-${scheme}.png` });
    await page.screenshot({ path: `docs/screenshots/pace-${name}-closeup-${scheme}.png`, clip });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/**
 * WCAG contrast of each tone's bar colour (the fill, and the stripes of the part on its way) against the track, in
 * the scheme shown: what a person needs to tell the bar's parts apart (non-text contrast, 3:1).
 */
async function barContrasts(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const rgb = (css: string) =>
      css
        .match(/[\d.]+/g)!
        .slice(0, 3)
        .map(Number);
    const lum = (c: number[]) =>
      c
        .map((v) => v / 255)
        .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
        .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i]!, 0);
    const out: Record<string, number> = {};
    for (const tone of ['info', 'success', 'warning', 'danger', 'neutral']) {
      const bar = document.createElement('div');
      bar.className = `progress progress-${tone}`;
      bar.innerHTML = '<div class="progress-inflight" style="width: 50%"></div><div class="progress-fill"></div>';
      document.body.append(bar);
      const fill = lum(rgb(getComputedStyle(bar.lastElementChild!).backgroundColor));
      const track = lum(rgb(getComputedStyle(bar).backgroundColor));
      // The stripes are drawn in the fill's colour: the same pair decides both.
      const image = getComputedStyle(bar.firstElementChild!).backgroundImage;
      bar.remove();
      if (!image.startsWith('repeating-linear-gradient')) throw new Error(`no hatching on ${tone}: ${image}`);
      out[tone] = Math.round(((Math.max(fill, track) + 0.05) / (Math.min(fill, track) + 0.05)) * 100) / 100;
    }
    return out;
  });
}

/** axe on the queue's overview and rows, light and dark. */
function auditQueue(page: Page): Promise<string[]> {
  return audit(page, 'queue', ['[data-testid="queue-overview"]', '.queue-row[data-job-id]']);
}

test('a pause mid-part lets the part arrive: "Pausing…", then every byte sent is kept', async ({
  page,
  sandbox,
  mediaFolder,
}) => {
  // 5 MiB parts, one at a time, at 512 KiB/s: a part takes about 10 s, within the 20 s a pause lets it finish.
  const { dir } = mediaFolder({ 'pace-clip.mp4': 16 * MiB });
  await page.evaluate(() => window.convoy.queue.settings({ chunkSize: 5 * 1024 * 1024, concurrency: 1 }));
  await sandbox.setFaults({ totalBytesPerSec: 512 * 1024 });
  await recordProgress(page);
  await addByPath(page, dir);
  const job = row(page, 'pace-clip.mp4');
  await expect(job).toHaveAttribute('data-state', 'uploading');

  // Mid-way: the first part confirmed and the second on its way, drawn apart from it.
  await expect
    .poll(
      async () => {
        const { confirmed, inflight } = shares(await overallBar(page).getAttribute('aria-valuetext'));
        return confirmed >= 31 && inflight > 0;
      },
      { timeout: 40_000, intervals: [100] },
    )
    .toBe(true);
  await expect(page.getByTestId('queue-overview').locator('.progress-inflight')).toBeVisible();
  await expect(page.getByTestId('overall-inflight')).toContainText('on its way');
  await paceShots(page, 'uploading');
  for (const scheme of ['light', 'dark'] as const) {
    await switchColourScheme(page, scheme);
    for (const [tone, ratio] of Object.entries(await barContrasts(page)))
      expect(ratio, `${tone} bar against its track, ${scheme}`).toBeGreaterThanOrEqual(3);
  }
  await page.emulateMedia({ colorScheme: 'light' });

  // Paused just as the third part sets off, so the part on its way has most of its 10 s still to go.
  await expect
    .poll(
      async () => {
        const { confirmed, inflight } = shares(await overallBar(page).getAttribute('aria-valuetext'));
        return confirmed >= 62 && inflight > 0;
      },
      { timeout: 40_000, intervals: [100] },
    )
    .toBe(true);
  const atPause = shares(await overallBar(page).getAttribute('aria-valuetext'));
  await job.getByRole('button', { name: 'Pause pace-clip.mp4' }).click();

  // The part on its way is let finish: the row says "Pausing…" and why, and the overview still draws it apart.
  await expect(job).toHaveAttribute('data-pausing', 'true');
  await expect(job.locator('.q-state')).toContainText('Pausing…');
  await expect(job.locator('.q-state [title]')).toHaveAttribute(
    'title',
    /Letting the part on its way arrive, so what it carries is kept/,
  );
  await expect(page.getByTestId('queue-overview').locator('.progress-inflight')).toBeVisible();
  await paceShots(page, 'pausing');
  await expect(job, 'still "Pausing…" once its screenshots were taken').toHaveAttribute('data-pausing', 'true', {
    timeout: 1,
  });
  expect(await auditQueue(page)).toEqual([]);

  // Then paused, with what was on its way confirmed: nothing was thrown away, nothing will be sent again.
  await expect(job).not.toHaveAttribute('data-pausing', 'true', { timeout: 30_000 });
  await expect(job).toHaveAttribute('data-state', 'paused');
  await expect(job.locator('.q-state')).toHaveText(/^Paused$/);
  const afterPause = shares(await overallBar(page).getAttribute('aria-valuetext'));
  expect(afterPause.inflight).toBe(0);
  expect(afterPause.confirmed, 'confirmed after the pause').toBeGreaterThanOrEqual(
    atPause.confirmed + atPause.inflight - 1,
  );
  await expect(job.locator('.q-reason')).toHaveCount(0);
  await expect(page.getByTestId('queue-overview').locator('.progress-inflight')).toHaveCount(0);
  await paceShots(page, 'paused');
  expect(await auditQueue(page)).toEqual([]);

  // Resumed, it goes on from there to the end; confirmed progress never fell on the way.
  await sandbox.clearFaults();
  await job.getByRole('button', { name: 'Resume pace-clip.mp4' }).click();
  await expect(page.getByTestId('queue-overview')).toContainText('100%', { timeout: 60_000 });
  expectNeverFalls(await readings(page, 'Overall progress'), 'overall confirmed progress');
  expectNeverFalls(await readings(page, 'pace-clip.mp4 progress'), 'the row’s progress');
});

test('a part that would take too long is stopped at once; the row says how much will be sent again', async ({
  page,
  sandbox,
  mediaFolder,
}) => {
  // One 48 MiB part at 512 KiB/s: well over the 20 s a pause would wait, so pausing stops it.
  const { dir } = mediaFolder({ 'long-part.mp4': 48 * MiB });
  await page.evaluate(() => window.convoy.queue.settings({ chunkSize: 50 * 1024 * 1024, concurrency: 1 }));
  await sandbox.setFaults({ totalBytesPerSec: 512 * 1024 });
  await recordProgress(page);
  await addByPath(page, dir);
  const job = row(page, 'long-part.mp4');
  await expect(job).toHaveAttribute('data-state', 'uploading');
  await expect(page.getByTestId('overall-speed')).toBeVisible({ timeout: 20_000 });
  await expect
    .poll(async () => shares(await overallBar(page).getAttribute('aria-valuetext')).inflight, { timeout: 20_000 })
    .toBeGreaterThanOrEqual(5);

  await job.getByRole('button', { name: 'Pause long-part.mp4' }).click();
  await expect(job).toHaveAttribute('data-state', 'paused');
  await expect(job).not.toHaveAttribute('data-pausing', 'true', { timeout: 10_000 });
  // What was on its way is gone from the bar, and the row says so, with how much will be sent again.
  await expect(job.locator('.q-reason')).toHaveText(
    /^Paused\. \d+\.\d MiB of a part on its way was stopped and will be sent again on resume\.$/,
  );
  await expect(overallBar(page)).toHaveAttribute('aria-valuetext', '0% confirmed');
  await paceShots(page, 'stopped');
  expect(await auditQueue(page)).toEqual([]);

  await sandbox.clearFaults();
  await job.getByRole('button', { name: 'Resume long-part.mp4' }).click();
  await expect(page.getByTestId('queue-overview')).toContainText('100%', { timeout: 60_000 });
  expectNeverFalls(await readings(page, 'Overall progress'), 'overall confirmed progress');
  expectNeverFalls(await readings(page, 'long-part.mp4 progress'), 'the row’s progress');
});
