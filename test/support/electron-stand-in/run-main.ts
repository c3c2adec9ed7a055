// Runs the BUILT main bundle (out/main/index.js) with the stand-in in place of `electron` (a resolve hook), plays one
// session (the page, the bridge, the guards, the tray, a quit) and writes what happened as JSON to STAND_IN_REPORT.
// Run as `node --import tsx test/support/electron-stand-in/run-main.ts`; test/integration/shell/built-main.test.ts
// reads the report.
import { readFileSync, writeFileSync } from 'node:fs';
import { register } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as electron from './index';

const standInUrl = new URL('./index.ts', import.meta.url).href;
register(
  'data:text/javascript,' +
    encodeURIComponent(
      `export async function resolve(specifier, context, next) {
        if (specifier === 'electron') return { url: ${JSON.stringify(standInUrl)}, shortCircuit: true };
        return next(specifier, context);
      }`,
    ),
);

const reportFile = process.env.STAND_IN_REPORT ?? join(process.cwd(), 'test-results', 'stand-in-report.json');
const bundle = resolve(process.env.STAND_IN_BUNDLE ?? 'out/main/index.js');
const PAGE = 'app://convoy/index.html';

interface Probe {
  status: number;
  type: string | null;
  csp: string | null;
  body?: string;
}

async function probe(url: string, init?: RequestInit): Promise<Probe> {
  const response = await electron.protocol.request(url, init);
  const body = response.body ? await response.text() : '';
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    csp: response.headers.get('content-security-policy'),
    ...(url.endsWith('.html') ? { body } : {}),
  };
}

