// The composition root wires the vault's changes next to the engine's: a profile change reaches the page as
// 'profiles.changed' and lets waiting jobs re-check their key; after close neither happens any more.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ProfilesState } from '../../../common/api';
import { startCore, type Core } from '../../../main/core';
import { LOCAL_SANDBOX_ID } from '../../../main/vault';

const dirs: string[] = [];
const cores: Core[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((core) => core.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('core wiring of the vault', () => {
  it('forwards vault changes to the page and to the engine, and stops both on close', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'convoy-core-'));
    dirs.push(dataDir);
    const core = await startCore({ dataDir, platform: { mode: 'browser', secretCipher: null }, version: '0.0.0-test' });
    cores.push(core);
    const changes: ProfilesState[] = [];
    core.events.subscribe((name, payload) => {
      if (name === 'profiles.changed') changes.push(payload as ProfilesState);
    });
    const credentialsChanged = vi.spyOn(core.engine, 'credentialsChanged');

    const renamed = await core.router.dispatch('profiles.rename', { id: LOCAL_SANDBOX_ID, name: 'Here' });
    expect(renamed.ok).toBe(true);
    expect(changes.map((state) => state.profiles[0]?.name)).toEqual(['Here']);
    expect(credentialsChanged).toHaveBeenCalledTimes(1);

    await cores.pop()?.close();
    core.vault.rename(LOCAL_SANDBOX_ID, 'After close');
    expect(core.vault.get(LOCAL_SANDBOX_ID)?.name).toBe('After close');
    expect(changes).toHaveLength(1);
    expect(credentialsChanged).toHaveBeenCalledTimes(1);
  });
});
