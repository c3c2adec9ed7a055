// An upload token alone cannot set a video's title, description, tags or privacy. Files queued with such
// details through a token profile that has no API-key profile of its account: the queue and Results warn
// "Details not on server" (reason in the tooltip) and never call the video private, which it is not on the server.
import { test, expect } from './fixtures';

test('details that never reached the server are flagged in the queue and in Results, never shown as private', async ({
  page,
  sandbox,
  shots,
  mediaFolder,
}) => {
  const { token } = (await sandbox.call('POST', '/upload-tokens', { ttl: 0 })).json as { token: string };
  // The sandbox under another host name: no API-key profile sits beside this token profile.
  const profile = await page.evaluate(
    async (input) => {
      const added = await window.convoy.profiles.add({
        name: 'Partner alone',
        environment: { kind: 'custom', baseUrl: input.baseUrl },
        auth: { kind: 'uploadToken', token: input.token },
        secretStorage: 'session',
      });
      await window.convoy.profiles.activate({ id: added.profile.id });
      return added.profile;
    },
    { baseUrl: sandbox.url.replace('127.0.0.1', 'localhost'), token },
  );
  expect(profile.accountKeyProfile).toBeUndefined();

  // Straight through the bridge (the add panel would not offer it): private, with a description.
  const { dir } = mediaFolder({ 'partner-cut.mp4': 3 * 1024 * 1024 });
  await page.evaluate(
    (path) => window.convoy.queue.add({ paths: [path], defaults: { public: false, description: 'From the partner' } }),
    dir,
  );
  const row = page.locator('.queue-row[data-job-id]', { hasText: 'partner-cut.mp4' });
  await expect(row).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(row.getByTestId('details-problem')).toHaveText('Details not on server');
  await expect(row.getByTestId('details-problem')).toHaveAttribute('title', /.+/);
  await expect(row.locator('.q-meta')).not.toContainText('private');
  await shots('uploads-details-not-on-server');

  await page.keyboard.press('Control+2');
  const result = page.locator('.result-row', { hasText: 'partner-cut' });
  await expect(result.getByTestId('details-problem')).toBeVisible();
  await expect(result.locator('.badge', { hasText: 'Private' })).toHaveCount(0);
  await expect(result.getByRole('button', { name: 'Player link' })).toBeVisible();
  const videoId = await result.getAttribute('data-video-id');
  const video = (await sandbox.call('GET', `/videos/${videoId}`)).json as { public: boolean; description: string };
  expect(video.public).toBe(true);
  await shots('results-details-not-on-server');
});
