// The `--linux dir` smoke build, packed for real from electron-builder.yml: the fuses read back from the packed
// executable with @electron/fuses, and what app.asar holds (the bundles and main's packages, nothing else).
import { existsSync, readFileSync } from 'node:fs';
import { listPackage } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { FuseState } from '@electron/fuses/dist/constants';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUSE_SENTINEL } from './electron-stand-in';
import { importedPackages } from './package-imports';
import { packLinuxDir, type PackedApp } from './pack-linux-dir';

/** The fuses a packaged Convoy must carry (docs/security.md explains each). */
const requiredFuses: [FuseV1Options, FuseState][] = [
  [FuseV1Options.RunAsNode, FuseState.DISABLE],
  [FuseV1Options.EnableCookieEncryption, FuseState.ENABLE],
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable, FuseState.DISABLE],
  [FuseV1Options.EnableNodeCliInspectArguments, FuseState.DISABLE],
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation, FuseState.ENABLE],
  [FuseV1Options.OnlyLoadAppFromAsar, FuseState.ENABLE],
  [FuseV1Options.GrantFileProtocolExtraPrivileges, FuseState.DISABLE],
];

const stateName = (state: number | undefined): string =>
  state === undefined ? 'missing' : (FuseState[state] ?? String(state));

let packed: PackedApp;
let entries: string[];

beforeAll(() => {
  if (!existsSync('out/main/index.js')) throw new Error('out/ is not built: run `npm run build` first');
  packed = packLinuxDir();
  entries = listPackage(packed.asar, { isPack: false }).map((f) => f.replaceAll('\\', '/'));
}, 240_000);

afterAll(() => packed?.cleanup());

describe('the packed executable', () => {
  it('carries the fuses electron-builder.yml sets, read back with @electron/fuses', async () => {
    const wire = await getCurrentFuseWire(packed.executable);
    expect(wire.version).toBe('1');
    const actual = requiredFuses.map(([fuse]) => `${FuseV1Options[fuse]}=${stateName(wire[fuse])}`);
    const expected = requiredFuses.map(([fuse, state]) => `${FuseV1Options[fuse]}=${FuseState[state]}`);
    expect(actual).toEqual(expected);
  });

  it('holds exactly one fuse wire, so the one read back is the one flipped', () => {
    const bytes = readFileSync(packed.executable);
    expect(bytes.indexOf(FUSE_SENTINEL)).toBeGreaterThan(0);
    expect(bytes.indexOf(FUSE_SENTINEL)).toBe(bytes.lastIndexOf(FUSE_SENTINEL));
  });

  it('was packed after electron-builder said whether it signs', () => {
    expect(packed.log).toContain('Linux code signing: none');
  });
});

describe('app.asar', () => {
  const packagesIn = (): Set<string> =>
    new Set(entries.map((f) => /^\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f)?.[1]).filter((n) => n !== undefined));

  it('holds the three bundles and package.json, and no source folder', () => {
    for (const bundle of [
      '/out/main/index.js',
      '/out/preload/index.cjs',
      '/out/renderer/index.html',
      '/package.json',
    ]) {
      expect(entries, bundle).toContain(bundle);
    }
    expect(entries.filter((f) => /^\/(test|bench|common|main|renderer|preload|build|docs)\//.test(f))).toEqual([]);
  });

  it('holds every package main and preload load at run time', () => {
    const needed = importedPackages(['main', 'preload', 'common']);
    expect(needed.size).toBeGreaterThan(0);
    const packedPackages = packagesIn();
    expect([...needed].filter((name) => !packedPackages.has(name))).toEqual([]);
  });

  it('holds no package only the renderer uses (Vite bundled those into the page)', () => {
    const forMain = importedPackages(['main', 'preload', 'common']);
    const rendererOnly = [...importedPackages(['renderer'])].filter((name) => !forMain.has(name));
    expect(rendererOnly).toEqual(expect.arrayContaining(['react', 'react-dom', 'zustand', '@tanstack/react-virtual']));
    const packedPackages = packagesIn();
    expect(rendererOnly.filter((name) => packedPackages.has(name))).toEqual([]);
  });

  it('holds no source map', () => {
    expect(entries.filter((f) => f.endsWith('.map'))).toEqual([]);
  });

  it('holds no test file and no TypeScript source', () => {
    const tests = entries.filter(
      (f) => /\/(test|tests|__tests__|spec)(\/|$)/.test(f) || /\.(test|spec)\.[cm]?[jt]sx?$/.test(f),
    );
    expect(tests).toEqual([]);
    expect(entries.filter((f) => /\.(ts|tsx|mts|cts)$/.test(f) && !/\.d\.[cm]?ts$/.test(f))).toEqual([]);
  });
});
