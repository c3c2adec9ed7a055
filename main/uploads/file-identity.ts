// A file's identity: which file it is (device, inode) and its last change (size, modification and change times),
// cheap to check; when any of it moved, the content is hashed again and compared part by part with the digests
// recorded as the parts were sent. A file whose sent parts no longer match starts over as a new video.
import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { hashParts } from './content-hash';
import { Restart } from './outcomes';
import type { JobPatch, JobRecord } from './records';

export type FileFacts = Pick<Stats, 'dev' | 'ino' | 'size' | 'mtimeMs' | 'ctimeMs'>;

/** The identity fields the job records. */
export function identityOf(info: FileFacts): Pick<JobPatch, 'dev' | 'ino' | 'size' | 'mtimeMs' | 'ctimeMs'> {
  return { dev: info.dev, ino: info.ino, size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs };
}

/** Whether the file is, cheaply, the one the job recorded (a job journaled before identities knows size and mtime). */
export function sameIdentity(job: JobRecord, info: FileFacts): boolean {
  if (info.size !== job.size || info.mtimeMs !== job.mtimeMs) return false;
  if (job.ino !== undefined && (info.ino !== job.ino || info.dev !== job.dev)) return false;
  return job.ctimeMs === undefined || info.ctimeMs === job.ctimeMs;
}

/** The same identity as metadata on a container: a run that lost its journal can know its own upload again. */
export function identityKey(info: FileFacts): string {
  return `${info.dev}:${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`;
}

export type ContentVerdict = { kind: 'same' } | { kind: 'changed'; message: string; detail?: string };

/**
 * Compares what the file holds now with the parts already sent: 'same' when its identity is unchanged (trusted) or
 * every sent part hashes as recorded; otherwise why it changed. `info` is the file's stat now.
 */
export async function compareSentParts(job: JobRecord, info: FileFacts, signal?: AbortSignal): Promise<ContentVerdict> {
  if (sameIdentity(job, info)) return { kind: 'same' };
  if (info.size !== job.size)
    return { kind: 'changed', message: `its size went from ${job.size} to ${info.size} bytes` };
  if (job.acked.size === 0) return { kind: 'same' };
  const recorded = job.partDigests ?? {};
  const unknown = [...job.acked].filter((part) => recorded[part] === undefined);
  // Parts sent before digests were recorded, or by another run: nothing proves what they held.
  if (unknown.length > 0 || !job.chunkSize)
    return { kind: 'changed', message: 'it was modified, and the parts already sent cannot be checked against it' };
  const now = await hashParts(
    job.path,
    job.size,
    job.chunkSize,
    [...job.acked].sort((a, b) => a - b),
    signal,
  );
  for (const [part, digest] of now) {
    if (digest !== recorded[part])
      return {
        kind: 'changed',
        message: 'it was modified',
        detail: `Part ${part} of ${job.totalParts} no longer held the bytes that were sent.`,
      };
  }
  return { kind: 'same' };
}

/**
 * Checks the file before a part leaves and before the job is called done: unchanged (or changed with the same bytes,
 * then its new identity is recorded through `record`) passes; otherwise Restart, saying why.
 */
export async function assertSameContent(
  job: JobRecord,
  record: (patch: JobPatch) => void,
  signal?: AbortSignal,
): Promise<void> {
  const info = await stat(job.path);
  if (sameIdentity(job, info)) return;
  const verdict = await compareSentParts(job, info, signal);
  if (verdict.kind === 'changed') throw new Restart(changedMessage('during the upload', verdict));
  record(identityOf(info));
}

/** Like assertSameContent, for a refused request: a file that cannot be read now is left to the next step. */
export async function assertStillUnchanged(job: JobRecord, record: (patch: JobPatch) => void): Promise<void> {
  try {
    await assertSameContent(job, record);
  } catch (error) {
    if (error instanceof Restart) throw error;
  }
}

/** What a job says when its file changed and it starts over. */
export function changedMessage(when: string, verdict: Extract<ContentVerdict, { kind: 'changed' }>): string {
  return `The file changed ${when} (${verdict.message}); it was uploaded again as a new video.${verdict.detail ? ` ${verdict.detail}` : ''}`;
}
