// Keeps the embedded sandbox on one port across launches, so player links, embed codes, exported manifests and
// token upload URLs made before a restart still answer: the port is chosen once, stored under the data directory,
// and replaced only when another program holds it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { readJsonFile } from './lib/json-file';

const stored = z.object({ port: z.number().int().min(1024).max(65_535) }).strict();

/** The port stored in `file`, or null when there is none (first launch) or it does not hold a valid port. */
export function readStoredPort(file: string): number | null {
  return readJsonFile(file, stored.nullable(), null)?.port ?? null;
}

function isAddressInUse(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';
}

/**
 * Starts something listening on a stable port. `requested` (a non-zero port from the environment) wins and is not
 * stored. Otherwise the stored port is tried first; when it is taken, or on the first launch, any free port is
 * taken and stored for the next launch. `start(port)` listens on `port` (0: any) and reports the port it got.
 */
export async function startOnStablePort<T>(
  file: string,
  requested: number,
  start: (port: number) => Promise<T>,
  portOf: (started: T) => number,
  log: (message: string) => void = () => {},
): Promise<T> {
  if (requested > 0) return start(requested);
  const previous = readStoredPort(file);
  let started: T | null = null;
  if (previous !== null) {
    try {
      started = await start(previous);
    } catch (error) {
      if (!isAddressInUse(error)) throw error;
      log(`port ${previous} is taken by another program: taking another one (links made before now point to it)`);
    }
  }
  started ??= await start(0);
  const port = portOf(started);
  if (port !== previous) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, `${JSON.stringify({ port })}\n`, { mode: 0o600 });
  }
  return started;
}
