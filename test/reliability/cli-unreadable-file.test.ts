// A source file the user cannot read fails alone, in plain words ("Permission denied reading …"), while the others
// arrive; once it is readable, the same command uploads it. Run as an unprivileged user (root reads everything), so
// it needs root to switch to `nobody`, as CI has; otherwise it skips, saying why.
import { chmodSync, chownSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type ApiVideoClient } from '../../main/apivideo/index';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { allVideos, makeFiles, MiB, tempDir } from '../integration/uploads/helpers';
import { buildCli, type BuiltCli } from '../integration/cli/built-cli';
import { spawn } from 'node:child_process';

const NOBODY = 65534;

/** Runs the built CLI as `nobody`. */
function runAsNobody(
  cli: BuiltCli,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli.convoy, ...args], {
      env: { PATH: process.env.PATH, HOME: '/tmp', ...env },
      uid: NOBODY,
      gid: NOBODY,
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.resume();
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('an unreadable source file', () => {
  let cli: BuiltCli;
  let sandbox: TestSandbox;
  let client: ApiVideoClient;
  const asRoot = process.getuid?.() === 0;

  beforeAll(async () => {
    if (!asRoot) return;
    cli = buildCli();
    sandbox = await startTestSandbox();
    client = createClient({ baseUrl: sandbox.url, auth: { kind: 'bearer', apiKey: sandbox.apiKey } });
  });
  afterAll(async () => {
    if (!asRoot) return;
    await sandbox.close();
    cli.remove();
  });

  it('fails alone with the reason in plain words, and uploads once readable', async (context) => {
    if (!asRoot) return context.skip('not root: cannot run the CLI as an unprivileged user, and root reads every file');
    const media = tempDir('unreadable-media');
    const parent = tempDir('unreadable-state');
    chmodSync(parent, 0o755);
    const state = join(parent, 'queue');
    mkdirSync(state);
    const files = makeFiles(media, [2 * MiB, MiB, MiB]);
    for (const path of [media, state, ...files]) chownSync(path, NOBODY, NOBODY);
    chmodSync(files[0]!, 0o000);
    const args = ['upload', media, '--base-url', sandbox.url, '--api-key-env', 'KEY', '--state-dir', state];
    const first = await runAsNobody(cli, args, { KEY: sandbox.apiKey });
    expect(first.code, first.stderr).toBe(1);
    expect(first.stderr).toMatch(/Permission denied reading clip-000\.mp4\. Make it readable, then retry\./);
    expect(first.stderr).not.toMatch(/connection|reached|ECONNRESET|\n\s+at /i);
    expect(await allVideos(client)).toHaveLength(2); // the others arrived

    chmodSync(files[0]!, 0o644);
    const second = await runAsNobody(cli, args, { KEY: sandbox.apiKey });
    expect(second.code, second.stderr).toBe(0);
    expect(await allVideos(client)).toHaveLength(3);
  });
});
