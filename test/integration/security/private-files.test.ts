// What Convoy writes is the user's alone: after an app session (profiles with an encrypted key, an upload through
// the embedded sandbox, its journal and log) and after a CLI run, every folder of the data directory is 0700 and
// every file 0600, the embedded sandbox's folders, chunks and sources included.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { QueueSnapshot } from '../../../common/api';
import { main } from '../../../main/cli/convoy';
import { startCore } from '../../../main/core';
import { aesCipher } from '../../support/cipher';
import { makeClip } from '../../support/media-clips';
import { startTestSandbox } from '../../support/sandbox';

const made: string[] = [];
const fresh = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), `convoy-private-${prefix}-`));
  made.push(dir);
  return dir;
};
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Every folder and file under `root` (itself included) whose mode is not the private one, as "mode path". */
function notPrivate(root: string): string[] {
  const found: string[] = [];
  const visit = (path: string) => {
    const stat = statSync(path);
    const mode = stat.mode & 0o777;
    const wanted = stat.isDirectory() ? 0o700 : 0o600;
    if (mode !== wanted) found.push(`${mode.toString(8)} ${relative(root, path) || '.'}`);
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(root);
  return found;
}

function countFiles(root: string): number {
  return readdirSync(root, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length;
}

describe.skipIf(process.platform === 'win32')('private files', () => {
  it('after an app session, every folder of the data directory is 0700 and every file 0600', async () => {
    const dataDir = join(fresh('app'), 'Convoy');
    const core = await startCore({
      dataDir,
      platform: { mode: 'browser', secretCipher: aesCipher() },
      version: '0.0.0-test',
    });
    try {
      const added = await core.router.dispatch('profiles.add', {
        name: 'Kept',
        environment: { kind: 'custom', baseUrl: core.sandbox.url },
        auth: { kind: 'bearer', apiKey: core.sandbox.apiKey },
      });
      expect(added.ok).toBe(true);
      const clip = await makeClip(fresh('media'), { container: 'mp4', seconds: 1, width: 160, height: 90 });
      expect((await core.router.dispatch('queue.add', { paths: [clip] })).ok).toBe(true);
      await expect
        .poll(
          async () => {
            const envelope = await core.router.dispatch('queue.snapshot', {});
            return (envelope as { value: QueueSnapshot }).value.jobs.map((job) => job.state).join(',');
          },
          { timeout: 30_000, interval: 200 },
        )
        .toBe('done');
    } finally {
      await core.close();
    }
    expect(countFiles(dataDir)).toBeGreaterThan(4);
    expect(statSync(join(dataDir, 'sandbox')).mode & 0o777).toBe(0o700);
    expect(notPrivate(dataDir)).toEqual([]);
  }, 60_000);

  it('after a CLI run, every folder of the data directory is 0700 and every file 0600', async () => {
    const sandbox = await startTestSandbox();
    const dataDir = join(fresh('cli'), 'Convoy');
    try {
      const clips = fresh('cli-media');
      await makeClip(clips, { container: 'mp4', seconds: 1, width: 160, height: 90 });
      let output = '';
      const io = {
        stdout: { write: (text: string) => (output += text), isTTY: false },
        stderr: { write: (text: string) => (output += text) },
        env: { CONVOY_DATA_DIR: dataDir, CLI_KEY: sandbox.apiKey },
      };
      const code = await main(['upload', clips, '--base-url', sandbox.url, '--api-key-env', 'CLI_KEY', '--json'], io);
      expect(code, output).toBe(0);
    } finally {
      await sandbox.close();
    }
    expect(countFiles(dataDir)).toBeGreaterThan(0);
    expect(notPrivate(dataDir)).toEqual([]);
  }, 60_000);
});
