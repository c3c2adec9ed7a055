// Profiles and Upload tokens screens end to end in browser mode, against the embedded sandbox: add a
// profile (a wrong key is refused next to the key field), switch, rename, remove; create tokens, watch them
// count down and expire, sort, page, copy, see details, delete. Screenshots in light and dark.
import type { Locator } from '@playwright/test';
import { test, expect, type Page } from './fixtures';

function fieldOf(page: Page, testId: string): Locator {
  return page.locator('.field', { has: page.getByTestId(testId) });
}

/** Opens "Add profile" and fills in a Local-sandbox profile that signs in with an upload token (not submitted). */
async function fillTokenProfile(page: Page, name: string, token: string): Promise<void> {
  await page.getByTestId('add-profile').click();
  await page.getByTestId('profile-name').fill(name);
  await page.getByTestId('env-local').check();
  await page.getByTestId('auth-upload-token').check();
  await page.getByTestId('profile-secret').fill(token);
}

async function openScreen(page: Page, name: 'Profiles' | 'Upload tokens'): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name }).click();
}

test('profiles: a wrong key is refused next to the key field; the right one is saved, used, renamed and removed', async ({
  page,
  sandbox,
  shots,
}) => {
  await openScreen(page, 'Profiles');
  const cards = page.getByTestId('profile-card');
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toContainText('Local sandbox');
  await expect(cards.first()).toContainText('Active');
  await shots('profiles-list');

  await page.getByTestId('add-profile').click();
  const form = page.getByTestId('add-profile-form');
  await expect(form).toBeVisible();
  await expect(page.getByTestId('profile-name')).toBeFocused();
  await shots('profiles-add-dialog');

  // How the key is sent is an advanced choice: hidden, Bearer unless changed.
  await expect(page.getByTestId('scheme-bearer')).toBeHidden();
  await page.getByTestId('advanced-auth').locator('summary').click();
  await expect(page.getByTestId('scheme-bearer')).toBeChecked();
  await page.getByTestId('advanced-auth').locator('summary').click();

  // The Local sandbox: the hint says the built-in profile has its key; a wrong key says so again.
  await expect(fieldOf(page, 'profile-secret').locator('.field-hint')).toContainText(
    "Convoy's built-in profile already uses",
  );
  await page.getByTestId('profile-name').fill('Second local');
  await page.getByTestId('profile-secret').fill('not-the-local-key');
  await page.getByTestId('add-profile-submit').click();
  const refusal = fieldOf(page, 'profile-secret').locator('.field-error');
  await expect(refusal).toContainText(/^\s*The API key was refused/); // the card-less result: no "Profile … on …" prefix
  await expect(refusal).toContainText("Convoy's built-in profile already uses");
  await expect(refusal).not.toContainText('sandbox and production keys differ');
  await shots('profiles-add-local-wrong-key');

  // The key of a profile already there: a warning, not a refusal.
  await page.getByTestId('profile-secret').fill(sandbox.apiKey);
  await expect(page.getByTestId('same-key-warning')).toContainText('Same key as “Practice”');
  await shots('profiles-add-same-key');
  await page.getByTestId('env-custom').check();
  await expect(page.getByTestId('same-key-warning')).toHaveCount(0);
  await page.getByTestId('profile-name').fill('');
  await page.getByTestId('profile-secret').fill('');
  await page.getByTestId('env-local').check();

  // Nothing filled in: each missing field says so, next to itself, and nothing is sent.
  await page.getByTestId('add-profile-submit').click();
  await expect(fieldOf(page, 'profile-name').locator('.field-error')).toContainText('name');
  await expect(fieldOf(page, 'profile-secret').locator('.field-error')).toContainText('API key');

  await page.getByTestId('profile-name').fill('QA sandbox');
  await page.getByTestId('env-custom').check();
  await page.getByTestId('profile-base-url').fill(sandbox.url);
  await page.getByTestId('profile-secret').fill('definitely-not-the-key');
  await page.getByTestId('add-profile-submit').click();
  const keyError = fieldOf(page, 'profile-secret').locator('.field-error');
  await expect(keyError).toContainText('refused');
  await expect(keyError).toContainText("one this server's operator gave you"); // advice for a custom server
  await expect(keyError).not.toContainText('QA sandbox'); // the dialog names the profile already
  await expect(fieldOf(page, 'profile-name').locator('.field-error')).toHaveCount(0);
  await shots('profiles-add-error');

  await page.getByTestId('profile-secret').fill(sandbox.apiKey);
  await page.getByTestId('add-profile-submit').click();
  const result = page.getByTestId('add-profile-result');
  await expect(result).toBeVisible();
  await expect(result.getByTestId('check-message')).toHaveText('Key works · 0 active upload tokens');
  await shots('profiles-add-saved');
  await page.getByTestId('use-new-profile').click();
  await expect(form).toBeHidden();

  await expect(cards).toHaveCount(2);
  const qa = cards.filter({ hasText: 'QA sandbox' });
  await expect(qa).toContainText('Active');
  await expect(qa).toContainText('Custom server');
  await expect(qa).toContainText(`••••${sandbox.apiKey.slice(-4)}`);
  await expect(page.getByTestId('active-profile')).toContainText('QA sandbox');
  await expect(page.getByTestId('active-profile')).toContainText('Custom server');
  await expect(page.getByText(sandbox.apiKey)).toHaveCount(0);
  // The check line says only the result: the card already names the profile and its server.
  await expect(qa.getByTestId('check-line')).toHaveText('Key works · 0 active upload tokens');

  // Rename inline, from the keyboard: Enter saves.
  await qa.getByTestId('rename-profile').click();
  await page.getByTestId('rename-input').fill('QA server');
  await page.getByTestId('rename-input').press('Enter');
  await expect(cards.filter({ hasText: 'QA server' })).toHaveCount(1);
  await expect(page.getByTestId('active-profile')).toContainText('QA server');
  await expect(page.getByTestId('rename-profile').nth(1)).toBeFocused();
  const renamed = cards.filter({ hasText: 'QA server' });
  await expect(renamed.getByTestId('check-line')).toHaveText('Key works · 0 active upload tokens');
  await expect(renamed).not.toContainText('QA sandbox');
  await shots('profiles-renamed');

  // Switch back, then remove the new profile after confirming.
  await cards.filter({ hasText: 'Practice' }).getByTestId('activate-profile').click();
  await expect(page.getByTestId('active-profile')).toContainText('Practice');
  await cards.filter({ hasText: 'QA server' }).getByTestId('remove-profile').click();
  const confirm = page.getByRole('dialog', { name: 'Remove this profile?' });
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Remove profile' }).click();
  await expect(cards).toHaveCount(1);
  const after = await page.evaluate(() => window.convoy.profiles.list({}));
  expect(after.profiles.map((p) => p.name)).toEqual(['Practice']);
});

