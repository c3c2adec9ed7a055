// Remembers the window's size and position between launches (validated on read; bad files are ignored).
import { readJsonFile } from '../lib/json-file';
import { writeAtomic } from '../lib/write-atomic';
import { z } from 'zod';

const bounds = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(640).max(10_000),
  height: z.number().int().min(480).max(10_000),
  maximized: z.boolean().default(false),
});
export type WindowState = z.infer<typeof bounds>;

export const defaultWindowState: WindowState = { width: 1200, height: 800, maximized: false };

export function readWindowState(file: string): WindowState {
  return readJsonFile(file, bounds, defaultWindowState);
}

export function writeWindowState(file: string, state: WindowState): void {
  writeAtomic(file, JSON.stringify(state));
}
