// Browser-mode entry: runs main's core in plain Node and serves the app to a local browser tab.
// Used when Electron cannot start, by `npm run start:web`, and by the end-to-end tests.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startCore } from '../core';
import { defaultDataDir } from '../paths';
import type { Platform } from '../platform';
import { version } from '../version';
import { startWebServer } from './server';

const here = dirname(fileURLToPath(import.meta.url));

/** Plain Node has no keychain and no native dialogs; everything else is the same product. */
const browserPlatform: Platform = { mode: 'browser', secretCipher: null };

function openInBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '', url] : [url];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // No browser opener on this machine: the printed URL is enough.
  }
}

export async function runBrowserMode(argv: string[] = process.argv.slice(2)): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'no-open': { type: 'boolean', default: false },
      web: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    strict: false,
  });
  const env = process.env;
  const dataDir = (values['data-dir'] as string | undefined) ?? defaultDataDir();
  const testControls = env.CONVOY_SANDBOX_TEST_CONTROLS === '1';
  const core = await startCore({
    dataDir,
    platform: browserPlatform,
    version,
    sandboxPort: Number(env.CONVOY_SANDBOX_PORT ?? 0),
    sandboxTestControls: testControls,
  });
  // End-to-end tests restart main on one session key so the open page keeps its session (the key is printed in
  // the --json URL's fragment and given back as CONVOY_WEB_SECRET); without test controls each run has its own.
  const sessionKey = testControls ? env.CONVOY_WEB_SECRET || randomBytes(24).toString('base64url') : undefined;
  const web = await startWebServer({
    rendererDir: join(here, '..', 'renderer'),
    router: core.router,
    events: core.events,
    port: Number((values.port as string | undefined) ?? env.CONVOY_WEB_PORT ?? 0),
    ...(sessionKey ? { sessionKey } : {}),
    log: (line) => core.logger.log('warn', 'web', line),
  });

  if (values.json) {
    // Tests only get the sandbox's key and the session key (to restart on it) when test controls are on.
    const testInfo = testControls ? { sandboxApiKey: core.sandbox.apiKey } : {};
    const url = sessionKey ? `${web.signInUrl()}#k=${sessionKey}` : web.signInUrl();
    process.stdout.write(`${JSON.stringify({ url, sandboxUrl: core.sandbox.url, dataDir, ...testInfo })}\n`);
  } else {
    // The sign-in code travels in a private file, never in the opener's argv nor in a URL the browser keeps.
    const launch = web.writeLaunchFile();
    const opening = !values['no-open'] && !env.CI;
    process.stdout.write(
      `Convoy is running in browser mode at ${web.url}/\n` +
        `${opening ? 'Opening it in your browser. If it does not open, open' : 'To sign in, open'} this file in ` +
        `your browser (it works once): ${launch.url}\n`,
    );
    if (opening) openInBrowser(launch.path);
  }

  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await web.close();
    await core.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

const isEntry = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isEntry) {
  runBrowserMode().catch((error: Error) => {
    process.stderr.write(`Convoy could not start: ${error.message}\n`);
    process.exit(1);
  });
}
