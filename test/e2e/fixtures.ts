// Playwright fixtures: every test gets its own main process (browser mode, fresh data dir, local sandbox
// with test controls) and a page already showing the app. Wait on app state, never on sleeps.
import { test as base, expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { startApp, type AppProcess } from './app-process';

export interface SandboxHandle {
  url: string;
  apiKey: string;
  /** Calls the sandbox's API or test controls with its API key. */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }>;
  advanceClock(seconds: number): Promise<void>;
  setFaults(faults: Record<string, unknown>): Promise<void>;
  clearFaults(): Promise<void>;
}

export interface Fixtures {
  app: AppProcess;
  sandbox: SandboxHandle;
  /** Kills main and starts it again on the same data dir and ports; the page reconnects by itself. */
  restartMain(): Promise<void>;
  /** Saves a screenshot as test-results/screenshots/<name>.png. */
  shot(name: string): Promise<void>;
  /** Screenshots in light and dark (<name>-light.png, <name>-dark.png), each once its colour transitions ended. */
  shots(name: string): Promise<void>;
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
        await page.emulateMedia({ colorScheme: scheme });
        // Let the colour transitions finish, so the picture shows one scheme, not a blend of both.
        await page.evaluate(() =>
          Promise.allSettled(document.getAnimations().filter((a) => a instanceof CSSTransition).map((a) => a.finished)));
        await shot(`${name}-${scheme}`);
      }
      await page.emulateMedia({ colorScheme: 'light' });
    });
  },
});

/**
 * Adds a profile for a custom server with an API key kept for this session only, through the page's own
 * bridge, and makes it the active one. Returns its id.
 */
export async function addActiveSessionProfile(page: Page, name: string, baseUrl: string, apiKey: string): Promise<string> {
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
