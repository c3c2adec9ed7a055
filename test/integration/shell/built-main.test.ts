// The BUILT main bundle (out/main/index.js, from `npm run build`) started under the electron stand-in: it must
// start, make its window secure and on the app scheme, install its guards, menu, tray and IPC handler, answer one
// bridge call and refuse one from a wrong sender, load a real clip's local-sandbox thumbnail through the app scheme,
// and quit through before-quit only once the engine has closed.
// A wrong path, a missing handler or an exception at start fails here instead of on a user's machine.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClip } from '../../support/media-clips';

const bundle = resolve('out/main/index.js');
const dirs: string[] = [];

interface Report {
  error?: string;
  page: { status: number; type: string; csp: string; body: string };
  script: { status: number; type: string; csp: string } | null;
  refused: Record<string, number>;
  bridge: { ok: boolean; value?: { mode: string } };
  strangerBridge: { ok: boolean; error?: { code: string } };
  otherPageBridge: { ok: boolean; error?: { code: string } };
  sandboxUrl: string | null;
  sandboxControls: number | null;
  guards: Record<string, unknown>;
  menu: string[];
  tray: { imageEmpty: boolean; toolTip: string; items: (string | null)[] } | null;
  lockWhileRunning: string;
  lockAtQuit?: string;
  exitCode: number | string;
  sandboxAfterQuit: string | null;
  localThumbnail?: {
    thumbnailProxy: string;
    link: string;
    status: number;
    type: string | null;
    sameBytes: boolean;
    otherServer: number;
  };
  calls: { api: string; args: unknown[] }[];
}

/** Runs one session of the built app under the stand-in; returns its report and the child's stderr. */
function runBuiltMain(env: Record<string, string>): { report: Report | null; stderr: string; status: number | null } {
  const dir = mkdtempSync(join(tmpdir(), 'convoy-stand-in-'));
  dirs.push(dir);
  const reportFile = join(dir, 'report.json');
  const child = spawnSync(process.execPath, ['--import', 'tsx', 'test/support/electron-stand-in/run-main.ts'], {
    env: {
      ...process.env,
      CONVOY_DATA_DIR: join(dir, 'data'),
      STAND_IN_REPORT: reportFile,
      STAND_IN_BUNDLE: bundle,
      ...env,
    },
    encoding: 'utf8',
    timeout: 90_000,
  });
  const report = existsSync(reportFile) ? (JSON.parse(readFileSync(reportFile, 'utf8')) as Report) : null;
  return { report, stderr: child.stderr, status: child.status };
}