async function until<T>(what: string, check: () => T | undefined | false, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const report: Record<string, unknown> = { bundle };

type Envelope<T> = { ok: boolean; value?: T; error?: { message: string } };
async function call<T>(contents: electron.StandInWebContents, channel: string, payload: unknown): Promise<T> {
  const reply = (await electron.ipcMain.invoke(contents, 'convoy:invoke', [channel, payload])) as Envelope<T>;
  if (!reply.ok) throw new Error(`${channel}: ${reply.error?.message ?? 'failed'}`);
  return reply.value!;
}

/** Uploads `clip`, waits for its thumbnail link, and loads it as the page would: through the app scheme. */
async function localThumbnail(contents: electron.StandInWebContents, clip: string) {
  const { thumbnailProxy } = await call<{ thumbnailProxy?: string }>(contents, 'app.info', {});
  await call(contents, 'queue.add', { paths: [clip] });
  let link: string | undefined;
  const deadline = Date.now() + 60_000;
  while (!link) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the clip to upload');
    const { jobs } = await call<{ jobs: { state: string; thumbnailUrl?: string }[] }>(contents, 'queue.snapshot', {});
    link = jobs.find((job) => job.state === 'done')?.thumbnailUrl;
    await new Promise((r) => setTimeout(r, 200));
  }
  const proxied = await electron.protocol.request(`${thumbnailProxy}${encodeURIComponent(link)}`);
  const bytes = Buffer.from(await proxied.arrayBuffer());
  const direct = Buffer.from(await (await fetch(link)).arrayBuffer());
  const elsewhere = link.replace(/:\d+\//, ':1/');
  return {
    thumbnailProxy,
    link,
    status: proxied.status,
    type: proxied.headers.get('content-type'),
    sameBytes: bytes.length > 0 && bytes.equals(direct),
    otherServer: (await electron.protocol.request(`${thumbnailProxy}${encodeURIComponent(elsewhere)}`)).status,
  };
}
let exitCode: number | null = null;
void electron.ended.then((code) => {
  exitCode = code;
});

async function session(): Promise<void> {
  await import(pathToFileURL(bundle).href);
  const win = await until('the window and the bridge', () => {
    if (exitCode !== null) throw new Error(`the app exited with ${exitCode} while starting`);
    const [first] = electron.BrowserWindow.getAllWindows();
    return first && electron.ipcMain.handles('convoy:invoke') ? first : undefined;
  });
  await until('the window to show', () => win.shown, 10_000);
  const contents = win.webContents;

  // The page and its assets, from the app scheme alone.
  const page = await probe(PAGE);
  const script = /src="([^"]+\.js)"/.exec(page.body ?? '')?.[1];
  report.page = page;
  report.script = script ? await probe(new URL(script, PAGE).href) : null;
  report.refused = {
    encodedTraversal: (await probe('app://convoy/..%2f..%2fpackage.json')).status,
    otherHost: (await probe('app://elsewhere/index.html')).status,
    missing: (await probe('app://convoy/nothing-here.js')).status,
    post: (await probe(PAGE, { method: 'POST', body: 'x' })).status,
  };

  // One bridge call from our window's page; the same call from elsewhere is refused before the router.
  report.bridge = await electron.ipcMain.invoke(contents, 'convoy:invoke', ['app.info', {}]);
  const stranger = new electron.StandInWebContents();
  stranger.mainFrame.url = PAGE;
  report.strangerBridge = await electron.ipcMain.invoke(stranger, 'convoy:invoke', ['app.info', {}]);
  report.otherPageBridge = await electron.ipcMain.invoke(contents, 'convoy:invoke', ['app.info', {}], {
    url: 'https://evil.example/',
  });
  const profiles = (await electron.ipcMain.invoke(contents, 'convoy:invoke', ['profiles.list', {}])) as {
    ok: boolean;
    value?: { profiles: { environment: { baseUrl: string } }[] };
  };
  const sandboxUrl = profiles.value?.profiles[0]?.environment.baseUrl ?? null;
  report.sandboxUrl = sandboxUrl;
  // The sandbox's test controls answer only where the test switch is honoured (a development build).
  report.sandboxControls = sandboxUrl
    ? (await fetch(`${sandboxUrl}/_sandbox/faults`, { method: 'DELETE' })).status
    : null;

  // The guards, on the window's contents and on a contents made later.
  report.guards = {
    navigateAway: contents.prevented('will-navigate', 'https://evil.example/'),
    navigateFile: contents.prevented('will-navigate', 'file:///etc/passwd'),
    navigateOwn: contents.prevented('will-navigate', `${PAGE}#profiles`),
    redirectAway: stranger.prevented('will-redirect', 'https://evil.example/'),
    webview: stranger.prevented('will-attach-webview'),
    newWindow: contents.windowOpenHandler?.({ url: 'https://docs.api.video/' }) ?? null,
    newWindowFile: contents.windowOpenHandler?.({ url: 'file:///etc/passwd' }) ?? null,
    permissionCheck: electron.session.defaultSession.permissionCheck?.(contents, 'media') ?? null,
    permissionRequest: await new Promise<boolean | null>((done) => {
      const handler = electron.session.defaultSession.permissionRequest;
      if (!handler) done(null);
      else handler(contents, 'notifications', done);
    }),
    blocked: electron.session.defaultSession.blocked,
  };

  // The menu and the tray.
  const [tray] = electron.Tray.instances;
  report.menu = electron.Menu.applicationMenu?.items.map((item) => item.label ?? item.role) ?? null;
  report.tray = tray
    ? {
        imageEmpty: tray.image.isEmpty(),
        toolTip: tray.toolTip,
        items: tray.menu?.items.map((item) => item.label ?? null) ?? [],
      }
    : null;

  // With STAND_IN_CLIP (a real clip), after the tray was read: uploaded through the bridge to the embedded sandbox, then its thumbnail as the
  // window's page loads it, through the proxy the app's info names (the window's policy takes no plain-http image).
  if (process.env.STAND_IN_CLIP) report.localThumbnail = await localThumbnail(contents, process.env.STAND_IN_CLIP);

  // Quit: the shell holds the quit until the core has closed (the journal's lock emptied), then lets it through.
  const lockFile = join(electron.app.getPath('userData'), 'uploads', 'journal.lock');
  report.lockWhileRunning = readFileSync(lockFile, 'utf8');
  electron.app.on('quit', () => {
    report.lockAtQuit = readFileSync(lockFile, 'utf8');
  });
  electron.app.quit();
  report.exitCode = await Promise.race([
    electron.ended,
    new Promise<string>((done) => setTimeout(() => done('still running 30 s after quit'), 30_000)),
  ]);
  report.sandboxAfterQuit = sandboxUrl
    ? await fetch(`${sandboxUrl}/videos`).then(
        (r) => `answered ${r.status}`,
        () => 'refused',
      )
    : null;
}

try {
  await session();
} catch (error) {
  report.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
}
report.calls = electron.calls.map((call) => ({
  api: call.api,
  args: JSON.parse(
    JSON.stringify(call.args, (_key, value: unknown) => (typeof value === 'function' ? '[function]' : value)) ?? 'null',
  ) as unknown,
}));
writeFileSync(reportFile, JSON.stringify(report, null, 2));
process.exit(0);