test('tokens: create with a lifetime, count down, expire, sort, page, copy, details, delete', async ({
  page,
  context,
  sandbox,
  app,
  shots,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(app.info.url).origin });
  await openScreen(page, 'Upload tokens');
  await expect(page.getByText('No active tokens')).toBeVisible();
  await shots('tokens-empty');

  // A custom lifetime out of range is refused next to the lifetime, before anything is sent.
  await page.getByTestId('ttl-custom').check();
  await page.getByTestId('ttl-amount').fill('99999999');
  await page.getByTestId('ttl-unit').selectOption('d');
  await page.getByTestId('create-token').click();
  await expect(page.getByTestId('ttl-error')).toContainText('too long');
  await shots('tokens-ttl-error');

  // 15 minutes: the countdown ticks.
  await page.getByTestId('ttl-15m').check();
  await page.getByTestId('create-token').click();
  await expect(page.getByTestId('created-token')).toBeVisible();
  const rows = page.getByTestId('token-row');
  await expect(rows).toHaveCount(1);
  const countdown = rows.first().getByTestId('countdown');
  await expect(countdown).toContainText(/1[45] min/);
  const first = await countdown.innerText();
  await expect.poll(() => countdown.innerText(), { timeout: 3000 }).not.toBe(first);

  // 3 seconds: it expires in front of us, greyed with a badge.
  await page.getByTestId('ttl-custom').check();
  await page.getByTestId('ttl-amount').fill('3');
  await page.getByTestId('ttl-unit').selectOption('s');
  await page.getByTestId('create-token').click();
  await expect(rows).toHaveCount(2);
  await expect(page.locator('tr.expired')).toHaveCount(1, { timeout: 6000 });
  await expect(page.locator('tr.expired')).toContainText('Expired');
  await shots('tokens-expired');

  // No expiry, then sort by lifetime both ways (the expired one is gone from the server's list).
  await page.getByTestId('ttl-none').check();
  await page.getByTestId('create-token').click();
  await expect(rows.filter({ hasText: 'No expiry' })).toHaveCount(1);
  await expect(page.locator('tr.expired')).toHaveCount(0);
  await expect(rows).toHaveCount(2);
  // "No expiry" is the longest lifetime: first when descending, last when ascending.
  await page.getByTestId('sort-ttl').click();
  await expect(page.getByTestId('sort-ttl').locator('..')).toHaveAttribute('aria-sort', 'descending');
  await expect(rows.nth(0)).toContainText('No expiry');
  await expect(rows.nth(1)).toContainText('15 min');
  await page.getByTestId('sort-ttl').click();
  await expect(page.getByTestId('sort-ttl').locator('..')).toHaveAttribute('aria-sort', 'ascending');
  await expect(rows.nth(0)).toContainText('15 min');
  await expect(rows.nth(1)).toContainText('No expiry');

  // Its details say once that it never expires.
  await rows.nth(1).getByTestId('token-details').click();
  const neverDetails = page.getByTestId('token-details-dialog');
  await expect(neverDetails.getByTestId('details-expires')).toHaveText('Never: it works until you delete it');
  await expect(neverDetails.getByText('Never expires')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(neverDetails).toBeHidden();

  // Paging: 11 more tokens made outside the app, then Refresh.
  for (let i = 0; i < 11; i++)
    expect((await sandbox.call('POST', '/upload-tokens', { ttl: 3600 + i })).status).toBe(200);
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByTestId('pager-status')).toHaveText('Page 1 of 2 · 13 tokens');
  await expect(rows).toHaveCount(10);
  await shots('tokens-list');
  await page.getByTestId('page-next').click();
  await expect(page.getByTestId('pager-status')).toHaveText('Page 2 of 2 · 13 tokens');
  await expect(rows).toHaveCount(3);
  // Still by lifetime, ascending, across pages: the one without expiry ends the last page.
  await expect(rows.last()).toContainText('No expiry');
  await expect(rows.first()).toContainText('1 h');
  await expect(page.getByTestId('page-next')).toBeDisabled();
  await page.getByTestId('page-size').selectOption('25');
  await expect(page.getByTestId('pager-status')).toHaveText('Page 1 of 1 · 13 tokens');
  await expect(rows).toHaveCount(13);

  // Copy shows "Copied" and puts the token on the clipboard.
  const row = rows.first();
  const token = (await row.getAttribute('data-token'))!;
  await row.getByTestId('copy-token').click();
  await expect(row.getByText('Copied')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);

  // Details: fetched from the server, with a ready-to-use upload URL.
  await row.getByTestId('token-details').click();
  const details = page.getByTestId('token-details-dialog');
  await expect(details.getByTestId('details-token')).toHaveText(token);
  await expect(details.getByTestId('upload-url')).toHaveText(`${sandbox.url}/upload?token=${token}`);
  await shots('tokens-details');
  await page.keyboard.press('Escape');
  await expect(details).toBeHidden();

  // Delete after confirming: gone here and on the server.
  await row.getByTestId('delete-token').click();
  const confirm = page.getByRole('dialog', { name: 'Delete this upload token?' });
  await expect(confirm).toBeVisible();
  await shots('tokens-delete-confirm');
  await confirm.getByRole('button', { name: 'Delete token' }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByTestId('pager-status')).toHaveText('Page 1 of 1 · 12 tokens');
  await expect(page.locator(`[data-token="${token}"]`)).toHaveCount(0);
  expect((await sandbox.call('GET', `/upload-tokens/${token}`)).status).toBe(404);
});

