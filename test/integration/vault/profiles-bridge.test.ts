// The vault and the profiles/tokens bridge handlers against the real local sandbox: the Local sandbox profile,
// adding profiles checked by a real call (wrong key, bad URL, dead server, upload token), token management,
// 'profiles.changed' events, encryption at rest and session-only secrets.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProfilesState } from '../../../common/api';
import { createClient } from '../../../main/apivideo';
import { EventBus } from '../../../main/bridge/events';
import { forwardVaultEvents, profileHandlers } from '../../../main/bridge/handlers/profiles';
import { tokenHandlers } from '../../../main/bridge/handlers/tokens';
import { createRouter, type HandlerMap, type Router } from '../../../main/bridge/router';
import type { SecretCipher } from '../../../main/platform';
import { openVault, type Vault } from '../../../main/vault';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { aesCipher } from '../../support/cipher';

let sandbox: TestSandbox;
let other: TestSandbox;
const dirs: string[] = [];
beforeAll(async () => {
  [sandbox, other] = await Promise.all([startTestSandbox(), startTestSandbox()]);
});
afterAll(async () => {
  await Promise.all([sandbox?.close(), other?.close()]);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function setup(cipher: SecretCipher | null, dataDir = mkdtempSync(join(tmpdir(), 'convoy-profiles-'))) {
  dirs.push(dataDir);
  const vault = openVault({ dataDir, cipher, localSandbox: () => ({ url: sandbox.url, apiKey: sandbox.apiKey }) });
  const events = new EventBus();
  const changes: ProfilesState[] = [];
  events.subscribe((name, payload) => {
    if (name === 'profiles.changed') changes.push(payload as ProfilesState);
  });
  forwardVaultEvents(vault, events);
  const router: Router = createRouter({ ...profileHandlers({ vault }), ...tokenHandlers({ vault }) } as HandlerMap);
  return { vault, router, changes, dataDir };
}

async function ok<T>(router: Router, channel: string, payload: unknown): Promise<T> {
  const envelope = await router.dispatch(channel, payload);
  if (!envelope.ok) throw new Error(`${channel} failed: ${envelope.error.message}`);
  return envelope.value as T;
}

async function fails(router: Router, channel: string, payload: unknown) {
  const envelope = await router.dispatch(channel, payload);
  if (envelope.ok) throw new Error(`${channel} should have failed`);
  return envelope.error;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((n) => join(dir, n))
    .filter((f) => statSync(f).isFile());
}

describe('profiles and tokens over the bridge', () => {
  it('manages upload tokens through the Local sandbox profile, active on first run', async () => {
    const { router } = setup(aesCipher());
    const state = await ok<ProfilesState>(router, 'profiles.list', {});
    expect(state.activeId).toBe('local-sandbox');
    expect(state.profiles[0]).toMatchObject({
      name: 'Practice',
      hasSecret: true,
      environment: { baseUrl: sandbox.url },
    });

    const created = await ok<{ token: string; ttl: number }>(router, 'tokens.create', { ttl: 120 });
    expect(created.ttl).toBe(120);
    await ok(router, 'tokens.create', { ttl: 0 });
    const list = await ok<{ data: { ttl: number }[]; pagination: { itemsTotal: number } }>(router, 'tokens.list', {
      sortBy: 'ttl',
      sortOrder: 'asc',
    });
    expect(list.data.map((t) => t.ttl)).toEqual([0, 120]);
    expect(list.pagination).toEqual({
      currentPage: 1,
      pageSize: 25,
      pagesTotal: 1,
      itemsTotal: 2,
      currentPageItems: 2,
    });
    expect(await ok(router, 'tokens.get', { token: created.token })).toMatchObject({
      token: created.token,
      expiresAt: expect.any(String),
    });
    expect(await ok(router, 'tokens.delete', { token: created.token })).toEqual({ deleted: true });
    expect(await fails(router, 'tokens.get', { token: created.token })).toMatchObject({
      code: 'not-found',
      field: 'token',
    });
    const profile = await ok(router, 'profiles.check', { id: 'local-sandbox' });
    expect(profile).toMatchObject({
      ok: true,
      message: expect.stringMatching(/API key works \(1 active upload token\)/),
    });
  });

  it('adds profiles only after a real check, with the failing field named', async () => {
    const { router, changes, dataDir } = setup(aesCipher());
    const custom = { kind: 'custom', baseUrl: `${sandbox.url}/` };

    const wrongKey = await fails(router, 'profiles.add', {
      name: 'Wrong',
      environment: custom,
      auth: { kind: 'bearer', apiKey: other.apiKey },
    });
    expect(wrongKey).toMatchObject({ code: 'failed', field: 'auth.apiKey' });
    expect(wrongKey.message).toMatch(/^The API key was refused \(HTTP 4\d\d\)\./); // shown next to the key field: the dialog names the profile
    expect(wrongKey.message).not.toContain(other.apiKey);

    const badUrl = await fails(router, 'profiles.add', {
      name: 'Bad',
      environment: { kind: 'custom', baseUrl: 'https://x.test/?q=1' },
      auth: { kind: 'bearer', apiKey: 'k' },
    });
    expect(badUrl).toMatchObject({ code: 'invalid-payload', field: 'environment.baseUrl' });

    const dead = await fails(router, 'profiles.add', {
      name: 'Dead',
      environment: { kind: 'custom', baseUrl: 'http://127.0.0.1:1' },
      auth: { kind: 'basic', apiKey: 'k0000000' },
    });
    expect(dead).toMatchObject({
      field: 'environment.baseUrl',
      message: expect.stringMatching(/could not be reached/),
    });
    expect(changes).toHaveLength(0);

    const added = await ok<{
      profile: { id: string; keyHint: string; secretStorage: string };
      check: { ok: boolean; message: string };
    }>(router, 'profiles.add', { name: 'Work', environment: custom, auth: { kind: 'basic', apiKey: sandbox.apiKey } });
    expect(added.check.ok).toBe(true);
    expect(added.profile).toMatchObject({ keyHint: `••••${sandbox.apiKey.slice(-4)}`, secretStorage: 'encrypted' });
    expect(changes.at(-1)?.profiles.map((p) => p.name)).toEqual(['Practice', 'Work']);
    expect(
      await fails(router, 'profiles.add', {
        name: 'work',
        environment: custom,
        auth: { kind: 'basic', apiKey: sandbox.apiKey },
      }),
    ).toMatchObject({ field: 'name' });

    // The upload token profile: a valid token passes the empty-upload check; it cannot manage tokens.
    const { token } = await ok<{ token: string }>(router, 'tokens.create', { ttl: 0 });
    const phone = await ok<{ profile: { id: string } }>(router, 'profiles.add', {
      name: 'Phone',
      environment: custom,
      auth: { kind: 'uploadToken', token },
    });
    await ok(router, 'profiles.activate', { id: phone.profile.id });
    expect(await fails(router, 'tokens.list', {})).toMatchObject({
      code: 'unsupported',
      message: expect.stringMatching(/"Phone" holds an upload token/),
    });
    expect(
      await fails(router, 'profiles.add', {
        name: 'Gone',
        environment: custom,
        auth: { kind: 'uploadToken', token: 'toAAAAAAAAAAAAAAAAAAAAAA' },
      }),
    ).toMatchObject({ field: 'auth.token' });

    await ok(router, 'profiles.rename', { id: added.profile.id, name: 'Job' });
    const removed = await ok<ProfilesState>(router, 'profiles.remove', { id: phone.profile.id });
    expect(removed.activeId).toBe('local-sandbox');
    expect(changes.at(-1)?.profiles.map((p) => p.name)).toEqual(['Practice', 'Job']);

    for (const file of filesUnder(dataDir)) {
      const content = readFileSync(file);
      expect(content.includes(sandbox.apiKey)).toBe(false);
      expect(content.includes(token)).toBe(false);
    }
  });

  it("learns an upload token's expiry from an API-key profile on the same server, or from the user", async () => {
    const { router, vault } = setup(aesCipher());
    const local = { kind: 'local' };
    type Added = { profile: { id: string; tokenExpiresAt?: string | null; tokenExpirySource?: string } };

    // The Local sandbox profile holds the account's key: it reads the token's expiry from the server.
    const hour = await ok<{ token: string; expiresAt: string }>(router, 'tokens.create', { ttl: 3600 });
    const timed = await ok<Added>(router, 'profiles.add', {
      name: 'Timed',
      environment: local,
      auth: { kind: 'uploadToken', token: hour.token },
    });
    expect(timed.profile).toMatchObject({
      tokenExpiresAt: new Date(hour.expiresAt).toISOString(),
      tokenExpirySource: 'server',
    });
    expect(vault.tokenExpiresAt(timed.profile.id)).toBe(Date.parse(hour.expiresAt));
    // The profile that found the token is of its account: its key looks for lost first replies.
    expect(vault.keyClientOfTokenAccount(timed.profile.id)).toBe(vault.clientFor('local-sandbox'));

    const forever = await ok<{ token: string }>(router, 'tokens.create', { ttl: 0 });
    const lasting = await ok<Added>(router, 'profiles.add', {
      name: 'Lasting',
      environment: local,
      auth: { kind: 'uploadToken', token: forever.token },
    });
    expect(lasting.profile).toMatchObject({ tokenExpiresAt: null, tokenExpirySource: 'server' });
    expect(vault.tokenExpiresAt(lasting.profile.id)).toBeUndefined();

    // On a server where no profile holds a key, nobody can tell, unless the user typed the date.
    const elsewhere = { kind: 'custom', baseUrl: other.url };
    const otherToken = (await createClient({
      baseUrl: other.url,
      auth: { kind: 'bearer', apiKey: other.apiKey },
    }).uploadTokens.create(7200)) as { token: string; expiresAt: string };
    const unknown = await ok<Added>(router, 'profiles.add', {
      name: 'Unknown',
      environment: elsewhere,
      auth: { kind: 'uploadToken', token: otherToken.token },
    });
    expect(unknown.profile.tokenExpiresAt).toBeUndefined();
    expect(vault.tokenExpiresAt(unknown.profile.id)).toBeUndefined();
    expect(vault.keyClientOfTokenAccount(unknown.profile.id)).toBeUndefined();

    const past = await fails(router, 'profiles.add', {
      name: 'Typed',
      environment: elsewhere,
      auth: { kind: 'uploadToken', token: otherToken.token, expiresAt: '2020-01-01T00:00:00Z' },
    });
    expect(past).toMatchObject({
      field: 'auth.expiresAt',
      message: expect.stringMatching(/has passed, yet the server still accepts the token/),
    });
    const typed = await ok<Added>(router, 'profiles.add', {
      name: 'Typed',
      environment: elsewhere,
      auth: { kind: 'uploadToken', token: otherToken.token, expiresAt: otherToken.expiresAt },
    });
    expect(typed.profile).toMatchObject({
      tokenExpiresAt: new Date(otherToken.expiresAt).toISOString(),
      tokenExpirySource: 'user',
    });
    expect(
      await fails(router, 'profiles.add', {
        name: 'Garbled',
        environment: elsewhere,
        auth: { kind: 'uploadToken', token: otherToken.token, expiresAt: 'next friday' },
      }),
    ).toMatchObject({ code: 'invalid-payload', field: 'auth.expiresAt' });

    // An API key of that account added later: the token profiles there learn their expiry and their account.
    const studio = await ok<Added>(router, 'profiles.add', {
      name: 'Studio',
      environment: elsewhere,
      auth: { kind: 'bearer', apiKey: other.apiKey },
    });
    expect(vault.get(unknown.profile.id)).toMatchObject({
      tokenExpiresAt: new Date(otherToken.expiresAt).toISOString(),
      tokenExpirySource: 'server',
    });
    expect(vault.get(typed.profile.id)).toMatchObject({ tokenExpirySource: 'user' }); // what the user typed stays
    expect(vault.keyClientOfTokenAccount(unknown.profile.id)).toBe(vault.clientFor(studio.profile.id));
    expect(vault.get(unknown.profile.id)?.accountKeyProfile).toEqual({
      id: studio.profile.id,
      name: 'Studio',
      hasSecret: true,
    });
    await ok(router, 'profiles.remove', { id: studio.profile.id });
    expect(vault.get(unknown.profile.id)?.accountKeyProfile).toBeUndefined();
    expect(vault.keyClientOfTokenAccount(unknown.profile.id)).toBeUndefined();
  });

  it('session-only secrets: gone after a restart, given back with provideSecret (checked)', async () => {
    const first = setup(null);
    const added = await ok<{ profile: { id: string; secretStorage: string } }>(first.router, 'profiles.add', {
      name: 'Temp',
      environment: { kind: 'custom', baseUrl: other.url },
      auth: { kind: 'bearer', apiKey: other.apiKey },
    });
    expect(added.profile.secretStorage).toBe('session');
    for (const file of filesUnder(first.dataDir)) expect(readFileSync(file).includes(other.apiKey)).toBe(false);

    const early = await createClient({
      baseUrl: other.url,
      auth: { kind: 'bearer', apiKey: other.apiKey },
    }).uploadTokens.create(0);
    const earlyProfile = await ok<{ profile: { id: string } }>(first.router, 'profiles.add', {
      name: 'Early',
      environment: { kind: 'custom', baseUrl: other.url },
      auth: { kind: 'uploadToken', token: early.token },
    });
    expect(first.vault.get(earlyProfile.profile.id)?.accountKeyProfile).toEqual({
      id: added.profile.id,
      name: 'Temp',
      hasSecret: true,
    });

    const second = setup(null, first.dataDir);
    expect(second.vault.get(added.profile.id)).toMatchObject({ hasSecret: false });
    // Its account's key is gone with the session: the token profile says so rather than promising details.
    expect(second.vault.get(earlyProfile.profile.id)?.accountKeyProfile).toEqual({
      id: added.profile.id,
      name: 'Temp',
      hasSecret: false,
    });
    // A token of that account added while its key is missing: nobody can look it up yet.
    const token = await createClient({
      baseUrl: other.url,
      auth: { kind: 'bearer', apiKey: other.apiKey },
    }).uploadTokens.create(3600);
    const partner = await ok<{ profile: { id: string; tokenExpiresAt?: string } }>(second.router, 'profiles.add', {
      name: 'Partner',
      environment: { kind: 'custom', baseUrl: other.url },
      auth: { kind: 'uploadToken', token: token.token },
    });
    expect(partner.profile.tokenExpiresAt).toBeUndefined();
    expect(second.vault.get(partner.profile.id)?.accountKeyProfile).toBeUndefined();
    expect(await ok(second.router, 'profiles.check', { id: added.profile.id })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/Enter its key again/),
    });
    expect(
      await fails(second.router, 'profiles.provideSecret', { id: added.profile.id, secret: sandbox.apiKey }),
    ).toMatchObject({ field: 'secret' });
    const given = await ok<{ check: { ok: boolean } }>(second.router, 'profiles.provideSecret', {
      id: added.profile.id,
      secret: other.apiKey,
    });
    expect(given.check.ok).toBe(true);
    expect(second.changes.at(-1)?.profiles.find((p) => p.id === added.profile.id)?.hasSecret).toBe(true);
    // The key given back looks the token up: its expiry and its account are known now.
    expect(second.vault.get(partner.profile.id)).toMatchObject({
      tokenExpiresAt: new Date(token.expiresAt!).toISOString(),
      accountKeyProfile: { id: added.profile.id, name: 'Temp', hasSecret: true },
    });
    await second.vault.clientFor(added.profile.id).uploadTokens.list();
  });

  it('shares one client per profile, so its bearer session survives many callers', async () => {
    const { vault } = setup(aesCipher());
    const client: ReturnType<Vault['clientFor']> = vault.clientFor('local-sandbox');
    expect(vault.clientFor('local-sandbox')).toBe(client);
    await Promise.all([client.uploadTokens.list(), vault.clientFor('local-sandbox').videos.list()]);
  });
});
