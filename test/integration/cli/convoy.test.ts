// The `convoy` command in-process (its main()) against the real sandbox: usage errors, exit codes, the manifest,
// NDJSON output, token commands, and no secret ever printed.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../../main/apivideo/index';
import { main } from '../../../main/cli/convoy';
import { dataLayout } from '../../../main/paths';
import { openVault } from '../../../main/vault/index';
import { aesCipher } from '../../support/cipher';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { makeFiles, MiB, tempDir } from '../uploads/helpers';

function io(env: NodeJS.ProcessEnv = {}) {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      stdout: { write: (t: string) => (out.stdout += t), isTTY: false },
      stderr: { write: (t: string) => (out.stderr += t) },
      env: { CONVOY_DATA_DIR: tempDir('cli-data'), ...env },
    },
  };
}

describe('convoy CLI', () => {
  let sandbox: TestSandbox;
  let dir: string;
  beforeAll(async () => {
    sandbox = await startTestSandbox();
    dir = tempDir('cli-files');
  });
  afterAll(async () => {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('explains usage mistakes with exit code 2', async () => {
    const a = io();
    expect(await main(['upload', dir], a.io)).toBe(2);
    expect(a.out.stderr).toMatch(/--profile NAME, or --base-url URL/);
    const b = io();
    expect(await main(['upload', dir, '--base-url', sandbox.url, '--api-key-env', 'NOPE_NOT_SET'], b.io)).toBe(2);
    expect(b.out.stderr).toMatch(/NOPE_NOT_SET .* not set/);
    const c = io();
    expect(await main(['upload', dir, '--profile', 'Nobody'], c.io)).toBe(2);
    expect(c.out.stderr).toMatch(/No profile named "Nobody"/);
    const d = io();
    expect(
      await main(['upload', dir, '--base-url', sandbox.url, '--upload-token', 'x', '--chunk-size', '1MiB'], d.io),
    ).toBe(2);
    expect(d.out.stderr).toMatch(/between 5MiB and 200MiB/);
    const e = io();
    expect(
      await main(['upload', dir, '--base-url', sandbox.url, '--upload-token', 'x', '--token-expires', 'friday'], e.io),
    ).toBe(2);
    expect(e.out.stderr).toMatch(/--token-expires: "friday" is not a date; write it as ISO 8601/);
    const e2 = io();
    expect(
      await main(
        ['upload', dir, '--base-url', sandbox.url, '--upload-token', 'x', '--token-expires', '2031-02-31T10:00:00Z'],
        e2.io,
      ),
    ).toBe(2);
    expect(e2.out.stderr).toMatch(/"2031-02-31T10:00:00Z" is not a date/);
    const e3 = io();
    expect(
      await main(
        ['upload', dir, '--base-url', sandbox.url, '--upload-token', 'x', '--token-expires', '2020-01-01T00:00:00Z'],
        e3.io,
      ),
    ).toBe(2);
    expect(e3.out.stderr).toMatch(/has already passed/);
    const f = io({ K: sandbox.apiKey });
    expect(
      await main(
        ['upload', dir, '--base-url', sandbox.url, '--api-key-env', 'K', '--token-expires', '2030-01-01T00:00:00Z'],
        f.io,
      ),
    ).toBe(2);
    expect(f.out.stderr).toMatch(/--token-expires goes with an upload token/);
    const g = io({ K: sandbox.apiKey });
    expect(
      await main(['upload', dir, '--base-url', sandbox.url, '--api-key-env', 'K', '--lookup-key-env', 'K'], g.io),
    ).toBe(2);
    expect(g.out.stderr).toMatch(/--lookup-key-env helps an upload token/);
    const h = io();
    expect(
      await main(
        ['upload', dir, '--base-url', sandbox.url, '--upload-token', 'x', '--lookup-key-env', 'UNSET_KEY_VAR'],
        h.io,
      ),
    ).toBe(2);
    expect(h.out.stderr).toMatch(/UNSET_KEY_VAR \(from --lookup-key-env\) is empty or not set/);
  });

  it('keeps the resume window of an upload token whose expiry it was told (--token-expires)', async () => {
    const created = await createClient({
      baseUrl: sandbox.url,
      auth: { kind: 'bearer', apiKey: sandbox.apiKey },
    }).uploadTokens.create(3600);
    const expiresAt = Date.parse(created.expiresAt!);
    const tokenDir = tempDir('cli-token-files');
    makeFiles(tokenDir, [12 * MiB]);
    const stateDir = tempDir('cli-state');
    const run = io();
    const args = [
      'upload',
      tokenDir,
      '--base-url',
      sandbox.url,
      '--upload-token',
      created.token,
      '--token-expires',
      created.expiresAt!,
      '--chunk-size',
      '5MiB',
      '--state-dir',
      stateDir,
      '--json',
    ];
    // A slow link: the parts after the first take long enough for a progress event to show the job between them.
    await sandbox.setFaults({ connectionBytesPerSec: 8 * MiB });
    try {
      expect(await main(args, run.io)).toBe(0);
    } finally {
      await sandbox.clearFaults();
    }
    const windows = run.out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string; upserts?: { windowEndsAt?: number }[] })
      .flatMap((l) => (l.event === 'jobs' ? (l.upserts ?? []).map((u) => u.windowEndsAt) : []))
      .filter((w) => w !== undefined);
    // Before the first chunk: the token's own expiry; after it, 24 hours more to finish.
    expect(windows).toContain(expiresAt + 24 * 3600_000);
    expect(run.out.stdout + run.out.stderr).not.toContain(created.token);
    rmSync(tokenDir, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('uploads, writes the manifest, prints NDJSON, resumes as a no-op, and never prints the key', async () => {
    const files = makeFiles(dir, [6 * MiB, 2 * MiB]);
    const stateDir = tempDir('cli-state');
    const manifest = join(stateDir, 'out', 'manifest.json');
    const args = [
      'upload',
      dir,
      '--base-url',
      sandbox.url,
      '--api-key-env',
      'CLI_TEST_KEY',
      '--chunk-size',
      '5MiB',
      '--state-dir',
      stateDir,
      '--tag',
      'cli',
      '--private',
      '--manifest',
      manifest,
      '--json',
    ];
    const run = io({ CLI_TEST_KEY: sandbox.apiKey });
    expect(await main(args, run.io)).toBe(0);
    const lines = run.out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string });
    expect(lines[0]).toMatchObject({ event: 'added', added: 2 });
    expect(lines.at(-1)).toMatchObject({ event: 'summary', files: 2, done: 2, failed: 0 });
    expect(lines.some((l) => l.event === 'progress')).toBe(true);
    const entries = JSON.parse(readFileSync(manifest, 'utf8')) as { path: string; status: string; videoId: string }[];
    expect(entries.map((e) => [e.path, e.status])).toEqual(files.map((f) => [f, 'done']));
    expect(run.out.stdout + run.out.stderr).not.toContain(sandbox.apiKey);
    const again = io({ CLI_TEST_KEY: sandbox.apiKey });
    expect(await main(args, again.io)).toBe(0);
    expect(again.out.stdout).toContain('"alreadyQueued":2');
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('creates, lists, gets and deletes upload tokens', async () => {
    const auth = ['--base-url', sandbox.url, '--api-key-env', 'CLI_TEST_KEY', '--json'];
    const created = io({ CLI_TEST_KEY: sandbox.apiKey });
    expect(await main(['tokens', 'create', '--ttl', '3600', ...auth], created.io)).toBe(0);
    const token = (JSON.parse(created.out.stdout) as { token: string }).token;
    const listed = io({ CLI_TEST_KEY: sandbox.apiKey });
    expect(await main(['tokens', 'list', ...auth], listed.io)).toBe(0);
    expect(listed.out.stdout).toContain(token);
    const got = io({ CLI_TEST_KEY: sandbox.apiKey });
    expect(await main(['tokens', 'get', token, ...auth], got.io)).toBe(0);
    const deleted = io({ CLI_TEST_KEY: sandbox.apiKey });
    expect(await main(['tokens', 'delete', token, ...auth], deleted.io)).toBe(0);
    const missing = io({ CLI_TEST_KEY: sandbox.apiKey });
    expect(await main(['tokens', 'get', token, ...auth], missing.io)).toBe(1);
    expect(missing.out.stderr).toMatch(/no such resource|not/i);
  });

  it('exits 1 and says which file failed when a file cannot arrive', async () => {
    const failDir = tempDir('cli-fail');
    makeFiles(failDir, [2 * MiB]);
    const stateDir = tempDir('cli-fail-state');
    const run = io();
    const code = await main(
      [
        'upload',
        failDir,
        '--base-url',
        sandbox.url,
        '--upload-token',
        'to1234567890abcdefghijklmnopq',
        '--state-dir',
        stateDir,
      ],
      run.io,
    );
    expect(code).toBe(1);
    expect(run.out.stderr).toMatch(/failed .*clip-000\.mp4/);
    expect(run.out.stderr).not.toContain('to1234567890abcdefghijklmnopq');
    rmSync(failDir, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('uses a saved profile: its server from the app, its keychain-held key from --api-key-env', async () => {
    const run = io({ STUDIO_KEY: sandbox.apiKey });
    const dataDir = run.io.env.CONVOY_DATA_DIR;
    // The app saved "Studio" with its key encrypted by the OS keychain (a real cipher the CLI does not have).
    const vault = openVault({ dataDir: dataLayout(dataDir).profiles, cipher: aesCipher() });
    await vault.add({
      name: 'Studio',
      environment: { kind: 'custom', baseUrl: sandbox.url },
      auth: { kind: 'bearer', apiKey: sandbox.apiKey },
    });
    const filesDir = tempDir('cli-profile');
    makeFiles(filesDir, [2 * MiB]);
    const stateDir = tempDir('cli-profile-state');
    const upload = ['upload', filesDir, '--profile', 'Studio', '--state-dir', stateDir, '--json'];

    const locked = io({ CONVOY_DATA_DIR: dataDir });
    expect(await main(upload, locked.io)).toBe(2);
    expect(locked.out.stderr).toContain(
      `The key of profile "Studio" is encrypted by the Convoy app's keychain and cannot be read from the command line; pass it with --api-key-env VAR.`,
    );
    const wrongKind = io({ CONVOY_DATA_DIR: dataDir, STUDIO_KEY: sandbox.apiKey });
    expect(await main([...upload, '--upload-token-env', 'STUDIO_KEY'], wrongKind.io)).toBe(2);
    expect(wrongKind.out.stderr).toMatch(/uses an API key; pass it with --api-key-env VAR/);

    expect(await main([...upload, '--api-key-env', 'STUDIO_KEY'], run.io)).toBe(0);
    expect(run.out.stdout.trim().split('\n').at(-1)).toContain('"done":1');
    expect(run.out.stdout + run.out.stderr).not.toContain(sandbox.apiKey);
    rmSync(filesDir, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('reaches the Local sandbox profile only while the app runs it on a known port (CONVOY_SANDBOX_PORT)', async () => {
    const dataDir = tempDir('cli-local-data');
    const filesDir = tempDir('cli-local-files');
    makeFiles(filesDir, [1 * MiB]);
    const stateDir = tempDir('cli-local-state');
    const upload = ['upload', filesDir, '--profile', 'Practice', '--state-dir', stateDir, '--json'];
    const unknownPort = io({ CONVOY_DATA_DIR: dataDir });
    expect(await main(upload, unknownPort.io)).toBe(2);
    expect(unknownPort.out.stderr).toMatch(
      /runs only while the app runs, on a port the app picks at start.*CONVOY_SANDBOX_PORT/,
    );
    // The app's embedded sandbox: its data (and key file) under the data directory, on a pinned port.
    const local = await startTestSandbox({ dataDir: dataLayout(dataDir).sandbox });
    try {
      const run = io({ CONVOY_DATA_DIR: dataDir, CONVOY_SANDBOX_PORT: new URL(local.url).port });
      expect(await main(upload, run.io)).toBe(0);
      expect(run.out.stdout.trim().split('\n').at(-1)).toContain('"done":1');
      expect(run.out.stdout + run.out.stderr).not.toContain(local.apiKey);

      // Another profile on the Local sandbox, signing in with an upload token: its own token, its own jobs.
      const { token } = await createClient({
        baseUrl: local.url,
        auth: { kind: 'bearer', apiKey: local.apiKey },
      }).uploadTokens.create(0);
      const vault = openVault({
        dataDir: dataLayout(dataDir).profiles,
        cipher: null,
        localSandbox: () => ({ url: local.url, apiKey: local.apiKey }),
      });
      const partner = await vault.add({
        name: 'Partner',
        environment: { kind: 'local' },
        auth: { kind: 'uploadToken', token },
        secretStorage: 'session',
      });
      makeFiles(filesDir, [1 * MiB, 2 * MiB]);
      const withToken = io({
        CONVOY_DATA_DIR: dataDir,
        CONVOY_SANDBOX_PORT: new URL(local.url).port,
        PARTNER_TOKEN: token,
      });
      const tokenUpload = [
        'upload',
        filesDir,
        '--profile',
        'Partner',
        '--upload-token-env',
        'PARTNER_TOKEN',
        '--state-dir',
        tempDir('cli-local-state'),
        '--json',
      ];
      expect(await main(tokenUpload, withToken.io), withToken.out.stderr).toBe(0);
      const upserts = withToken.out.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { event: string; upserts?: { profileId: string }[] })
        .flatMap((l) => l.upserts ?? []);
      expect(new Set(upserts.map((u) => u.profileId))).toEqual(new Set([partner.profile.id]));
    } finally {
      await local.close();
      for (const d of [dataDir, filesDir, stateDir]) rmSync(d, { recursive: true, force: true });
    }
  });
});