test('tokens: loading and server errors are shown in the list; a token profile gets an explanation', async ({
  page,
  sandbox,
  shots,
}) => {
  await sandbox.setFaults({ latencyMs: 4000 });
  await openScreen(page, 'Upload tokens');
  await expect(page.getByRole('status', { name: 'Loading tokens' })).toBeVisible();
  await shots('tokens-loading');
  await sandbox.clearFaults();
  await expect(page.getByText('No active tokens')).toBeVisible({ timeout: 10_000 });
  await sandbox.setFaults({ failRate: 1, failStatus: 400 });
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByTestId('tokens-error')).toContainText('HTTP 400');
  await shots('tokens-error');
  await sandbox.clearFaults();
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByText('No active tokens')).toBeVisible();

  // A profile that signs in with a delegated token: the screen explains instead of failing.
  const created = (await sandbox.call('POST', '/upload-tokens', { ttl: 0 })).json as { token: string };
  await openScreen(page, 'Profiles');
  await fillTokenProfile(page, 'Partner uploads', created.token);
  await page.getByTestId('add-profile-submit').click();
  await expect(page.getByTestId('add-profile-result')).toBeVisible();
  await page.getByTestId('use-new-profile').click();
  await expect(page.getByTestId('active-profile')).toContainText('Partner uploads');
  const partnerCard = page.getByTestId('profile-card').filter({ hasText: 'Partner uploads' });
  await expect(partnerCard).toContainText('Upload token');
  await expect(partnerCard.getByTestId('account-key-line')).toHaveText('Title, privacy and encoding via “Practice”');
  await expect(partnerCard.getByTestId('check-line')).toHaveText('Upload token works');
  await shots('profiles-token-card');
  await openScreen(page, 'Upload tokens');
  await expect(page.getByTestId('token-profile-note')).toContainText('Tokens are managed with an API key');
  await expect(page.getByTestId('create-token-form')).toHaveCount(0);
  await shots('tokens-token-profile');

  // One click back to a profile with an API key, and the tokens are there again.
  await page.getByTestId('switch-to-key-profile').first().click();
  await expect(page.getByTestId('active-profile')).toContainText('Local sandbox');
  await expect(page.getByTestId('token-row')).toHaveCount(1);
  await expect(page.getByTestId('token-row')).toContainText(created.token);
});