function windowOptions(report: Report): { webPreferences: Record<string, unknown> } {
  const made = report.calls.find((c) => c.api === 'new BrowserWindow');
  expect(made, 'the shell made no window').toBeDefined();
  return made!.args[0] as { webPreferences: Record<string, unknown> };
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the built main bundle under the electron stand-in', () => {
  let report: Report;

  beforeAll(async () => {
    expect(existsSync(bundle), `${bundle} is missing: run "npm run build" first`).toBe(true);
    const clipDir = mkdtempSync(join(tmpdir(), 'convoy-stand-in-clip-'));
    dirs.push(clipDir);
    const clip = await makeClip(clipDir, { container: 'mp4', seconds: 1, width: 160, height: 90, name: 'harbour.mp4' });
    const run = runBuiltMain({ CONVOY_SANDBOX_TEST_CONTROLS: '1', STAND_IN_CLIP: clip });
    expect(run.report, `no report; the child said:\n${run.stderr}`).not.toBeNull();
    report = run.report!;
    expect(report.error, `the session failed:\n${report.error}\n${run.stderr}`).toBeUndefined();
  });

  it('registers the app scheme as privileged before ready and serves the page from it', () => {
    const apis = report.calls.map((c) => c.api);
    expect(apis.indexOf('protocol.registerSchemesAsPrivileged')).toBeLessThan(apis.indexOf('app.whenReady'));
    const [schemes] = report.calls.find((c) => c.api === 'protocol.registerSchemesAsPrivileged')!.args as [
      { scheme: string; privileges: Record<string, boolean> }[],
    ];
    expect(schemes).toEqual([
      expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }),
    ]);
    expect(report.calls.filter((c) => c.api === 'BrowserWindow.loadURL').map((c) => c.args[0])).toEqual([
      'app://convoy/index.html',
    ]);
    expect(report.calls.some((c) => c.api === 'BrowserWindow.loadFile')).toBe(false);
    expect(report.page).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
    expect(report.page.body).toContain('<div id="root">');
    expect(report.page.csp).toContain('script-src app://convoy;');
    expect(report.page.csp).toContain("default-src 'none'");
    expect(report.page.body).toMatch(
      /<head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src app:\/\/convoy;/,
    );
    expect(report.script).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8' });
  });

  it('serves nothing outside the renderer folder, of another host, or for another method', () => {
    expect(report.refused).toEqual({ encodedTraversal: 403, otherHost: 404, missing: 404, post: 405 });
  });

  it('makes its window with the secure preferences and a preload that exists', () => {
    const { webPreferences } = windowOptions(report);
    expect(webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
      devTools: true,
    });
    expect(existsSync(String(webPreferences.preload)), `preload ${String(webPreferences.preload)}`).toBe(true);
  });

  it('answers a bridge call from its own page and refuses other senders before the router', () => {
    expect(report.bridge).toMatchObject({ ok: true, value: { mode: 'electron' } });
    expect(report.strangerBridge).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(report.otherPageBridge).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('guards every web contents: navigation, redirects, webviews, new windows, permissions, the web', () => {
    expect(report.guards).toMatchObject({
      navigateAway: true,
      navigateFile: true,
      navigateOwn: false,
      redirectAway: true,
      webview: true,
      newWindow: { action: 'deny' },
      newWindowFile: { action: 'deny' },
      permissionCheck: false,
      permissionRequest: false,
    });
    expect(report.guards.blocked).toEqual(expect.arrayContaining(['http://*/*', 'https://*/*', 'file:///*']));
    // Only the web link went to the user's browser.
    expect(report.calls.filter((c) => c.api === 'shell.openExternal').map((c) => c.args[0])).toEqual([
      'https://docs.api.video/',
    ]);
  });

  it('installs its menu (with DevTools in development) and its tray with an icon that exists', () => {
    expect(report.menu).toEqual(expect.arrayContaining(['fileMenu', 'editMenu', 'View', 'help']));
    const view = report.calls.filter((c) => c.api === 'Menu.buildFromTemplate')[0]!.args[0] as {
      label?: string;
      submenu?: { role?: string }[];
    }[];
    expect(view.find((i) => i.label === 'View')?.submenu?.map((i) => i.role)).toContain('toggleDevTools');
    expect(report.tray).toMatchObject({ imageEmpty: false, toolTip: 'Convoy\nNothing to upload' });
    expect(report.tray!.items).toEqual(
      expect.arrayContaining(['Open Convoy', 'Pause all', 'Resume all', 'Quit Convoy']),
    );
  });

  it("shows the local sandbox's thumbnails through the app scheme, the window's policy its own origin", () => {
    const thumbnail = report.localThumbnail!;
    expect(thumbnail.thumbnailProxy).toBe('app://convoy/thumbnail?src=');
    expect(new URL(thumbnail.link).origin).toBe(new URL(report.sandboxUrl!).origin);
    expect(thumbnail).toMatchObject({ status: 200, type: 'image/jpeg', sameBytes: true, otherServer: 403 });
    expect(report.page.csp).toContain('img-src app://convoy data:;');
  });

  it('honours the test switches in development', () => {
    expect(report.sandboxControls).toBe(204);
  });

  it('quits through before-quit only after the engine and the sandbox have closed', () => {
    const quitEvents = report.calls.filter((c) => c.api.startsWith('event:') && /quit/.test(c.api));
    expect(quitEvents.map((c) => [c.api, (c.args[0] as { prevented?: boolean } | undefined)?.prevented])).toEqual([
      ['event:before-quit', true],
      ['event:before-quit', false],
      ['event:will-quit', false],
      ['event:quit', undefined],
    ]);
    expect(report.lockWhileRunning).toMatch(/^\d+$/);
    expect(report.lockAtQuit).toBe('');
    expect(report.exitCode).toBe(0);
    expect(report.sandboxAfterQuit).toBe('refused');
  });
});

describe('the built main bundle, packaged', () => {
  it('turns DevTools off and ignores the test switches', () => {
    const run = runBuiltMain({
      STAND_IN_PACKAGED: '1',
      CONVOY_SANDBOX_TEST_CONTROLS: '1',
      CONVOY_SANDBOX_PORT: '47311',
    });
    const report = run.report!;
    expect(report.error, run.stderr).toBeUndefined();
    expect(windowOptions(report).webPreferences.devTools).toBe(false);
    const view = report.calls.filter((c) => c.api === 'Menu.buildFromTemplate')[0]!.args[0] as {
      label?: string;
      submenu?: { role?: string }[];
    }[];
    expect(view.find((i) => i.label === 'View')?.submenu?.map((i) => i.role)).not.toContain('toggleDevTools');
    expect(report.sandboxUrl).not.toContain(':47311');
    expect(report.sandboxControls).toBe(404);
  });

  it('refuses to start with a remote-debugging switch', () => {
    const run = runBuiltMain({ STAND_IN_PACKAGED: '1', STAND_IN_SWITCHES: 'remote-debugging-port' });
    expect(run.stderr).toContain('--remote-debugging-port is a development switch');
    expect(run.report?.error).toContain('the app exited with 1 while starting');
    expect(run.report?.calls.some((c) => c.api === 'new BrowserWindow')).toBe(false);
  });
});
