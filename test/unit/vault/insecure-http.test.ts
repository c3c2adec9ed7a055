// A custom server on plain http:// to another machine is added only with the user's explicit consent
// (allowInsecureHttp), and its card then knows to warn; https:// and http:// on this machine need none.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { insecureHttpRefusal, needsInsecureHttpConsent } from '../../../common/contract/profiles';
import { profileHandlers } from '../../../main/bridge/handlers/profiles';
import { createRouter, type HandlerMap } from '../../../main/bridge/router';
import { openVault, VaultError, type ConnectionChecker } from '../../../main/vault';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const keyWorks: ConnectionChecker = async () => ({ ok: true, message: 'Key works', summary: 'Key works' });

function freshVault() {
  const dataDir = mkdtempSync(join(tmpdir(), 'convoy-insecure-'));
  dirs.push(dataDir);
  return openVault({ dataDir, cipher: null });
}

const custom = (baseUrl: string, allowInsecureHttp?: true) => ({
  name: `Server ${Math.random().toString(36).slice(2, 8)}`,
  environment: { kind: 'custom' as const, baseUrl, ...(allowInsecureHttp ? { allowInsecureHttp } : {}) },
  auth: { kind: 'bearer' as const, apiKey: 'key-123456' },
  secretStorage: 'session' as const,
});

describe('plain http to another machine', () => {
  it('tells which addresses need consent', () => {
    for (const url of [
      'http://videos.example.com',
      'http://192.168.1.20:8080/api',
      'HTTP://10.0.0.1',
      'http://[fe80::1]',
    ])
      expect(needsInsecureHttpConsent(url), url).toBe(true);
    for (const url of [
      'https://videos.example.com',
      'http://127.0.0.1:4100',
      'http://127.8.9.10',
      'http://localhost:8080',
      'http://api.localhost',
      'http://[::1]:9000',
      'not a url',
    ])
      expect(needsInsecureHttpConsent(url), url).toBe(false);
    // A look-alike of a loopback address is another machine.
    expect(needsInsecureHttpConsent('http://127.0.0.1.example.com')).toBe(true);
    expect(needsInsecureHttpConsent('http://localhost.example.com')).toBe(true);
  });

  it('refuses such a profile without consent, naming the field, and saves nothing', async () => {
    const vault = freshVault();
    const before = vault.list().profiles.length;
    const refused = await vault.add(custom('http://videos.example.com'), keyWorks).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(VaultError);
    expect(refused).toMatchObject({ message: insecureHttpRefusal, field: 'environment.allowInsecureHttp' });
    expect(vault.list().profiles).toHaveLength(before);
  });

  it('adds it with consent and marks it for the warning on its card; others are not marked', async () => {
    const vault = freshVault();
    const { profile } = await vault.add(custom('http://videos.example.com', true), keyWorks);
    expect(profile.environment).toMatchObject({ baseUrl: 'http://videos.example.com', insecureHttp: true });
    const reopened = vault.get(profile.id);
    expect(reopened?.environment.insecureHttp).toBe(true);
    for (const url of ['https://videos.example.com', 'http://127.0.0.1:4100']) {
      const { profile: safe } = await vault.add(custom(url), keyWorks);
      expect(safe.environment.insecureHttp).toBeUndefined();
    }
  });

  it('over the bridge: refused with the field and the words, before any check reaches the server', async () => {
    const router = createRouter(profileHandlers({ vault: freshVault() }) as HandlerMap);
    const envelope = await router.dispatch('profiles.add', custom('http://videos.example.com'));
    expect(envelope).toEqual({
      ok: false,
      error: { code: 'invalid-payload', message: insecureHttpRefusal, field: 'environment.allowInsecureHttp' },
    });
    // Consent is a plain true, never a truthy string or false.
    const wrong = await router.dispatch('profiles.add', {
      ...custom('http://videos.example.com'),
      environment: { kind: 'custom', baseUrl: 'http://videos.example.com', allowInsecureHttp: 'yes' },
    });
    expect(wrong).toMatchObject({
      ok: false,
      error: { code: 'invalid-payload', field: 'environment.allowInsecureHttp' },
    });
  });
});
