// The desktop shell's own settings, kept in the data directory: whether Convoy keeps running in the tray when its
// window closes during work, and whether it has said so once. Validated on read; a bad file means the defaults.
import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFile } from '../lib/json-file';
import { writeAtomic } from '../lib/write-atomic';

const settingsSchema = z.object({
  keepRunningInTray: z.boolean().default(true),
  trayNoticeShown: z.boolean().default(false),
});
export type ShellSettingsValues = z.infer<typeof settingsSchema>;

export interface ShellSettings {
  get(): ShellSettingsValues;
  update(patch: Partial<ShellSettingsValues>): ShellSettingsValues;
}

export function shellSettingsFile(dataDir: string): string {
  return join(dataDir, 'shell-settings.json');
}

export function openShellSettings(file: string): ShellSettings {
  let values = readJsonFile(file, settingsSchema, settingsSchema.parse({}));
  return {
    get: () => ({ ...values }),
    update(patch) {
      values = { ...values, ...patch };
      writeAtomic(file, JSON.stringify(values), 0o600);
      return { ...values };
    },
  };
}
