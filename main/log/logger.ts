// The app's log: one file under the data directory plus stderr, every line passed through redact(). The file
// is the user's alone (0600, in a 0700 folder), an older one made readable by others included.
import { appendFileSync, chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../lib/private-files';
import { redact } from './redact';

export type Level = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: Level, scope: string, message: string): void;
  child(scope: string): (level: Level, message: string) => void;
}

export function createLogger(file: string | null, echo: boolean = process.env.CONVOY_LOG_ECHO === '1'): Logger {
  if (file) {
    mkdirSync(dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
    try {
      chmodSync(file, PRIVATE_FILE_MODE);
    } catch {
      // Not there yet: the first line creates it 0600.
    }
  }
  const logger: Logger = {
    log(level, scope, message) {
      const line = `${new Date().toISOString()} ${level.toUpperCase()} [${scope}] ${redact(message)}\n`;
      if (file) {
        try {
          appendFileSync(file, line, { mode: PRIVATE_FILE_MODE });
        } catch {
          // A log that cannot be written must never stop an upload.
        }
      }
      if (echo || level === 'error') process.stderr.write(line);
    },
    child(scope) {
      return (level, message) => logger.log(level, scope, message);
    },
  };
  return logger;
}