test('profiles: a session-only key is gone after a restart and "Enter key" brings the profile back', async ({
  page,
  sandbox,
  restartMain,
  shots,
}) => {
  await openScreen(page, 'Profiles');
  await page.getByTestId('add-profile').click();
  await page.getByTestId('profile-name').fill('Session only');
  await page.getByTestId('env-custom').check();
  await page.getByTestId('profile-base-url').fill(sandbox.url);
  await page.getByTestId('profile-secret').fill(sandbox.apiKey);
  await page.getByTestId('add-profile-submit').click();
  await page.getByTestId('use-new-profile').click();
  // Activation is a round trip to main; restart only once it has landed and the dialog is gone.
  await expect(page.getByTestId('add-profile-result')).toBeHidden();
  await expect(page.getByTestId('active-profile')).toContainText('Session only');
  const card = page.getByTestId('profile-card').filter({ hasText: 'Session only' });
  await expect(card).toContainText('This session only');

  await restartMain();
  await expect(page.locator('.app[data-ready="true"]')).toBeVisible();
  await expect(card).toContainText('Key needed');
  await expect(card.getByTestId('check-line')).toHaveCount(0);
  await openScreen(page, 'Upload tokens');
  await expect(page.getByText('This profile needs its key again')).toBeVisible();
  await openScreen(page, 'Profiles');
  await shots('profiles-key-needed');

  await card.getByTestId('enter-key').click();
  await expect(page.getByTestId('enter-key-secret')).toBeFocused();
  await page.getByTestId('enter-key-secret').fill('wrong-key');
  await page.getByTestId('enter-key-secret').press('Enter');
  await expect(fieldOf(page, 'enter-key-secret').locator('.field-error')).toContainText('refused');
  await page.getByTestId('enter-key-secret').fill(sandbox.apiKey);
  await page.getByTestId('enter-key-secret').press('Enter');
  await expect(page.getByText('is ready for this session')).toBeVisible();
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(card).not.toContainText('Key needed');
  await expect(card.getByTestId('enter-key')).toHaveCount(0);
});

