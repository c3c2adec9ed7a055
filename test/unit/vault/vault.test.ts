// The vault on a real conf file in a temp dir: the Local sandbox profile on first run, keys encrypted at rest
// (AES-GCM test cipher; the plaintext never appears on disk), session-only mode, and profile management.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionChecker } from '../../../main/vault';
import { LOCAL_SANDBOX_ID, VaultError, openVault } from '../../../main/vault';
import { aesCipher } from '../../support/cipher';

const accept: ConnectionChecker = async () => ({ ok: true, message: 'fine', summary: 'Fine' });
const API_KEY = 'SECRETapiKEY0123456789abcdefWXYZ';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'convoy-vault-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** What a call threw (so its class, code and field can be checked together); fails when it did not throw. */
function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected it to throw');
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((file) => statSync(file).isFile());
}

const local = () => ({ url: 'http://127.0.0.1:5555', apiKey: 'localSandboxKey987654321' });

describe('vault', () => {
  it('creates the Local sandbox profile on first run, active, with the runtime URL and key', () => {
    const vault = openVault({ dataDir: tempDir(), cipher: aesCipher(), localSandbox: local });
    const state = vault.list();
    expect(state.activeId).toBe(LOCAL_SANDBOX_ID);
    expect(state.profiles).toHaveLength(1);
    expect(state.profiles[0]).toMatchObject({
      id: 'local-sandbox',
      name: 'Practice',
      environment: { kind: 'local', baseUrl: 'http://127.0.0.1:5555', label: 'Local sandbox' },
      authKind: 'bearer',
      keyHint: '••••4321',
      hasSecret: true,
      builtIn: true,
    });
    expect(vault.clientFor(LOCAL_SANDBOX_ID).baseUrl).toBe('http://127.0.0.1:5555');
  });

  it('says plainly when the local sandbox is not running', () => {
    const vault = openVault({ dataDir: tempDir(), cipher: aesCipher(), localSandbox: () => null });
    expect(vault.get(LOCAL_SANDBOX_ID)?.hasSecret).toBe(false);
    expect(() => vault.clientFor(LOCAL_SANDBOX_ID)).toThrow(/Local sandbox is not running/);
  });

  it('encrypts keys at rest: the plaintext is in no file, and a reopened vault can use it', async () => {
    const dataDir = tempDir();
    const cipher = aesCipher();
    const vault = openVault({ dataDir, cipher, localSandbox: local });
    const changes: string[][] = [];
    vault.onChange((state) => changes.push(state.profiles.map((p) => p.name)));
    const { profile, check } = await vault.add(
      { name: 'Work', environment: { kind: 'sandbox' }, auth: { kind: 'bearer', apiKey: API_KEY } },
      accept,
    );
    expect(check).toEqual({ ok: true, message: 'fine', summary: 'Fine' });
    expect(profile).toMatchObject({
      name: 'Work',
      secretStorage: 'encrypted',
      hasSecret: true,
      keyHint: '••••WXYZ',
      authKind: 'bearer',
    });
    expect(profile.environment).toEqual({ kind: 'sandbox', baseUrl: 'https://sandbox.api.video', label: 'Sandbox' });
    expect(JSON.stringify(profile)).not.toContain(API_KEY);
    expect(changes).toEqual([['Practice', 'Work']]);

    const files = filesUnder(dataDir);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(readFileSync(file).includes(API_KEY)).toBe(false);
    expect(readFileSync(files[0]!, 'utf8')).toContain('encryptedSecret');

    const reopened = openVault({ dataDir, cipher, localSandbox: local });
    expect(reopened.get(profile.id)).toMatchObject({ hasSecret: true, secretStorage: 'encrypted' });
    const client = reopened.clientFor(profile.id);
    expect(client).toBe(reopened.clientFor(profile.id)); // one cached client per profile
    expect(client.authKind).toBe('bearer');
    expect(client.baseUrl).toBe('https://sandbox.api.video');
  });

  it.each([
    ['no cipher', null],
    ["Linux 'basic_text'", aesCipher('basic_text')],
  ])('with %s keeps keys in memory only and says so', async (_label, cipher) => {
    const dataDir = tempDir();
    const vault = openVault({ dataDir, cipher, localSandbox: local });
    const info = vault.secretStorageInfo();
    expect(info.encrypted).toBe(false);
    expect(info.warning).toMatch(/memory for this session only/);
    const { profile } = await vault.add(
      { name: 'Temp', environment: { kind: 'production' }, auth: { kind: 'basic', apiKey: API_KEY } },
      accept,
    );
    expect(profile.secretStorage).toBe('session');
    expect(vault.clientFor(profile.id).authKind).toBe('basic');
    for (const file of filesUnder(dataDir)) {
      const text = readFileSync(file, 'utf8');
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain('encryptedSecret');
    }

    const reopened = openVault({ dataDir, cipher, localSandbox: local });
    expect(reopened.get(profile.id)).toMatchObject({ hasSecret: false, secretStorage: 'session', keyHint: '••••WXYZ' });
    expect(() => reopened.clientFor(profile.id)).toThrow(/has no key this session.*Enter its key again/);
    const check = await reopened.provideSecret(profile.id, API_KEY, accept);
    expect(check.ok).toBe(true);
    expect(reopened.get(profile.id)?.hasSecret).toBe(true);
    for (const file of filesUnder(dataDir)) expect(readFileSync(file, 'utf8')).not.toContain(API_KEY);
  });

  it('honours an explicit session-only choice even with a keychain', async () => {
    const dataDir = tempDir();
    const vault = openVault({ dataDir, cipher: aesCipher(), localSandbox: local });
    const { profile } = await vault.add(
      {
        name: 'Kiosk',
        environment: { kind: 'sandbox' },
        auth: { kind: 'uploadToken', token: 'toSECRET0123456789ABCDEF' },
        secretStorage: 'session',
      },
      accept,
    );
    expect(profile.secretStorage).toBe('session');
    for (const file of filesUnder(dataDir))
      expect(readFileSync(file, 'utf8')).not.toContain('toSECRET0123456789ABCDEF');
  });

  it('refuses bad input with the field that caused it, and keeps nothing of a failed check', async () => {
    const vault = openVault({ dataDir: tempDir(), cipher: aesCipher(), localSandbox: local });
    const bad = await vault
      .add(
        {
          name: 'X',
          environment: { kind: 'custom', baseUrl: 'https://a:b@example.com' },
          auth: { kind: 'bearer', apiKey: 'k' },
        },
        accept,
      )
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(VaultError);
    expect(bad).toMatchObject({ field: 'environment.baseUrl' });
    const dup = await vault
      .add({ name: 'pRACTICE', environment: { kind: 'sandbox' }, auth: { kind: 'bearer', apiKey: 'k' } }, accept)
      .catch((e: unknown) => e);
    expect(dup).toMatchObject({ field: 'name', message: expect.stringMatching(/already exists/) });
    const refused: ConnectionChecker = async () => ({
      ok: false,
      message: 'key refused',
      summary: 'Key refused',
      error: Object.assign(new Error('x'), { kind: 'auth' }) as never,
    });
    const failed = await vault
      .add({ name: 'Y', environment: { kind: 'sandbox' }, auth: { kind: 'bearer', apiKey: 'k' } }, refused)
      .catch((e: unknown) => e);
    expect(failed).toMatchObject({ field: 'auth.apiKey', code: 'check-failed', message: 'Key refused' });
    expect(vault.list().profiles).toHaveLength(1);
  });

  it('activates, renames, removes and finds profiles by name', async () => {
    const dataDir = tempDir();
    const vault = openVault({ dataDir, cipher: aesCipher(), localSandbox: local });
    const a = (
      await vault.add(
        {
          name: 'A',
          environment: { kind: 'custom', baseUrl: 'http://localhost:9/x/' },
          auth: { kind: 'bearer', apiKey: 'keyA123456' },
        },
        accept,
      )
    ).profile;
    expect(a.environment).toMatchObject({ baseUrl: 'http://localhost:9/x', label: 'Custom server (localhost:9)' });
    expect(vault.activeId()).toBe(LOCAL_SANDBOX_ID);
    expect(vault.activate(a.id).activeId).toBe(a.id);
    expect(vault.rename(a.id, ' Renamed ').profiles.find((p) => p.id === a.id)?.name).toBe('Renamed');
    expect(vault.findByName('renamed')?.id).toBe(a.id);
    expect(() => vault.rename(a.id, 'Practice')).toThrow(/already exists/);
    expect(() => vault.activate('nope')).toThrow(expect.objectContaining({ code: 'not-found', field: 'id' }));
    expect(vault.remove(a.id).activeId).toBe(LOCAL_SANDBOX_ID);
    expect(vault.remove(LOCAL_SANDBOX_ID)).toEqual({ profiles: [], activeId: null });
    // The Local sandbox is ensured on the first run only: a user who removed it keeps it removed.
    expect(openVault({ dataDir, cipher: aesCipher(), localSandbox: local }).list().profiles).toHaveLength(0);
  });

  it('says why a profile has no client with a VaultError code: not-found, key-needed, sandbox-not-running', async () => {
    const dataDir = tempDir();
    let sandboxUp = true;
    const vault = openVault({ dataDir, cipher: null, localSandbox: () => (sandboxUp ? local() : null) });
    const kept = (
      await vault.add(
        { name: 'Kept', environment: { kind: 'sandbox' }, auth: { kind: 'bearer', apiKey: API_KEY } },
        accept,
      )
    ).profile;
    const gone = (
      await vault.add(
        { name: 'Gone', environment: { kind: 'sandbox' }, auth: { kind: 'bearer', apiKey: API_KEY } },
        accept,
      )
    ).profile;
    vault.remove(gone.id);

    const removed = thrownBy(() => vault.clientFor(gone.id));
    expect(removed).toBeInstanceOf(VaultError);
    expect(removed).toMatchObject({
      code: 'not-found',
      field: 'id',
      message: `There is no profile with id "${gone.id}"; it may have been removed.`,
    });
    expect(thrownBy(() => vault.clientFor('never-was'))).toMatchObject({ code: 'not-found' });

    // No keychain here: the key lived in memory only, so a reopened vault needs it entered again.
    const reopened = openVault({ dataDir, cipher: null, localSandbox: local });
    const needed = thrownBy(() => reopened.clientFor(kept.id));
    expect(needed).toBeInstanceOf(VaultError);
    expect(needed).toMatchObject({
      code: 'key-needed',
      field: 'secret',
      message: expect.stringMatching(/^Profile "Kept" has no key this session/),
    });
    await reopened.provideSecret(kept.id, API_KEY, accept);
    expect(reopened.clientFor(kept.id).baseUrl).toBe('https://sandbox.api.video');

    sandboxUp = false;
    const builtIn = thrownBy(() => vault.clientFor(LOCAL_SANDBOX_ID));
    expect(builtIn).toBeInstanceOf(VaultError);
    expect(builtIn).toMatchObject({ code: 'sandbox-not-running', field: 'environment.kind' });
  });

  it('refuses a client for a profile on the Local sandbox while it is not running, with its key known', async () => {
    const dataDir = tempDir();
    const cipher = aesCipher();
    const vault = openVault({ dataDir, cipher, localSandbox: local });
    const { profile } = await vault.add(
      { name: 'On local', environment: { kind: 'local' }, auth: { kind: 'bearer', apiKey: API_KEY } },
      accept,
    );
    const down = openVault({ dataDir, cipher, localSandbox: () => null });
    expect(down.get(profile.id)?.hasSecret).toBe(true);
    expect(thrownBy(() => down.clientFor(profile.id))).toMatchObject({
      name: 'VaultError',
      code: 'sandbox-not-running',
      field: 'environment.kind',
      message: 'Profile "On local" uses the Local sandbox, which is not running. Start it, then try again.',
    });
  });

  it('keeps unreadable stored entries untouched and a corrupt file aside', async () => {
    const dataDir = tempDir();
    const vault = openVault({ dataDir, cipher: aesCipher(), localSandbox: local });
    await vault.add(
      { name: 'Good', environment: { kind: 'sandbox' }, auth: { kind: 'bearer', apiKey: 'keyGood12345' } },
      accept,
    );
    const file = join(dataDir, 'profiles.json');
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { profiles: unknown[] };
    stored.profiles.push({ id: 'broken', name: 42 });
    writeFileSync(file, JSON.stringify(stored));
    const warnings: string[] = [];
    const reopened = openVault({ dataDir, cipher: aesCipher(), localSandbox: local, log: (_l, m) => warnings.push(m) });
    expect(reopened.list().profiles.map((p) => p.name)).toEqual(['Practice', 'Good']);
    expect(warnings.join('\n')).toMatch(/could not be read/);
    reopened.rename(LOCAL_SANDBOX_ID, 'Local');
    expect(JSON.stringify(JSON.parse(readFileSync(file, 'utf8')))).toContain('"id":"broken"');

    writeFileSync(file, '{ not json');
    const fresh = openVault({ dataDir, cipher: aesCipher(), localSandbox: local, log: (_l, m) => warnings.push(m) });
    expect(fresh.list().profiles).toHaveLength(1);
    expect(readdirSync(dataDir).some((name) => name.startsWith('profiles.json.unreadable-'))).toBe(true);
  });

  it('works over any injected key-value store', async () => {
    const map = new Map<string, unknown>();
    const store = {
      get: (k: string) => map.get(k),
      set: (k: string, v: unknown) => void map.set(k, v),
      delete: (k: string) => void map.delete(k),
    };
    const vault = openVault({ dataDir: '/nonexistent', cipher: aesCipher(), store, localSandbox: local });
    await vault.add({ name: 'M', environment: { kind: 'sandbox' }, auth: { kind: 'bearer', apiKey: API_KEY } }, accept);
    expect(map.get('activeId')).toBe(LOCAL_SANDBOX_ID);
    expect(JSON.stringify(map.get('profiles'))).not.toContain(API_KEY);
  });
});
