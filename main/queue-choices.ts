// The app's own queue defaults beneath the user's choices: the desktop app and browser mode follow each video's
// encoding until it is playable unless the user turned that off (the engine, and so the CLI, keeps it off).
import { join } from 'node:path';
import { z } from 'zod';
import type { QueueSettings } from '../common/contract/queue';
import { readJsonFile } from './lib/json-file';
import { writeAtomic } from './lib/write-atomic';

/** What the app does until the user says otherwise. */
export const appQueueDefaults = { waitForPlayable: true } as const satisfies Partial<QueueSettings>;

// Only the settings the app has a default of its own for; the engine's journal keeps the rest.
const choicesSchema = z.object({ waitForPlayable: z.boolean().optional() });
type Choices = z.infer<typeof choicesSchema>;

export interface QueueChoices {
  /** The app's defaults with the user's explicit choices over them: the settings the engine opens with. */
  settings(): Partial<QueueSettings>;
  /** Keeps what a settings change from the page chose explicitly (a patch naming the setting). */
  record(patch: Partial<QueueSettings>): void;
}

export function queueChoicesFile(dataDir: string): string {
  return join(dataDir, 'queue-choices.json');
}

/** The choices kept in `file`; a missing or unreadable file means none were made (the app's defaults hold). */
export function openQueueChoices(file: string): QueueChoices {
  let chosen: Choices = readJsonFile(file, choicesSchema, {});
  return {
    settings: () => ({ ...appQueueDefaults, ...chosen }),
    record(patch) {
      if (patch.waitForPlayable === undefined || patch.waitForPlayable === chosen.waitForPlayable) return;
      chosen = { ...chosen, waitForPlayable: patch.waitForPlayable };
      writeAtomic(file, JSON.stringify(chosen));
    },
  };
}
