// A profile whose key lives for the session only: after main restarts mid-upload its file waits for the
// key (it does not fail), and entering the key again lets the same upload finish — one video, every byte.
import { addActiveSessionProfile, test, expect } from './fixtures';

const MiB = 1024 * 1024;

test('a session-only profile waits for its key after a restart, then finishes the same upload', async ({
  page,
  sandbox,
  restartMain,
  shot,
  mediaFolder,
}) => {
  const folder = mediaFolder({ 'keynote.mp4': 16 * MiB + 4321 });
  const file = folder.path('keynote.mp4');
  const bytes = folder.bytes('keynote.mp4');

  const profileId = await addActiveSessionProfile(page, 'Session only', sandbox.url, sandbox.apiKey);
  await page.evaluate(() => window.convoy.queue.settings({ chunkSize: 5 * 1024 * 1024, concurrency: 1 }));
  await sandbox.setFaults({ connectionBytesPerSec: 2 * MiB });
  await page.evaluate((path) => window.convoy.queue.add({ paths: [path] }), file);
  await expect
    .poll(() => page.evaluate(async () => (await window.convoy.queue.snapshot({})).jobs[0]?.confirmedBytes ?? 0), {
      timeout: 30_000,
    })
    .toBeGreaterThan(0);

  await restartMain();
  await expect(page.locator('.app[data-ready="true"]')).toBeVisible({ timeout: 30_000 });
  const waiting = await page.evaluate(async () => (await window.convoy.queue.snapshot({})).jobs[0]!);
  expect(waiting.state).toBe('paused');
  expect(waiting.reason).toMatch(/key/i);
  await page.getByRole('button', { name: 'Uploads' }).click();
  await expect(page.getByRole('gridcell').getByText('Needs key')).toBeVisible();
  await expect(page.getByText('1 file waits for a profile')).toBeVisible();
  // The overview counts it as its row says: needing a key, not paused by the user.
  const counts = page.getByRole('list', { name: 'Files by state' });
  await expect(counts.locator('[data-state="needs-key"]')).toHaveText('Needs key 1');
  await expect(counts.locator('[data-state="paused"]')).toHaveCount(0);
  await shot('uploads-waiting-for-key-light');

  await sandbox.clearFaults();
  const check = await page.evaluate(({ id, secret }) => window.convoy.profiles.provideSecret({ id, secret }), {
    id: profileId,
    secret: sandbox.apiKey,
  });
  expect(check.check.ok).toBe(true);
  await expect
    .poll(() => page.evaluate(async () => (await window.convoy.queue.snapshot({})).jobs[0]?.state), { timeout: 60_000 })
    .toBe('done');

  const job = await page.evaluate(async () => (await window.convoy.queue.snapshot({})).jobs[0]!);
  expect(job.videoId).toBe(waiting.videoId);
  const list = await sandbox.call('GET', '/videos?pageSize=100');
  expect((list.json as { data: unknown[] }).data).toHaveLength(1);
  const mp4 = await fetch(job.mp4Url!);
  expect(Buffer.from(await mp4.arrayBuffer()).equals(bytes)).toBe(true);
});
