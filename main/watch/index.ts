// Watch folders: folders Convoy keeps watching, uploading each new or changed video once it has settled, through
// the same upload engine. The app (through core.ts) and `convoy watch` both open it here.
import type { UploadEngine } from '../uploads/index';
import type { Vault } from '../vault/index';

export interface WatchDeps {
  /** Where the watch list and its per-watch state are kept. */
  stateDir: string;
  engine: UploadEngine;
  /** Absent in the CLI, which has no profiles store. */
  vault?: Vault;
  log: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
}

export interface WatchService {
  close(): Promise<void>;
}

export async function openWatches(_deps: WatchDeps): Promise<WatchService> {
  return { close: async () => {} };
}
