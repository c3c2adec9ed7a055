// The upload workspace end to end in browser mode: real files on disk, the real engine, the local sandbox.
// Adding a folder by path, pause/resume, an outage, a restart of main mid-batch, failures with their reason,
// bulk metadata and a CSV import landing on the server's videos, results and the manifest export.
import { readFileSync } from 'node:fs';
import { test, expect, SENT_SOMETHING, type Page } from './fixtures';
import type { MakeMediaFolder, MediaFolder, SandboxHandle } from './fixtures';

const MiB = 1024 * 1024;

/** Random-byte clips named clip-1.mp4, clip-2.mp4, … (sizes in MiB), plus one text file the scan should skip. */
function clips(folder: MakeMediaFolder, sizesMiB: number[] = [6, 8, 12]): MediaFolder {
  const videos = Object.fromEntries(sizesMiB.map((size, i) => [`clip-${i + 1}.mp4`, size * MiB]));
  return folder(videos, { 'notes.txt': 'not a video' });
}

const rows = (page: Page) => page.locator('.queue-row[data-job-id]');
const row = (page: Page, name: string) => page.locator('.queue-row[data-job-id]', { hasText: name });

async function addByPath(page: Page, path: string): Promise<void> {
  await page.getByLabel('Add by path').fill(path);
  await page.getByRole('button', { name: 'Add to queue' }).click();
}

/** Waits until every row is done; nudges the sandbox clock so encoding finishes without waiting in real time. */
async function waitAllDone(page: Page, sandbox: SandboxHandle, count: number, timeout = 90_000): Promise<void> {
  await expect
    .poll(
      async () => {
        const states = await rows(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));
        if (states.includes('finalizing')) await sandbox.advanceClock(10);
        return states.filter((s) => s === 'done').length;
      },
      { timeout, intervals: [500, 1000] },
    )
    .toBe(count);
}

/** The videoId the Results screen shows for a file name. */
async function videoIdOf(page: Page, name: string): Promise<string> {
  const id = await page.locator('.result-row', { hasText: name }).getAttribute('data-video-id');
  expect(id, `video id of ${name}`).toBeTruthy();
  return id!;
}

test('a folder added by path uploads completely; results carry links and the manifest exports', async ({
  page,
  sandbox,
  shots,
  mediaFolder,
}) => {
  const { dir, names } = clips(mediaFolder);
  await expect(page.getByText('No videos in the queue')).toBeVisible();
  await shots('uploads-empty');

  // Encoding is followed by default in the app, so results show each video until it is playable.
  await page.keyboard.press('Control+2');
  await expect(page.getByText('Nothing finished yet')).toBeVisible();
  await expect(page.getByLabel('Follow encoding until playable')).toBeChecked();
  await page.keyboard.press('Control+1');

  await sandbox.setFaults({ totalBytesPerSec: 8 * MiB });
  await addByPath(page, dir);
  await expect(page.getByTestId('add-summary')).toContainText('Added 3 files');
  await expect(page.getByTestId('add-summary')).toContainText('skipped 1');
  await expect(rows(page)).toHaveCount(3);
  await expect(rows(page).locator('.q-state', { hasText: 'Uploading' }).first()).toBeVisible();
  await shots('uploads-uploading');
  await sandbox.clearFaults();

  await waitAllDone(page, sandbox, 3);
  await expect(page.getByTestId('queue-overview')).toContainText('100%');

  await page.keyboard.press('Control+2');
  await expect(page.locator('.result-row')).toHaveCount(3);
  await expect(page.locator('.result-row', { hasText: 'Playable' })).toHaveCount(3);
  await expect(page.getByText('3 videos uploaded · 3 playable')).toBeVisible();
  for (const name of names) {
    const id = await videoIdOf(page, name);
    const video = await sandbox.call('GET', `/videos/${id}`);
    expect(video.status).toBe(200);
  }
  await shots('results');

  // Copying the player link puts the exact URL on the clipboard.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  const first = page.locator('.result-row').first();
  const shownLink = await first.locator('.r-link').textContent();
  await first.getByRole('button', { name: /Player link|Private link/ }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(shownLink);

  for (const format of ['csv', 'json'] as const) {
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: `Export ${format.toUpperCase()}` }).click();
    const file = await (await download).path();
    const content = readFileSync(file, 'utf8');
    if (format === 'json') {
      const entries = JSON.parse(content) as {
        path: string;
        videoId: string | null;
        status: string;
        playerUrl: string | null;
      }[];
      expect(entries).toHaveLength(3);
      for (const entry of entries) {
        expect(entry.status).toBe('done');
        expect(entry.videoId).toMatch(/^vi/);
        expect(entry.playerUrl).toContain(entry.videoId);
        expect(names.some((n) => entry.path.endsWith(n))).toBe(true);
      }
    } else {
      const lines = content.trim().split(/\r?\n/);
      expect(lines[0]).toContain('videoId');
      expect(lines).toHaveLength(4);
      for (const name of names) expect(content).toContain(name);
    }
  }
});

