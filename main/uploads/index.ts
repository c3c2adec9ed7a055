// The upload engine's public surface, used by the app core (bridge handlers) and the `convoy` CLI.
import { UploadEngine } from './engine';
import type { EngineOptions } from './engine-types';

export { UploadEngine } from './engine';
export { defaultSettings, FINGERPRINT_KEY, JOB_KEY } from './engine-types';
export type {
  AddRequest,
  ControlAction,
  MediaPatch,
  CsvImportResult,
  EngineEvents,
  EngineOptions,
  LogFn,
} from './engine-types';
export { scanPaths, videoExtensions } from './scan';
export type { ScanOptions, ScanResult, ScannedFile } from './scan';
export { fingerprintFile } from './fingerprint';
export { JournalBusyError, JournalWriteError } from './journal';
export type { JournalDamage } from './journal';
export type { LateSidecar } from './sidecar-delivery';
export { MiB, minChunkSize, maxChunkSize, defaultChunkSize } from './plan';

/** Opens (or creates) the journal in `stateDir`, restores the queue and starts unfinished work. */
export async function openEngine(options: EngineOptions): Promise<UploadEngine> {
  return new UploadEngine(options);
}
