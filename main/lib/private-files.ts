// The modes of what Convoy writes for the user alone (profiles, journal, logs, sandbox state and chunks, window
// state): folders 0700, files 0600, and a folder made private even where an earlier version made it 0755.
import { chmodSync, mkdirSync } from 'node:fs';

/** A folder only its owner can enter. */
export const PRIVATE_DIR_MODE = 0o700;
/** A file only its owner can read and write. */
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Makes `dir` (and any missing parent) a folder only its owner can enter, tightening an existing one. Best effort:
 * a folder that cannot be made or changed here is reported by whoever writes into it, in its own words.
 */
export function makePrivateDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    if (process.platform !== 'win32') chmodSync(dir, PRIVATE_DIR_MODE);
  } catch {
    // Read-only or not ours: the writer's own error says so.
  }
}
