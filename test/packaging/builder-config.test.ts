// electron-builder.yml as electron-builder reads it: valid, fuses declared, macOS hardened runtime with the minimal
// entitlements, the signing report hooked in (and what it says), and no renderer-only package among dependencies.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { signingPlan } from '../../build/signing-report.mjs';
import { importedPackages } from './package-imports';

const require = createRequire(import.meta.url);
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  getConfig(dir: string, path: string | null): Promise<Record<string, unknown>>;
  validateConfiguration(config: Record<string, unknown>, logger: { add(k: string, v: unknown): void }): Promise<void>;
};

interface MacConfig {
  hardenedRuntime?: boolean;
  entitlements?: string;
  entitlementsInherit?: string;
  notarize?: boolean;
}

const config = (): Promise<Record<string, unknown>> => getConfig(process.cwd(), null);

describe('electron-builder.yml', () => {
  it("passes electron-builder's own validation", async () => {
    await expect(config().then((c) => validateConfiguration(c, { add: () => {} }))).resolves.toBeUndefined();
  });

  it('sets every security fuse explicitly', async () => {
    expect((await config()).electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('signs macOS with the hardened runtime and our entitlements, for the app and its helpers', async () => {
    const mac = (await config()).mac as MacConfig;
    expect(mac).toMatchObject({
      hardenedRuntime: true,
      entitlements: 'build/entitlements.mac.plist',
      entitlementsInherit: 'build/entitlements.mac.plist',
      notarize: true,
    });
  });

  it('reports signing before it packs', async () => {
    expect((await config()).beforePack).toBe('./build/signing-report.mjs');
  });
});

describe('build/entitlements.mac.plist', () => {
  it('grants only what Electron needs: JIT and unsigned executable memory', () => {
    const plist = readFileSync('build/entitlements.mac.plist', 'utf8').replace(/<!--[\s\S]*?-->/g, '');
    const granted = [...plist.matchAll(/<key>([^<]+)<\/key>\s*<(true|false)\/>/g)].map((m) => `${m[1]}=${m[2]}`);
    expect(granted).toEqual([
      'com.apple.security.cs.allow-jit=true',
      'com.apple.security.cs.allow-unsigned-executable-memory=true',
    ]);
    expect([...plist.matchAll(/<key>/g)]).toHaveLength(2);
  });
});

describe('the signing report', () => {
  it('says each step is skipped, and why, when no credential is set', () => {
    expect(signingPlan('darwin', {}, 'linux')).toEqual([
      'macOS code signing skipped: CSC_LINK (with CSC_KEY_PASSWORD) is not set',
      'macOS notarization skipped: APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD, APPLE_TEAM_ID not set',
    ]);
    expect(signingPlan('win32', {}, 'linux')).toEqual([
      'Windows code signing skipped: WIN_CSC_LINK (or CSC_LINK) is not set',
    ]);
    expect(signingPlan('linux', {}, 'linux')).toEqual(['Linux code signing: none (AppImage and deb are not signed)']);
  });

  it('names the variables it signs and notarizes with, never their values', () => {
    const env = {
      CSC_LINK: 'secret-cert-base64',
      CSC_KEY_PASSWORD: 'secret-password',
      APPLE_ID: 'dev@example.com',
      APPLE_APP_SPECIFIC_PASSWORD: 'secret-app-password',
      APPLE_TEAM_ID: 'TEAM123456',
      WIN_CSC_LINK: 'secret-win-cert',
    };
    const lines = [...signingPlan('darwin', env, 'linux'), ...signingPlan('win32', env, 'linux')];
    expect(lines).toEqual([
      'macOS code signing: with the certificate in CSC_LINK',
      'macOS notarization: with APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD, APPLE_TEAM_ID',
      'Windows code signing: with the certificate in WIN_CSC_LINK (WIN_CSC_KEY_PASSWORD is not set)',
    ]);
    for (const value of Object.values(env)) expect(lines.join('\n')).not.toContain(value);
  });

  it('names what is missing for notarization when only part of it is set', () => {
    expect(signingPlan('darwin', { CSC_LINK: 'c', APPLE_ID: 'a' }, 'linux')[1]).toBe(
      'macOS notarization skipped: APPLE_APP_SPECIFIC_PASSWORD, APPLE_TEAM_ID not set',
    );
  });
});

describe('package.json', () => {
  it('lists no renderer-only package among the dependencies electron-builder packs', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> };
    const forMain = importedPackages(['main', 'preload', 'common']);
    const rendererOnly = [...importedPackages(['renderer'])].filter((name) => !forMain.has(name));
    expect(rendererOnly.length).toBeGreaterThan(0);
    expect(rendererOnly.filter((name) => name in pkg.dependencies)).toEqual([]);
  });
});
