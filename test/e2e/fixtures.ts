// Playwright fixtures: every test gets its own main process (browser mode, fresh data dir, local sandbox
// with test controls) and a page already showing the app. Wait on app state, never on sleeps.
import { test as base, expect, type Page } from '@playwright/test';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startApp, type AppProcess } from './app-process';
import { makeClips, padClips } from './video-clips';

export interface SandboxHandle {
  url: string;
  apiKey: string;
  /** Calls the sandbox's API or test controls with its API key. */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }>;
  advanceClock(seconds: number): Promise<void>;
  setFaults(faults: Record<string, unknown>): Promise<void>;
  clearFaults(): Promise<void>;
}

/** A temp folder of video files holding random bytes, plus any other files the test wants beside them. */
export interface MediaFolder {
  dir: string;
  /** The video files' names, in the order given. */
  names: string[];
  /** The absolute path of a file in the folder. */
  path(name: string): string;
  /** The bytes written to a video file. */
  bytes(name: string): Buffer;
}

/** Video file name -> size in bytes; `others`: other file name -> its text (files a scan should skip). */
export type MakeMediaFolder = (videos: Record<string, number>, others?: Record<string, string>) => MediaFolder;

export interface Fixtures {
  app: AppProcess;
  sandbox: SandboxHandle;
  /** Kills main and starts it again on the same data dir and ports; the page reconnects by itself. */
  restartMain(): Promise<void>;
  /** Saves a screenshot as test-results/screenshots/<name>.png. */
  shot(name: string): Promise<void>;
  /** Screenshots in light and dark (<name>-light.png, <name>-dark.png), each once its colour transitions ended. */
  shots(name: string): Promise<void>;
  /** Makes a temp media folder; every folder made is removed when the test ends. */
  mediaFolder: MakeMediaFolder;
}

/** Real clips (each with bytes of its own) padded to the sizes asked, and any other files as text. */
function makeMediaFolder(videos: Record<string, number>, others: Record<string, string> = {}): MediaFolder {
  const clips = makeClips(Object.keys(videos));
  padClips(clips, videos);
  const { dir } = clips;
  for (const [name, text] of Object.entries(others)) writeFileSync(join(dir, name), text);
  return {
    dir,
    names: clips.names,
    path: (name) => join(dir, name),
    bytes: (name) => {
      if (!(name in videos)) throw new Error(`mediaFolder: no video named ${name} in ${dir}`);
      return readFileSync(join(dir, name));
    },
  };
}

export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern -- Playwright's fixture signature: this fixture needs none.
  app: async ({}, use) => {
    const app = await startApp();
    await use(app);
    await app.stop();
  },
  sandbox: async ({ app }, use) => {
    const { sandboxUrl: url, sandboxApiKey: apiKey } = app.info;
    const auth = `Basic ${Buffer.from(`${apiKey}:`).toString('base64')}`;
    const call: SandboxHandle['call'] = async (method, path, body) => {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { Authorization: auth, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, json: text ? (JSON.parse(text) as unknown) : null };
    };
    await use({
      url,
      apiKey,
      call,
      advanceClock: async (seconds) => void (await call('POST', '/_sandbox/clock', { advanceSeconds: seconds })),
      setFaults: async (faults) => void (await call('POST', '/_sandbox/faults', faults)),
      clearFaults: async () => void (await call('DELETE', '/_sandbox/faults')),
    });
  },
  page: async ({ page, app }, use) => {
    await page.goto(app.info.url);
    await expect(page.locator('.app[data-ready="true"]')).toBeVisible();
    await use(page);
  },
  restartMain: async ({ app }, use) => {
    await use(() => app.restart());
  },
  shot: async ({ page }, use) => {
    mkdirSync('test-results/screenshots', { recursive: true });
    await use(async (name) => void (await page.screenshot({ path: `test-results/screenshots/${name}.png` })));
  },
  shots: async ({ page, shot }, use) => {
    await use(async (name) => {
      for (const scheme of ['light', 'dark'] as const) {
        await switchColourScheme(page, scheme);
        await shot(`${name}-${scheme}`);
      }
      await page.emulateMedia({ colorScheme: 'light' });
    });
  },
  // eslint-disable-next-line no-empty-pattern -- Playwright's fixture signature: this fixture needs none.
  mediaFolder: async ({}, use) => {
    const made: string[] = [];
    await use((videos, others) => {
      const folder = makeMediaFolder(videos, others);
      made.push(folder.dir);
      return folder;
    });
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  },
});

/** A row's progress bar once bytes of it were sent: some on their way, or some confirmed. */
export const SENT_SOMETHING = /on its way|^[1-9]\d*% confirmed/;

/** Waits until every row of the queue is done (moving the sandbox's clock on while a video encodes). */
export async function everyRowDone(page: Page, sandbox: SandboxHandle, count: number): Promise<void> {
  await expect
    .poll(
      async () => {
        const states = await page
          .locator('.queue-row[data-job-id]')
          .evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));
        if (states.includes('finalizing')) await sandbox.advanceClock(10);
        return states;
      },
      { timeout: 60_000, intervals: [500, 1000] },
    )
    .toEqual(Array<string>(count).fill('done'));
}

/** Switches the page to `scheme` and waits for its colour transitions to finish: one scheme, not a blend of both. */
export async function switchColourScheme(page: Page, scheme: 'light' | 'dark'): Promise<void> {
  await page.emulateMedia({ colorScheme: scheme });
  await page.evaluate(() =>
    Promise.allSettled(
      document
        .getAnimations()
        .filter((a) => a instanceof CSSTransition)
        .map((a) => a.finished),
    ),
  );
}

/**
 * Adds a profile for a custom server with an API key kept for this session only, through the page's own
 * bridge, and makes it the active one. Returns its id.
 */
export async function addActiveSessionProfile(
  page: Page,
  name: string,
  baseUrl: string,
  apiKey: string,
): Promise<string> {
  const added = await page.evaluate(
    (input) =>
      window.convoy.profiles.add({
        name: input.name,
        environment: { kind: 'custom', baseUrl: input.baseUrl },
        auth: { kind: 'bearer', apiKey: input.apiKey },
        secretStorage: 'session',
      }),
    { name, baseUrl, apiKey },
  );
  expect(added.check.ok).toBe(true);
  await page.evaluate((id) => window.convoy.profiles.activate({ id }), added.profile.id);
  return added.profile.id;
}

export { expect };
export type { Page };

/**
 * docs/screenshots/<name>-<scheme>.png at 1280x800 and <name>-900x700-<scheme>.png at the smaller size, light and
 * dark; the page is left at 1280x800 in light.
 */
export async function docShots(page: Page, name: string): Promise<void> {
  mkdirSync('docs/screenshots', { recursive: true });
  for (const [width, height, suffix] of [
    [1280, 800, ''],
    [900, 700, '-900x700'],
  ] as const) {
    await page.setViewportSize({ width, height });
    for (const scheme of ['light', 'dark'] as const) {
      await switchColourScheme(page, scheme);
      await page.screenshot({ path: `docs/screenshots/${name}${suffix}-${scheme}.png` });
    }
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: 'light' });
}
