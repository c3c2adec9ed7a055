// The minimal key-value store the vault persists profiles in: the Electron shell passes an electron-store,
// everywhere else a `conf` file in the given folder. A corrupt file is set aside, never silently lost. The file
// (profiles, encrypted keys) is the user's alone: 0600 in a 0700 folder.
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import Conf from 'conf';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../lib/private-files';

export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

const CONFIG_NAME = 'profiles';

/** A conf-backed store at <dir>/profiles.json. */
export function confStore(dir: string, warn: (message: string) => void = () => {}): KeyValueStore {
  makePrivateDir(dir);
  const open = () =>
    new Conf<Record<string, unknown>>({
      cwd: dir,
      configName: CONFIG_NAME,
      accessPropertiesByDotNotation: false,
      configFileMode: PRIVATE_FILE_MODE,
    });
  try {
    return open();
  } catch (error) {
    const file = join(dir, `${CONFIG_NAME}.json`);
    if (!existsSync(file)) throw error;
    const aside = `${file}.unreadable-${Date.now()}`;
    renameSync(file, aside);
    warn(
      `The profiles file ${file} could not be read (${error instanceof Error ? error.message : String(error)}); it was moved to ${aside} and Convoy starts with fresh profiles.`,
    );
    return open();
  }
}
