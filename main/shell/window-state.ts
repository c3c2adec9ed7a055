// Remembers the window's size and position between launches (validated on read; bad files are ignored).
import { readFileSync, writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
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
  try {
    return bounds.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return defaultWindowState;
  }
}

export function writeWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(state));
  renameSync(`${file}.tmp`, file);
}
