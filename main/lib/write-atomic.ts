// Writes a whole file so that a reader (or a crash) sees either the old content or the new, never half. Private by
// default: the file is the user's alone (0600) and a folder made for it too (0700).
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './private-files';

/** `mode`: the file's permission bits, 0600 unless a caller means it to be shared. */
export function writeAtomic(file: string, content: string, mode = PRIVATE_FILE_MODE): void {
  mkdirSync(dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, content, { mode });
  renameSync(temp, file);
}