test('pause and resume, for everything and for one file', async ({ page, sandbox, shots, mediaFolder }) => {
  const { dir } = clips(mediaFolder);
  await sandbox.setFaults({ totalBytesPerSec: 2 * MiB });
  await addByPath(page, dir);
  await expect(rows(page)).toHaveCount(3);
  await expect(page.locator('.queue-row[data-state="uploading"]').first()).toBeVisible();

  await page.getByRole('button', { name: 'Pause all' }).click();
  await expect(page.locator('.queue-row[data-state="paused"]')).toHaveCount(3);
  await shots('uploads-paused');

  // One file resumes by itself while the others stay paused.
  await row(page, 'clip-1.mp4').getByRole('button', { name: 'Resume clip-1.mp4' }).click();
  await expect(row(page, 'clip-1.mp4')).not.toHaveAttribute('data-state', 'paused');
  await expect(page.locator('.queue-row[data-state="paused"]')).toHaveCount(2);

  await sandbox.clearFaults();
  await page.getByRole('button', { name: 'Resume all' }).click();
  await waitAllDone(page, sandbox, 3);
});

test('a sandbox outage shows the offline banner, then uploads resume by themselves', async ({
  page,
  sandbox,
  shots,
  mediaFolder,
}) => {
  const { dir } = clips(mediaFolder);
  await sandbox.setFaults({ totalBytesPerSec: 2 * MiB });
  await addByPath(page, dir);
  await expect(page.locator('.queue-row[data-state="uploading"]').first()).toBeVisible();

  await sandbox.setFaults({ outage: true });
  const banner = page.getByTestId('offline-banner');
  await expect(banner).toBeVisible({ timeout: 45_000 });
  await expect(banner).toContainText('uploads resume by themselves');
  await expect(banner).toContainText(`The server cannot be reached (${sandbox.url}).`);
  await expect(banner).not.toContainText('are paused and resume'); // the why alone: the headline says what happens next
  await shots('uploads-offline');

  await sandbox.clearFaults();
  await expect(banner).toBeHidden({ timeout: 60_000 });
  await waitAllDone(page, sandbox, 3);
});