test('profiles: a token profile shows when its token expires, looked up or typed; its uploads show the resume window', async ({
  page,
  sandbox,
  shots,
  mediaFolder,
}) => {
  // Looked up: the Local sandbox profile's API key reads the token's expiry from the server.
  const created = (await sandbox.call('POST', '/upload-tokens', { ttl: 7200 })).json as { token: string };
  await openScreen(page, 'Profiles');
  await fillTokenProfile(page, 'Partner', created.token);
  await page.getByTestId('add-profile-submit').click();
  await page.getByTestId('use-new-profile').click();
  await expect(page.getByTestId('add-profile-result')).toBeHidden();
  const partner = page.getByTestId('profile-card').filter({ hasText: 'Partner' });
  await expect(partner.getByTestId('token-expiry')).toContainText(/Token expires .* · (1 h 59 min|2 h) left/);

  // Typed: a date the user was given with the token.
  await fillTokenProfile(page, 'Agency', created.token);
  await expect(page.getByTestId('profile-token-expires')).toBeVisible();
  await page.getByTestId('profile-token-expires').fill('2020-01-01T10:00');
  await page.getByTestId('add-profile-submit').click();
  await expect(fieldOf(page, 'profile-token-expires').locator('.field-error')).toContainText(
    'has passed, yet the server still accepts the token',
  );
  await page.getByTestId('profile-token-expires').fill('2031-06-01T10:00');
  await page.getByTestId('add-profile-submit').click();
  await page.getByRole('button', { name: 'Done' }).click();
  const agency = page.getByTestId('profile-card').filter({ hasText: 'Agency' });
  await expect(agency.getByTestId('token-expiry')).toContainText(/Token expires .*2031/);
  await expect(agency.getByTestId('token-expiry')).toHaveAttribute('title', /the one you entered/);
  await shots('profiles-token-expiry');

  // A token whose account has no API-key profile here (another address for the server): the card says what is lost.
  await page.getByTestId('add-profile').click();
  await page.getByTestId('profile-name').fill('Elsewhere');
  await page.getByTestId('env-custom').check();
  await page.getByTestId('profile-base-url').fill(sandbox.url.replace('127.0.0.1', 'localhost'));
  await page.getByTestId('auth-upload-token').check();
  await expect(page.getByTestId('credential-hint')).toContainText('someone made in their api.video account');
  await page.getByTestId('profile-secret').fill(created.token);
  await page.getByTestId('add-profile-submit').click();
  await page.getByRole('button', { name: 'Done' }).click();
  const elsewhere = page.getByTestId('profile-card').filter({ hasText: 'Elsewhere' });
  await expect(elsewhere.getByTestId('account-key-line')).toContainText('cannot set a title or privacy');
  await expect(partner.getByTestId('account-key-line')).toContainText('via “Practice”');
  await shots('profiles-token-no-account-key');

  // An upload through "Partner" shows its window: the token's own expiry until the first chunk lands, then
  // 24 hours more to finish. 5 MiB chunks on a slow link; paused after the first, the row holds still.
  const { dir } = mediaFolder({ 'partner-cut.mp4': 12 * 1024 * 1024 });
  try {
    await page.evaluate(() => window.convoy.queue.settings({ chunkSize: 5 * 1024 * 1024 }));
    await sandbox.setFaults({ connectionBytesPerSec: 2 * 1024 * 1024 });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Uploads' }).click();
    await page.getByLabel('Add by path').fill(dir);
    await page.getByRole('button', { name: 'Add to queue' }).click();
    const job = page.locator('.queue-row[data-job-id]', { hasText: 'partner-cut.mp4' });
    await expect(job).toContainText(/Can resume for (1 h 5\d min|2 h)/, { timeout: 20_000 });
    await job.getByRole('button', { name: 'Pause partner-cut.mp4' }).click();
    await expect(job).toHaveAttribute('data-state', 'paused', { timeout: 20_000 });
    await expect(job).toContainText(/Can resume for (25 h|26 h)/);
    await expect(job.locator('.q-window')).toHaveAttribute('title', /with its upload token .*a new token is needed/);
    await shots('uploads-token-window');
    await sandbox.clearFaults();
    await job.getByRole('button', { name: 'Resume partner-cut.mp4' }).click();
    await expect(job).toHaveAttribute('data-state', /finalizing|done/, { timeout: 30_000 });
  } finally {
    await sandbox.clearFaults();
  }
});
