// What the queue and Results know of the media: a folder of real clips with captions (WebVTT and SRT), a thumbnail
// and a broken caption file beside one of them, and a PDF named .mp4. Rows say the length and picture, the files
// beside a video open as chips with their state in words, one is dropped from the keyboard alone (and never reaches
// the server), the PDF is skipped with its reason and no override, Results say the length and what went with each
// video, and axe finds nothing in light and dark. Screenshots: docs/screenshots/media-*.png.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, switchColourScheme, type Page } from './fixtures';
import { audit } from './axe';
import { makeClips, padClips } from './video-clips';

/** docs/screenshots/media-<name>-<scheme>.png, light and dark. */
async function shots(page: Page, name: string): Promise<void> {
  mkdirSync('docs/screenshots', { recursive: true });
  for (const scheme of ['light', 'dark'] as const) {
    await switchColourScheme(page, scheme);
    await page.screenshot({ path: `docs/screenshots/media-${name}-${scheme}.png` });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

const englishVtt = 'WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nHello\n\n00:00:01.000 --> 00:00:02.000\nAgain\n';
const frenchSrt =
  '1\r\n00:00:00,000 --> 00:00:01,000\r\nBonjour\r\n\r\n2\r\n00:00:01,000 --> 00:00:02,000\r\nEncore\r\n';
const brokenVtt = 'This is not WebVTT at all.\n';
/** The start of a real PDF document: what a renamed report looks like. */
const pdf = '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n';

test('rows and Results know the media; sidecars show, drop from the keyboard; a PDF is skipped with its reason', async ({
  page,
  sandbox,
}) => {
  test.setTimeout(300_000);
  // Two-second 160x90 H.264 clips; talk.mp4 padded so that, slowed down, it is still sending while a chip is dropped.
  const clips = makeClips(['interview.mp4', 'talk.mp4'], 2);
  padClips(clips, { 'talk.mp4': 6 * 1024 * 1024 });
  const at = (name: string) => join(clips.dir, name);
  writeFileSync(at('talk.en.vtt'), englishVtt);
  writeFileSync(at('talk.fr.srt'), frenchSrt);
  writeFileSync(at('talk.de.vtt'), brokenVtt);
  execFileSync('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=1'],
    ...['-frames:v', '1', at('talk.jpg')],
  ]);
  writeFileSync(at('report.mp4'), pdf);

  try {
    // 64 KiB/s: talk.mp4 takes over a minute, time to open its sidecars and drop one before it is complete.
    await page.evaluate(() => window.convoy.queue.settings({ bandwidthLimit: 65_536 }));
    await page.getByLabel('Add by path').fill(clips.dir);
    await page.getByRole('button', { name: 'Add to queue' }).click();

    // Every file is queued and checked; the PDF ends skipped before a byte is sent, saying what it is, with no
    // "Upload anyway" for what is plainly not video. The files beside a video are not queued, nor called skipped.
    await expect(page.getByTestId('add-summary')).toContainText('Added 3 files');
    const row = (title: string) =>
      page.locator('.queue-row[data-job-id]', { has: page.locator('.q-meta', { hasText: new RegExp(`^${title}$`) }) });
    const report = row('report');
    await expect(report).toHaveAttribute('data-state', 'skipped');
    await expect(report.locator('.q-state .badge')).toHaveText('Not a video');
    await expect(report.locator('.q-reason')).toContainText(
      /report\.mp4 is not a video: it starts like a PDF document/,
    );
    await expect(report.getByRole('button', { name: /Upload anyway/ })).toHaveCount(0);
    await expect(report.locator('.q-progress [role="progressbar"]')).toHaveAttribute('aria-valuenow', '0');
    await expect(page.locator('.queue-row[data-job-id]')).toHaveCount(3);

    // Length, picture and codec on each row.
    const talk = row('talk');
    const interview = row('interview');
    await expect(talk.getByTestId('row-media')).toHaveText('0:02 · 160×90 · h264');
    await expect(interview.getByTestId('row-media')).toHaveText('0:02 · 160×90 · h264');
    await expect(interview.getByTestId('row-sidecars')).toHaveCount(0);

    // The sidecars: a summary on the row, the broken caption counted as not sent.
    const trigger = talk.getByTestId('row-sidecars');
    await expect(trigger).toContainText('Captions EN, FR · Thumbnail');
    await expect(trigger).toContainText('1 not sent');
    await shots(page, 'skipped');
    expect(await audit(page, 'rows')).toEqual([]);

    // From the keyboard alone: the row, Tab to its sidecars, Enter opens their chips.
    await talk.focus();
    await page.keyboard.press('Tab');
    await expect(trigger).toBeFocused();
    await page.keyboard.press('Enter');
    const pop = page.getByRole('dialog', { name: 'Captions, chapters and thumbnail of talk.mp4' });
    await expect(pop).toBeVisible();
    const chip = (key: string) => pop.locator(`.sidecar-chip[data-key="${key}"]`);
    await expect(chip('caption:en')).toContainText('EN captions (default)');
    await expect(chip('caption:fr')).toContainText('FR captions');
    await expect(chip('thumbnail')).toContainText('Thumbnail');
    await expect(chip('caption:en')).toHaveAttribute('data-state', 'waiting');
    // The broken caption file: named, not sent, and why, in words.
    const broken = pop.locator('.sidecar-chip[data-state="invalid"]');
    await expect(broken.locator('.sc-head')).toContainText(/talk\.de\.vtt\s*: Not sent/);
    await expect(broken.locator('.sc-why')).toContainText(/talk\.de\.vtt is not valid WebVTT/);

    // Tab to the French captions' Drop and press Enter: the chip goes, the focus stays in the list.
    const dropFrench = pop.getByRole('button', { name: 'Drop FR captions of talk.mp4' });
    await expect(dropFrench).toBeVisible();
    for (let i = 0; i < 6 && !(await dropFrench.evaluate((b) => b === document.activeElement)); i++)
      await page.keyboard.press('Tab');
    await expect(dropFrench).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(chip('caption:fr')).toHaveCount(0);
    await expect(pop.locator('.sc-drop:focus')).toHaveCount(1);
    await expect(chip('caption:en')).toHaveAttribute('data-state', 'waiting');
    await shots(page, 'rows');
    expect(await audit(page, 'sidecar chips')).toEqual([]);
    await page.setViewportSize({ width: 900, height: 700 });
    await shots(page, 'rows-900x700');
    await page.setViewportSize({ width: 1280, height: 800 });
    await pop.locator('.sc-drop').first().focus();
    await page.keyboard.press('Escape');
    await expect(pop).toBeHidden();
    await expect(trigger).toBeFocused();
    await expect(trigger).toContainText('Captions EN · Thumbnail');

    // Full speed: both finish; the English captions and the thumbnail reach the video, the French ones never do.
    await page.evaluate(() => window.convoy.queue.settings({ bandwidthLimit: null }));
    await expect
      .poll(
        async () => {
          const states = await page
            .locator('.queue-row[data-job-id]')
            .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-state')));
          if (states.includes('finalizing')) await sandbox.advanceClock(10);
          return states.sort();
        },
        { timeout: 60_000, intervals: [500, 1000] },
      )
      .toEqual(['done', 'done', 'skipped']);
    await expect(trigger).not.toContainText('FR');
    await trigger.click();
    await expect(chip('caption:en')).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
    await expect(chip('thumbnail')).toHaveAttribute('data-state', 'done');
    await expect(chip('caption:en').getByRole('button', { name: /Drop/ })).toHaveCount(0);
    await page.keyboard.press('Escape');

    // Results: the length and picture, and what went with the video.
    await page.keyboard.press('Control+2');
    await expect(page.getByRole('heading', { name: 'Results', level: 1 })).toBeVisible();
    const result = page.locator('.result-row', { hasText: 'talk' }).first();
    await expect(result.getByTestId('result-media')).toHaveText('0:02 · 160×90 · h264');
    await expect(result.getByTestId('result-sidecars')).toContainText('Captions EN · Thumbnail');
    await expect(result.getByTestId('result-sidecars')).toContainText('1 not sent');
    const other = page.locator('.result-row', { hasText: 'interview' }).first();
    await expect(other.getByTestId('result-media')).toHaveText('0:02 · 160×90 · h264');
    await expect(other.getByTestId('result-sidecars')).toHaveCount(0);
    const serverVideoId = await result.getAttribute('data-video-id');
    const tracks = await sandbox.call('GET', `/videos/${serverVideoId}/captions`);
    expect(tracks.status).toBe(200);
    const languages = (tracks.json as { data: { srclang: string }[] }).data.map((t) => t.srclang);
    expect(languages).toEqual(['en']);
    await shots(page, 'results');
    expect(await audit(page, 'results')).toEqual([]);
  } finally {
    clips.remove();
  }
});