test('main restarted mid-batch comes back with the queue and finishes it', async ({
  page,
  sandbox,
  restartMain,
  mediaFolder,
}) => {
  const { dir, names } = clips(mediaFolder);
  await sandbox.setFaults({ totalBytesPerSec: 2 * MiB });
  await addByPath(page, dir);
  await expect(rows(page)).toHaveCount(3);
  await expect
    .poll(async () => Number((await page.locator('.q-pct').first().textContent())?.replace('%', '')), {
      timeout: 30_000,
    })
    .toBeGreaterThan(5);

  await restartMain();
  // The sandbox restarted with main: its faults are gone, so the rest goes at full speed.
  await expect(page.locator('.app')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  await expect(rows(page)).toHaveCount(3);
  for (const name of names) await expect(row(page, name)).toBeVisible();
  await waitAllDone(page, sandbox, 3);
  await page.keyboard.press('Control+2');
  await expect(page.locator('.result-row')).toHaveCount(3);
});

test('a file the server refuses shows its reason, and retry brings it home', async ({
  page,
  sandbox,
  shots,
  mediaFolder,
}) => {
  const { dir } = clips(mediaFolder, [6]);
  await sandbox.setFaults({ failRate: 1, failStatus: 400 });
  await addByPath(page, dir);
  const failed = page.locator('.queue-row[data-state="failed"]');
  await expect(failed).toHaveCount(1, { timeout: 45_000 });
  await expect(failed.locator('.q-reason')).not.toBeEmpty();
  await shots('uploads-failed');

  await sandbox.clearFaults();
  await page.getByRole('button', { name: 'Retry 1 failed' }).click();
  await waitAllDone(page, sandbox, 1);
});

test('bulk details and a CSV import land on the server', async ({ page, sandbox, shots, mediaFolder }) => {
  const { dir } = clips(mediaFolder);
  await sandbox.setFaults({ totalBytesPerSec: 1 * MiB });
  await addByPath(page, dir);
  await expect(rows(page)).toHaveCount(3);

  // Select clip-1 and, with shift, everything down to clip-2; edit both at once.
  await row(page, 'clip-1.mp4').getByRole('checkbox').click();
  await row(page, 'clip-2.mp4')
    .getByRole('checkbox')
    .click({ modifiers: ['Shift'] });
  await expect(page.locator('.queue-row.selected')).toHaveCount(2);
  await page.getByRole('button', { name: 'Edit details (2)' }).click();
  const form = page.getByTestId('metadata-form');
  await form.getByLabel('Description').fill('Shot on the ridge');
  await form.getByLabel('Tags').fill('hike, summer');
  await form.getByLabel('Private').check();
  await shots('metadata-panel');
  await form.getByRole('button', { name: 'Save for 2 files' }).click();
  await expect(form).toBeHidden();

  // CSV: one row matches clip-3, one matches nothing. First a preview that changes nothing, then Apply.
  await page.getByRole('button', { name: 'Import CSV' }).click();
  await expect(page.getByTestId('csv-apply')).toBeDisabled();
  await page.getByTestId('csv-input').setInputFiles({
    name: 'details.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(
      'filename,title,description,tags\nclip-3.mp4,Sunset over the lake,Golden hour,lake;sunset\nnot-here.mp4,Ghost,,\n',
    ),
  });
  const result = page.getByTestId('csv-result');
  await expect(result.locator('tr[data-matched="true"]')).toHaveCount(1);
  await expect(result.locator('tr[data-matched="true"]')).toContainText('clip-3.mp4');
  await expect(result.locator('tr[data-matched="false"]')).toContainText('not-here.mp4');
  await expect(result).toContainText('nothing is changed yet');
  await shots('csv-import-preview');
  const third = row(page, 'clip-3.mp4').locator('.q-meta');
  await expect(third).toHaveText('clip-3');
  await page.getByRole('button', { name: 'Apply to 1 file' }).click();
  await expect(result).toBeHidden();
  await expect(third).toHaveText('Sunset over the lake');

  await sandbox.clearFaults();
  await waitAllDone(page, sandbox, 3);
  await page.keyboard.press('Control+2');
  for (const name of ['clip-1.mp4', 'clip-2.mp4']) {
    const { json } = await sandbox.call('GET', `/videos/${await videoIdOf(page, name)}`);
    const video = json as { description: string; tags: string[]; public: boolean; title: string };
    expect(video.description).toBe('Shot on the ridge');
    expect(video.tags).toEqual(['hike', 'summer']);
    expect(video.public).toBe(false);
    expect(video.title).toBe(name.replace(/\.mp4$/, ''));
  }
  const { json } = await sandbox.call('GET', `/videos/${await videoIdOf(page, 'clip-3.mp4')}`);
  const video = json as { title: string; description: string; tags: string[] };
  expect(video.title).toBe('Sunset over the lake');
  expect(video.description).toBe('Golden hour');
  expect(video.tags).toEqual(['lake', 'sunset']);
});

