// Whether the file on disk is still the one the job planned: its size and modification time, checked before
// each part leaves and when the server refuses one (a file that changed starts over as a new video).
import { stat } from 'node:fs/promises';
import { Restart } from './outcomes';
import type { JobRecord } from './records';

/** A file whose size or modification time moved since it was planned restarts as a new video. */
export function assertUnchanged(job: JobRecord, info: { size: number; mtimeMs: number }): void {
  if (info.size !== job.size || info.mtimeMs !== job.mtimeMs) {
    throw new Restart(`The file changed during the upload (size ${job.size} → ${info.size} bytes); it was uploaded again as a new video.`);
  }
}

/** Like assertUnchanged, reading the file's facts now; a file that cannot be read is left to the next step. */
export async function assertStillUnchanged(job: JobRecord): Promise<void> {
  const info = await stat(job.path).catch(() => null);
  if (info) assertUnchanged(job, info);
}
