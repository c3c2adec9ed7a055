// Small JSON files the app keeps beside its data (settings, the window's bounds, the sandbox's port): read and
// checked against their schema, where a missing, unreadable or invalid file means the given default.
import { readFileSync } from 'node:fs';
import type { z } from 'zod';

/** The file's content as `schema` reads it, or `fallback` when it is missing, is not JSON or does not fit. */
export function readJsonFile<T>(file: string, schema: z.ZodType<T>, fallback: T): T {
  try {
    const parsed = schema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : fallback;
  } catch {
    return fallback;
  }
}
