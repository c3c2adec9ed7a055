// No secret ever crosses the bridge or lands in a log: a whole session — add an API-key profile (checked
// against the server), switch to it, upload a file — is recorded frame by frame and searched for the key
// and for every access and refresh token the server handed out. A server that echoes the credentials it was
// sent puts none on screen. Browser mode's sign-in leaves nothing reusable on the opener's argv or in the
// browser's history.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startLocalServer } from '../support/local-server';
import { startRecorder } from '../support/recorder';
import { addActiveSessionProfile, test, expect } from './fixtures';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

test('a session that adds a profile and uploads sends no secret to the page and writes none to a log', async ({
  page,
  app,
  sandbox,
  mediaFolder,
}) => {
  const recorder = await startRecorder(sandbox.url);
  const sent: string[] = [];
  const received: string[] = [];
  page.on('websocket', (ws) => {
    ws.on('framesent', (f) => sent.push(String(f.payload)));
    ws.on('framereceived', (f) => received.push(String(f.payload)));
  });
  // Frames are only observed on sockets opened after the listener: reload so the bridge reconnects.
  await page.reload();
  await expect(page.locator('.app[data-ready="true"]')).toBeVisible();

  const file = mediaFolder({ 'interview.mp4': 6 * 1024 * 1024 + 123 }).path('interview.mp4');

  await addActiveSessionProfile(page, 'Recorded', recorder.url, sandbox.apiKey);
  await page.evaluate((path) => window.convoy.queue.add({ paths: [path] }), file);
  await expect
    .poll(
      async () =>
        page.evaluate(async () => (await window.convoy.queue.snapshot({})).jobs.map((j) => j.state).join(',')),
      { timeout: 60_000 },
    )
    .toMatch(/^(done|finalizing)$/);

  const issued = recorder.exchanges
    .filter((e) => e.path.startsWith('/auth/') && e.status === 200)
    .flatMap((e) => {
      const body = JSON.parse(e.responseBody) as { access_token: string; refresh_token: string };
      return [body.access_token, body.refresh_token];
    });
  expect(issued.length).toBeGreaterThanOrEqual(2);
  const secrets = [sandbox.apiKey, ...issued];

  // Main -> page: nothing secret, ever; the key shows only as its hint.
  expect(received.length).toBeGreaterThan(5);
  const toPage = received.join('\n');
  for (const secret of secrets) expect(toPage).not.toContain(secret);
  expect(toPage).toContain(`••••${sandbox.apiKey.slice(-4)}`);
  // Page -> main: the key the user typed goes in once, in the request that adds the profile; no token ever.
  const carryingKey = sent.filter((frame) => frame.includes(sandbox.apiKey));
  expect(carryingKey).toHaveLength(1);
  expect(carryingKey[0]).toContain('"channel":"profiles.add"');
  for (const token of issued) expect(sent.join('\n')).not.toContain(token);

  // The embedded sandbox keeps its own key in its data folder by design (it is the server side).
  const serverSide = join(app.info.dataDir, 'sandbox') + sep;
  const dataFiles = filesUnder(app.info.dataDir).filter((f) => !f.startsWith(serverSide));
  const logs = dataFiles.filter((f) => f.endsWith('.log'));
  expect(logs.length).toBeGreaterThan(0);
  for (const path of dataFiles) {
    const text = readFileSync(path, 'latin1');
    for (const secret of secrets) expect(text.includes(secret), `${path} holds a secret`).toBe(false);
  }
  await recorder.close();
});

