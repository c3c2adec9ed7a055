// Where Convoy keeps its data on each OS (the same folder Electron calls userData), overridable with
// CONVOY_DATA_DIR, so the app, browser mode and the CLI share profiles, journal and the local sandbox.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { makePrivateDir } from './lib/private-files';

export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.CONVOY_DATA_DIR) return env.CONVOY_DATA_DIR;
  const home = homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Convoy');
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Convoy');
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Convoy');
}

/**
 * The fixed layout below the data directory. Every entry (the app, browser mode, the CLI) asks for it before it
 * writes anything there, so it is also where the data directory and the sandbox's folder (its state holds upload
 * tokens in clear, its chunks the user's video) are made private: 0700, whatever their files' own modes.
 */
export function dataLayout(dataDir: string) {
  makePrivateDir(dataDir);
  makePrivateDir(join(dataDir, 'sandbox'));
  return {
    dataDir,
    profiles: join(dataDir, 'profiles'),
    uploads: join(dataDir, 'uploads'),
    sandbox: join(dataDir, 'sandbox'),
    watches: join(dataDir, 'watches'),
    log: join(dataDir, 'logs', 'convoy.log'),
    window: join(dataDir, 'window-state.json'),
  };
}
