// Files sent alongside videos (captions, chapters, thumbnails, watermarks, player logos): receives the single file
// part of a multipart request and keeps it under the data dir, in the video's folder or in media/<kind>/.
import { mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import type { SandboxContext } from './context';
import { ApiProblem } from './problems';
import { discardReceived, receiveMultipart } from './upload/multipart';

export interface SidecarUpload {
  tmpPath: string;
  size: number;
  filename: string;
  /** the text fields sent with the file */
  fields: Record<string, string>;
}

/** Receives the request's one file part (≤ maxBytes, not empty) into a temp file the caller keeps or discards. */
export async function receiveSidecar(
  ctx: SandboxContext,
  req: IncomingMessage,
  body: Readable,
  maxBytes: number,
): Promise<SidecarUpload> {
  const form = await receiveMultipart(req.headers, body, () => ctx.storage.newTempPath());
  const { file } = form;
  const problem =
    form.fileCount > 1
      ? new ApiProblem('uploaded-file-multiple-files', 'file')
      : !file
        ? new ApiProblem('uploaded-file-no-file', 'file')
        : file.size === 0
          ? new ApiProblem('uploaded-file-empty', 'file')
          : file.tooLarge || file.size > maxBytes
            ? new ApiProblem('uploaded-file-too-large', 'file', `The file must be at most ${maxBytes} bytes.`)
            : null;
  if (problem || !file) {
    discardReceived(form);
    throw problem ?? new ApiProblem('uploaded-file-no-file', 'file');
  }
  return { tmpPath: file.tmpPath, size: file.size, filename: file.filename, fields: form.fields };
}

/** Runs `use` on the received file; the temp file is removed when it throws (and whatever it did not keep). */
export function withSidecar<T>(upload: SidecarUpload, use: (upload: SidecarUpload) => T): T {
  try {
    return use(upload);
  } finally {
    rmSync(upload.tmpPath, { force: true });
  }
}

export const sidecarBytes = (upload: SidecarUpload): Buffer => readFileSync(upload.tmpPath);

/** Moves the received file to `destination` (replacing what was there). */
export function keepSidecar(upload: SidecarUpload, destination: string): void {
  mkdirSync(dirname(destination), { recursive: true, mode: 0o700 });
  renameSync(upload.tmpPath, destination);
}

/** A file belonging to one video: removed with the video's folder when the video is purged. */
export const videoFile = (ctx: SandboxContext, videoId: string, ...segments: string[]): string =>
  join(ctx.storage.videoDir(videoId), ...segments);

/** A file of the account (watermarks, player logos), under <data>/media/. */
export const accountFile = (ctx: SandboxContext, ...segments: string[]): string =>
  join(ctx.storage.dataDir, 'media', ...segments);

export const removeFile = (path: string): void => rmSync(path, { force: true });

/** Empties <data>/media/ (the sandbox reset). */
export function wipeAccountFiles(ctx: SandboxContext): void {
  rmSync(join(ctx.storage.dataDir, 'media'), { recursive: true, force: true });
}