test('a server that echoes the Authorization header puts no token on screen', async ({
  page,
  sandbox,
  mediaFolder,
}) => {
  const seen = new Set<string>();
  // Everything goes to the sandbox (so the key checks out for real) but every chunk is refused with the credentials
  // it carried written into the error: once after "Authorization:", once bare.
  const echo = await startLocalServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      const authorization = String(req.headers.authorization ?? '');
      const bare = authorization.replace(/^\w+\s+/, '');
      if (bare) [authorization, bare].forEach((value) => seen.add(value));
      if (req.method === 'POST' && /^\/videos\/[^/]+\/source/.test(req.url ?? '') && bare) {
        res.writeHead(400, { 'Content-Type': 'application/problem+json' }).end(
          JSON.stringify({
            type: 'https://docs.api.video/reference/invalid-request',
            title: `Refused ${bare}`,
            detail: `Request had Authorization: ${authorization}`,
            status: 400,
          }),
        );
        return;
      }
      const body = Buffer.concat(parts);
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([k, v]) => typeof v === 'string' && !['host', 'connection'].includes(k)),
      ) as Record<string, string>;
      void fetch(`${sandbox.url}${req.url ?? '/'}`, {
        method: req.method ?? 'GET',
        headers,
        ...(body.length ? { body } : {}),
      }).then(async (reply) => {
        const type = reply.headers.get('content-type');
        res.writeHead(reply.status, type ? { 'Content-Type': type } : {}).end(Buffer.from(await reply.arrayBuffer()));
      });
    });
  });
  try {
    const file = mediaFolder({ 'echoed.mp4': 2 * 1024 * 1024 + 11 }).path('echoed.mp4');
    await addActiveSessionProfile(page, 'Echoing', echo.url, sandbox.apiKey);
    await page.evaluate((path) => window.convoy.queue.add({ paths: [path] }), file);
    await expect
      .poll(
        async () =>
          page.evaluate(async () => (await window.convoy.queue.snapshot({})).jobs.map((j) => j.state).join(',')),
        { timeout: 60_000 },
      )
      .toBe('failed');
    // The refusal is shown, masked.
    await expect(page.getByText(/Refused \[redacted\]/).first()).toBeVisible();
    const onScreen = await page.evaluate(() => document.body.innerText + document.documentElement.outerHTML);
    const reasons = await page.evaluate(async () =>
      JSON.stringify((await window.convoy.queue.snapshot({})).jobs.map((j) => j.reason)),
    );
    expect(seen.size).toBeGreaterThanOrEqual(2);
    for (const secret of [...seen, sandbox.apiKey]) {
      expect(onScreen.includes(secret), 'a credential is on screen').toBe(false);
      expect(reasons.includes(secret), 'a credential is in a job reason').toBe(false);
    }
  } finally {
    await echo.close();
  }
});

test('browser mode signs in through a private file: nothing reusable on argv or in history', async ({ playwright }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'convoy-e2e-signin-'));
  const profileDir = mkdtempSync(join(tmpdir(), 'convoy-e2e-chromium-'));
  // As a user runs it: no test controls, no --json; the opener is left out (--no-open), the file is what it gets.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CONVOY_')));
  const child = spawn(process.execPath, [resolve('out/main/web.js'), '--no-open', '--data-dir', dataDir], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const lines = createInterface({ input: child.stdout! });
    const printed: string[] = [];
    const fileUrl = await new Promise<string>((found, fail) => {
      setTimeout(() => fail(new Error(`no launch file printed: ${printed.join('\n')}`)), 30_000);
      lines.on('line', (line) => {
        printed.push(line);
        const match = /(file:\/\/\S+)/.exec(line);
        if (match) found(match[1]!);
      });
    });
    const serverUrl = /(http:\/\/127\.0\.0\.1:\d+)/.exec(printed.join('\n'))![1]!;
    const filePath = fileURLToPath(fileUrl);
    // What the opener would get on its argv, and what the user sees printed: a path and a bare address.
    expect(printed.join('\n')).not.toMatch(/[#?&](k|code)=/);
    expect(statSync(filePath).mode & 0o777).toBe(0o600);
    const code = /name="code" value="([^"]+)"/.exec(readFileSync(filePath, 'utf8'))![1]!;

    const context = await playwright.chromium.launchPersistentContext(profileDir, {
      ...(process.env.CHROMIUM_PATH || existsSync('/usr/bin/chromium')
        ? { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' }
        : {}),
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(fileUrl);
    await page.waitForURL(`${serverUrl}/`);
    await expect(page.locator('.app[data-ready="true"]')).toBeVisible();
    expect(await page.evaluate(() => document.cookie)).toBe(''); // HttpOnly: no script can read the session
    expect(page.url()).toBe(`${serverUrl}/`);
    await context.close();

    // The file is gone and its code spent: replaying what argv or history held gets nothing.
    expect(existsSync(filePath)).toBe(false);
    const replay = await fetch(`${serverUrl}/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ code }).toString(),
      redirect: 'manual',
    });
    expect(replay.status).toBe(401);
    expect(replay.headers.get('set-cookie')).toBeNull();
    // Nor did the browser keep the code anywhere in its profile (history, session, cache).
    const stored = readdirSync(profileDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    for (const entry of stored) {
      const text = readFileSync(join(entry.parentPath, entry.name), 'latin1');
      expect(text.includes(code), `${entry.name} holds the sign-in code`).toBe(false);
    }
  } finally {
    child.kill('SIGTERM');
    rmSync(profileDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
});
