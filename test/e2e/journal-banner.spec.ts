// A journal lost between two runs, for real: a token profile uploads a file, the app stops, every file of its state
// directory but the lock goes, and the app starts again on the same data dir. The same file added again cannot be
// checked against the server with a token alone, so it waits under a banner until the user says "Upload 1 anyway".
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type AppProcess } from './app-process';
import { test as base, everyRowDone, expect, type Page } from './fixtures';

const KiB = 1024;

/** The app on a data dir this spec keeps, which it can stop, change on disk and start again on the same ports. */
interface Relauncher {
  dataDir: string;
  current: AppProcess;
  /** Stops main (SIGTERM), runs `between`, and starts main again on the same data dir, ports and page secret. */
  restartAfter(between: () => void): Promise<void>;
}

const test = base.extend<{ relauncher: Relauncher }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright's fixture signature: this fixture needs none.
  relauncher: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'convoy-e2e-journal-'));
    const relauncher: Relauncher = {
      dataDir,
      current: await startApp(dataDir),
      async restartAfter(between) {
        const url = new URL(this.current.info.url);
        // The same ports and secret, as app.restart() keeps them: the open page reconnects by itself.
        const sticky = {
          CONVOY_WEB_PORT: url.port,
          CONVOY_WEB_SECRET: /k=([^&]+)/.exec(url.hash)?.[1] ?? '',
          CONVOY_SANDBOX_PORT: new URL(this.current.info.sandboxUrl).port,
        };
        await this.current.stop();
        between();
        const saved = Object.fromEntries(Object.keys(sticky).map((k) => [k, process.env[k]]));
        Object.assign(process.env, sticky);
        try {
          this.current = await startApp(dataDir);
        } finally {
          for (const [k, v] of Object.entries(saved)) {
            if (v === undefined) delete process.env[k];
            else process.env[k] = v;
          }
        }
      },
    };
    await use(relauncher);
    await relauncher.current.stop();
    rmSync(dataDir, { recursive: true, force: true });
  },
  app: async ({ relauncher }, use) => {
    await use({
      get info() {
        return relauncher.current.info;
      },
      restart: (options) => relauncher.current.restart(options),
      kill: () => relauncher.current.kill(),
      stop: () => relauncher.current.stop(),
    });
  },
});

/** Adds a folder through "Add by path" on the Uploads screen. */
async function addByPath(page: Page, dir: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Uploads' }).click();
  await page.getByLabel('Add by path').fill(dir);
  await page.getByRole('button', { name: 'Add to queue' }).click();
}

test('a lost journal holds a token upload under a banner until "Upload 1 anyway"', async ({
  page,
  sandbox,
  relauncher,
  mediaFolder,
  shots,
}) => {
  const folder = mediaFolder({ 'interview.mp4': 300 * KiB + 7 });

  // A token profile alone: the built-in Local sandbox profile (an API key of the same account, which could look
  // on the server) is removed first, so nothing can tell whether the file already arrived.
  const { token } = (await sandbox.call('POST', '/upload-tokens', { ttl: 7200 })).json as { token: string };
  const profileId = await page.evaluate(async (t) => {
    await window.convoy.profiles.remove({ id: 'local-sandbox' });
    const added = await window.convoy.profiles.add({
      name: 'Partner token',
      environment: { kind: 'local' },
      auth: { kind: 'uploadToken', token: t },
      secretStorage: 'session',
    });
    await window.convoy.profiles.activate({ id: added.profile.id });
    return added.profile.id;
  }, token);
  await expect(page.getByTestId('active-profile')).toContainText('Partner token');

  await addByPath(page, folder.dir);
  await everyRowDone(page, sandbox, 1);
  await expect(page.getByTestId('journal-banner')).toHaveCount(0);

  // Stop, lose every journal file but the lock (left by the run that owned the directory), start again.
  const stateDir = join(relauncher.dataDir, 'uploads');
  await relauncher.restartAfter(() => {
    expect(existsSync(join(stateDir, 'journal.lock')), 'the stopped run left its lock').toBe(true);
    for (const name of readdirSync(stateDir))
      if (name !== 'journal.lock') rmSync(join(stateDir, name), { recursive: true, force: true });
    mkdirSync(stateDir, { recursive: true });
  });
  await expect(page.locator('.app[data-ready="true"]')).toBeVisible({ timeout: 30_000 });
  // Browser mode keeps a token for the session only: give it again, as "Enter key" would.
  const check = await page.evaluate(({ id, secret }) => window.convoy.profiles.provideSecret({ id, secret }), {
    id: profileId,
    secret: token,
  });
  expect(check.check.ok).toBe(true);

  // Nothing waits yet: the notice says what was found and that uploads go on.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Uploads' }).click();
  const banner = page.getByTestId('journal-banner');
  const alert = banner.getByRole('alert');
  await expect(alert).toContainText(`The upload journal in ${stateDir} was lost`);
  await expect(alert).toContainText('Files already on the server are found there; unfinished uploads continue.');
  await expect(alert.getByRole('button', { name: 'OK' })).toBeVisible();

  // The same file again: a token cannot look, so it waits for the user's word, and the banner says why.
  await addByPath(page, folder.dir);
  await expect(alert).toContainText(
    'With an upload token alone Convoy cannot tell whether this 1 file already arrived, so it waits for your word. ' +
      'Uploading it anyway may create a second video of a file that is already there.',
  );
  const anyway = alert.getByRole('button', { name: 'Upload 1 anyway' });
  await expect(anyway).toBeVisible();
  await expect(page.locator('.queue-row[data-job-id]')).toHaveAttribute('data-state', 'paused');
  const held = await page.evaluate(async () => (await window.convoy.queue.snapshot({})).jobs[0]!);
  expect(held.reason).toMatch(/^Waiting for your word: /);
  expect((await sandbox.call('GET', '/videos?pageSize=100')).json).toMatchObject({ data: [{}] });

  // From the keyboard: Tab reaches the button, its focus ring shows, Enter presses it.
  await page.locator('body').click({ position: { x: 2, y: 2 } });
  await expect
    .poll(
      async () => {
        await page.keyboard.press('Tab');
        return anyway.evaluate((el) => el === document.activeElement);
      },
      { timeout: 20_000, intervals: [0] },
    )
    .toBe(true);
  expect(await anyway.evaluate((el) => el.matches(':focus-visible'))).toBe(true);
  await shots('journal-banner');
  for (const scheme of ['light', 'dark'])
    copyFileSync(`test-results/screenshots/journal-banner-${scheme}.png`, `/tmp/journal-banner-${scheme}.png`);
  await expect(anyway).toBeFocused();
  await page.keyboard.press('Enter');

  await expect(banner).toHaveCount(0);
  await everyRowDone(page, sandbox, 1);
  // As the banner warned: with a token alone, the file now exists twice on the server.
  const videos = (await sandbox.call('GET', '/videos?pageSize=100')).json as { data: unknown[] };
  expect(videos.data).toHaveLength(2);
});
