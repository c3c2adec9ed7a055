// No secret ever crosses the bridge or lands in a log: a whole session — add an API-key profile (checked
// against the server), switch to it, upload a file — is recorded frame by frame and searched for the key
// and for every access and refresh token the server handed out.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
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