test('the queue works from the keyboard alone', async ({ page, sandbox, mediaFolder }) => {
  const { dir } = clips(mediaFolder, [6]);
  await sandbox.setFaults({ totalBytesPerSec: 1 * MiB });
  await page.getByLabel('Add by path').focus();
  await page.keyboard.type(dir);
  await page.keyboard.press('Control+Enter');
  await expect(rows(page)).toHaveCount(1);
  const box = rows(page).first().getByRole('checkbox');
  await box.focus();
  await page.keyboard.press('Space');
  await expect(page.locator('.queue-row.selected')).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(page.locator('.queue-row.selected')).toHaveCount(0);
  await page.keyboard.press('Control+a');
  await expect(page.locator('.queue-row.selected')).toHaveCount(1);
  // Focus is visible: the focused control draws the focus ring.
  expect(await box.evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe('none');
  await sandbox.clearFaults();
  await waitAllDone(page, sandbox, 1);
});

test('a path that does not exist: nothing added, the reason shown open, the path kept to fix', async ({
  page,
  shots,
  mediaFolder,
}) => {
  // Upload settings are there before the first file.
  await expect(page.getByLabel('Parallel uploads')).toBeVisible();
  await expect(page.getByLabel('Bandwidth limit')).toBeVisible();
  const missing = `${mediaFolder({}).dir}/no-such-folder`;
  await addByPath(page, missing);
  const summary = page.getByTestId('add-summary');
  await expect(summary).toContainText('Nothing was added · skipped 1');
  await expect(summary.locator('.skip-list li')).toBeVisible();
  await expect(summary.locator('.skip-list li')).toContainText('no-such-folder');
  await expect(page.getByLabel('Add by path')).toHaveValue(missing);
  await shots('uploads-missing-path');
});

test('toolbar buttons act only on something; Clear finished empties the queue of uploaded files', async ({
  page,
  sandbox,
  shots,
  mediaFolder,
}) => {
  const { dir } = clips(mediaFolder, [5, 5]);
  await addByPath(page, dir);
  await expect(page.getByLabel('Add by path')).toHaveValue('');
  await waitAllDone(page, sandbox, 2);
  for (const name of ['Pause all', 'Resume all', 'Retry failed', 'Cancel all']) {
    await expect(page.getByRole('button', { name, exact: true })).toBeDisabled();
  }
  await shots('uploads-all-done-toolbar');
  await page.setViewportSize({ width: 900, height: 700 });
  // The toolbar's groups stay whole: "Cancel all" shares its line with the other queue actions.
  const top = async (name: string) => (await page.getByRole('button', { name, exact: true }).boundingBox())!.y;
  expect(await top('Cancel all')).toBe(await top('Pause all'));
  await shots('uploads-all-done-toolbar-900');
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.getByRole('button', { name: 'Clear 2 finished' }).click();
  await expect(page.getByRole('dialog')).toContainText('leave the queue, Results and the manifest export');
  await shots('uploads-clear-finished-confirm');
  await page.getByRole('button', { name: 'Clear 2 files' }).click();
  await expect(rows(page)).toHaveCount(0);
  await expect(page.getByText('No videos in the queue')).toBeVisible();
});

test('cancelling a file that made progress asks first; its row keeps its title', async ({
  page,
  sandbox,
  shots,
  mediaFolder,
}) => {
  const { dir } = clips(mediaFolder, [12, 6]);
  await page.getByLabel('Parallel uploads').selectOption('1');
  await sandbox.setFaults({ totalBytesPerSec: 1 * MiB });
  try {
    await addByPath(page, dir);
    const first = row(page, 'clip-1.mp4');
    const second = row(page, 'clip-2.mp4');
    // Bytes sent (on their way or confirmed): cancelling now throws something away.
    await expect(first.getByRole('progressbar')).toHaveAttribute('aria-valuetext', SENT_SOMETHING, {
      timeout: 30_000,
    });

    // Nothing of clip-2 was sent yet: it is cancelled at once.
    await expect(second).toHaveAttribute('data-state', 'queued');
    await second.getByRole('button', { name: 'Cancel clip-2.mp4' }).click();
    await expect(second).toHaveAttribute('data-state', 'cancelled');
    await expect(page.getByRole('dialog')).toBeHidden();

    await first.getByRole('button', { name: 'Cancel clip-1.mp4' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText('were already sent');
    await shots('uploads-cancel-one-confirm');
    await dialog.getByRole('button', { name: 'Keep uploading', exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(first).not.toHaveAttribute('data-state', 'cancelled');

    await first.getByRole('button', { name: 'Cancel clip-1.mp4' }).click();
    await dialog.getByRole('button', { name: 'Cancel upload' }).click();
    await expect(first).toHaveAttribute('data-state', 'cancelled');
    await expect(first.locator('.q-meta')).toHaveText('clip-1');
    await shots('uploads-cancelled-row');
  } finally {
    await sandbox.clearFaults();
  }
});

test('an upload token without an API-key profile: the add panel says details cannot be set; pausing finishes the first part', async ({
  page,
  sandbox,
  shots,
  mediaFolder,
}) => {
  const { token } = (await sandbox.call('POST', '/upload-tokens', { ttl: 0 })).json as { token: string };
  // The same sandbox under another name: no API-key profile sits beside this token profile, so none is its account's.
  const addTokenProfile = (name: string, baseUrl: string) =>
    page.evaluate(
      async (input) => {
        const added = await window.convoy.profiles.add({
          name: input.name,
          environment: { kind: 'custom', baseUrl: input.baseUrl },
          auth: { kind: 'uploadToken', token: input.token },
          secretStorage: 'session',
        });
        await window.convoy.profiles.activate({ id: added.profile.id });
        return added.profile;
      },
      { name, baseUrl, token },
    );
  const alone = await addTokenProfile('Partner alone', sandbox.url.replace('127.0.0.1', 'localhost'));
  expect(alone.accountKeyProfile).toBeUndefined();
  await expect(page.getByTestId('active-profile')).toContainText('Partner alone');

  const privateBox = page.getByLabel('Private by default');
  await expect(privateBox).toBeDisabled();
  await expect(page.getByTestId('details-reach')).toContainText('An upload token can only send the file');
  await expect(page.getByTestId('details-reach')).toContainText('add an API-key profile of the same account');
  await shots('uploads-token-no-key');
  for (const width of [900]) {
    await page.setViewportSize({ width, height: 700 });
    await shots(`uploads-token-no-key-${width}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });

  // Its uploads: the details dialog says the same and saves nothing; a pause lets the first part finish.
  const { dir } = mediaFolder({ 'partner-cut.mp4': 12 * MiB });
  await page.evaluate(() => window.convoy.queue.settings({ chunkSize: 5 * 1024 * 1024 }));
  await sandbox.setFaults({ connectionBytesPerSec: 1 * MiB });
  try {
    await addByPath(page, dir);
    const job = row(page, 'partner-cut.mp4');
    await expect(job).toHaveAttribute('data-state', 'uploading');
    await expect
      .poll(async () => Number((await job.locator('.q-pct').textContent())?.replace('%', '')), { timeout: 20_000 })
      .toBeGreaterThan(0);
    await job.getByRole('button', { name: 'Pause partner-cut.mp4' }).click();
    await expect(job.locator('.q-state')).toContainText('Pausing…');
    await expect(job.locator('.q-state [title]')).toHaveAttribute(
      'title',
      /Waiting up to 15 s for the first part.*second, duplicate video/,
    );
    await shots('uploads-pausing');
    await expect(job.locator('.q-state')).toContainText(/^Paused$/, { timeout: 20_000 });
    // A clean add (nothing skipped) said so, and has given its room back to the queue by now.
    await expect(page.getByTestId('add-summary')).toBeHidden({ timeout: 10_000 });

    await job.getByRole('button', { name: 'Edit details of partner-cut.mp4' }).click();
    const form = page.getByTestId('metadata-form');
    await expect(form.getByTestId('details-blocked')).toContainText('An upload token can only send the file');
    await expect(form.getByLabel('Title')).toBeDisabled();
    await expect(form.getByRole('button', { name: 'Save' })).toBeDisabled();
    await shots('metadata-token-no-key');
    await form.getByRole('button', { name: 'Close' }).click();

    // A CSV cannot get round it: the preview says those details stay in Convoy only.
    await page.getByRole('button', { name: 'Import CSV' }).click();
    await page.getByTestId('csv-input').setInputFiles({
      name: 'partner.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('filename,title,description,tags\npartner-cut.mp4,Opening shot,,\n'),
    });
    await expect(page.getByTestId('csv-token-only')).toContainText(
      'Of these, 1 file goes up with an upload token alone',
    );
    await shots('csv-import-token-only');
    await page.getByRole('dialog', { name: 'Import details from CSV' }).getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByTestId('csv-result')).toBeHidden();
  } finally {
    await sandbox.clearFaults();
  }

  // The same token on the Local sandbox: its API key is of the token's account, so details go through it.
  const paired = await addTokenProfile('Partner paired', sandbox.url);
  expect(paired.accountKeyProfile?.name).toBeTruthy();
  await expect(page.getByTestId('active-profile')).toContainText('Partner paired');
  await page.getByRole('button', { name: 'Filters' }).click();
  await expect(page.getByLabel('Private by default')).toBeEnabled();
  await expect(page.getByTestId('details-reach')).toContainText(`via “${paired.accountKeyProfile!.name}”`);
  await shots('uploads-token-paired');
});