test('with "Send captions, chapters and thumbnails" off, the files beside a video are left alone', async ({ page }) => {
  const clips = makeClips(['lecture.mp4'], 2);
  writeFileSync(join(clips.dir, 'lecture.en.vtt'), englishVtt);
  try {
    const option = page.getByLabel('Send captions, chapters and thumbnails found beside the videos');
    await expect(option).toBeChecked();
    await option.uncheck();
    await page.getByLabel('Add by path').fill(clips.dir);
    await page.getByRole('button', { name: 'Add to queue' }).click();
    const row = page.locator('.queue-row[data-job-id]');
    await expect(row).toHaveCount(1);
    // Checked (its length is known) and still nothing beside it: the captions file was never looked at.
    await expect(row.getByTestId('row-media')).toHaveText('0:02 · 160×90 · h264');
    await expect(row).toHaveAttribute('data-state', 'done');
    await expect(row.getByTestId('row-sidecars')).toHaveCount(0);
  } finally {
    clips.remove();
  }
});

test('a video no parser knows is skipped with a way on: "Upload anyway" from the keyboard sends it', async ({
  page,
}) => {
  // A raw H.264 stream named .mp4: real video, in no container the preflight reads.
  const clips = makeClips(['known.mp4'], 1);
  execFileSync('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=160x90:rate=15:duration=1'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-f', 'h264', join(clips.dir, 'raw.mp4')],
  ]);
  try {
    await page.getByLabel('Add by path').fill(clips.dir);
    await page.getByRole('button', { name: 'Add to queue' }).click();
    const raw = page.locator('.queue-row[data-job-id]', { has: page.locator('.q-meta', { hasText: /^raw$/ }) });
    await expect(raw).toHaveAttribute('data-state', 'skipped');
    await expect(raw.locator('.q-state .badge')).toHaveText('Not recognised');
    await expect(raw.locator('.q-reason')).toContainText('Upload anyway');
    const anyway = raw.getByRole('button', { name: 'Upload anyway: raw.mp4' });
    await expect(anyway).toBeVisible();
    // The keyboard: the row, then Tab to its button, Enter.
    await raw.focus();
    await page.keyboard.press('Tab');
    await expect(anyway).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(raw).toHaveAttribute('data-state', /uploading|finalizing|done/);
    await expect(raw).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
    await expect(raw.getByRole('button', { name: /Upload anyway/ })).toHaveCount(0);
  } finally {
    clips.remove();
  }
});
