// The foundation, end to end in browser mode: the frame renders, typed requests round-trip over the real
// WebSocket bridge, events arrive, bad payloads are refused clearly, and strangers cannot connect.
import WebSocket from 'ws';
import { test, expect } from './fixtures';

test('the frame renders with the first-run profile on the Local sandbox active', async ({ page, shots }) => {
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  // Its name says what it is for, its environment where it goes (never the same words twice).
  await expect(page.getByTestId('active-profile').locator('strong')).toHaveText('Practice');
  // Under the name, the environment: the same kind of line for every profile (never a host for some).
  await expect(page.getByTestId('active-profile').locator('small')).toHaveText('Local sandbox');
  await shots('shell-uploads');
});

test('keyboard navigation switches screens', async ({ page }) => {
  await page.keyboard.press('Control+4');
  await expect(page.getByRole('button', { name: 'Profiles' })).toHaveAttribute('aria-current', 'page');
  await page.keyboard.press('Control+3');
  await expect(page.getByRole('button', { name: 'Upload tokens' })).toHaveAttribute('aria-current', 'page');
});

test('a typed request round-trips over the bridge', async ({ page }) => {
  const info = await page.evaluate(() => window.convoy.app.info({}));
  expect(info.mode).toBe('browser');
  expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
  expect(info.nativeDialogs).toBe(false);
  expect(await page.evaluate(() => window.convoy.transport)).toBe('websocket');
});

test('events from main arrive in the page', async ({ page }) => {
  const renamed = await page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const off = window.convoy.on('profiles.changed', (state) => {
          off();
          resolve(state.profiles.find((p) => p.id === state.activeId)?.name ?? '');
        });
        void window.convoy.profiles
          .list({})
          .then((s) => window.convoy.profiles.rename({ id: s.activeId!, name: 'Renamed sandbox' }));
      }),
  );
  expect(renamed).toBe('Renamed sandbox');
  await expect(page.getByTestId('active-profile')).toContainText('Renamed sandbox');
  await expect(page.getByTestId('active-profile').locator('small')).toHaveText('Local sandbox');
});

test('a bad payload is rejected with a clear error naming the field', async ({ page }) => {
  const error = await page.evaluate(async () => {
    try {
      await window.convoy.tokens.create({ ttl: -5 });
      return null;
    } catch (e) {
      const err = e as Error & { code?: string; field?: string };
      return { name: err.name, code: err.code, field: err.field, message: err.message };
    }
  });
  expect(error).toMatchObject({ name: 'BridgeError', code: 'invalid-payload', field: 'ttl' });
  expect(error?.message).toMatch(/ttl/);

  const unknown = await page.evaluate(async () => {
    const transportless = window.convoy as unknown as { app: { info: (r: unknown) => Promise<unknown> } };
    try {
      await transportless.app.info({ extra: true });
      return null;
    } catch (e) {
      return (e as Error).message;
    }
  });
  expect(unknown).toMatch(/Invalid request/);
});

test('a WebSocket client without a session, or from another origin, is refused', async ({ app }) => {
  const url = new URL(app.info.url);
  const wsUrl = `ws://${url.host}/bridge`;
  // The printed sign-in link is spent once for a session cookie, as a browser does.
  const signIn = await fetch(app.info.url, { redirect: 'manual' });
  expect(signIn.status).toBe(303);
  const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
  expect((await fetch(app.info.url, { redirect: 'manual' })).status).not.toBe(303); // single use
  const [name] = cookie.split('=');
  const attempt = (origin: string, sessionCookie?: string) =>
    new Promise<number>((resolve) => {
      const headers = sessionCookie ? { cookie: sessionCookie } : undefined;
      const ws = new WebSocket(wsUrl, ['convoy'], { origin, ...(headers ? { headers } : {}) });
      ws.on('open', () => {
        ws.close();
        resolve(101);
      });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => resolve(-1));
    });
  expect(await attempt(url.origin)).toBe(401);
  expect(await attempt(url.origin, `${name}=forged.value`)).toBe(401);
  expect(await attempt('http://evil.example', cookie)).toBe(403);
  expect(await attempt(url.origin, cookie)).toBe(101);
});
