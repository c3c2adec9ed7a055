// The stand-in Electron carries a fuse wire @electron/fuses reads and flips exactly as it does Electron's own.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flipFuses, FuseV1Options, FuseVersion, getCurrentFuseWire } from '@electron/fuses';
import { FuseState } from '@electron/fuses/dist/constants';
import { afterEach, describe, expect, it } from 'vitest';
import { electronFuseDefaults, writeElectronStandIn } from './electron-stand-in';

const dirs: string[] = [];
function standIn(): string {
  const dir = mkdtempSync(join(tmpdir(), 'convoy-stand-in-'));
  dirs.push(dir);
  writeElectronStandIn(dir);
  return join(dir, 'electron');
}
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('the stand-in Electron binary', () => {
  it("reads back as Electron's default fuses", async () => {
    const wire = await getCurrentFuseWire(standIn());
    expect(wire.version).toBe(FuseVersion.V1);
    const states = electronFuseDefaults.map((_, i) => wire[i as FuseV1Options]);
    expect(states).toEqual(electronFuseDefaults.map(([, s]) => (s === '1' ? FuseState.ENABLE : FuseState.DISABLE)));
    expect(states[FuseV1Options.RunAsNode]).toBe(FuseState.ENABLE);
  });

  it('has its fuses flipped in place, the rest of the file untouched', async () => {
    const path = standIn();
    const before = readFileSync(path);
    await flipFuses(path, { version: FuseVersion.V1, [FuseV1Options.RunAsNode]: false });
    const after = readFileSync(path);
    expect((await getCurrentFuseWire(path))[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
    expect(after.length).toBe(before.length);
    const changed = [...after.keys()].filter((i) => after[i] !== before[i]);
    expect(changed).toHaveLength(1);
  });
});
