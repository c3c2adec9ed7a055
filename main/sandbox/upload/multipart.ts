// Receives a multipart/form-data upload with busboy: every file part (whatever its field name) is streamed
// straight to a temp file, never buffered; text fields are collected. Sizes are counted as bytes land.
import { createWriteStream, rmSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { ApiProblem } from '../problems';
import { MAX_CHUNK_BYTES } from './rules';

export interface ReceivedFile {
  tmpPath: string;
  size: number;
  filename: string;
  /** more than the per-chunk maximum arrived; the excess was discarded */
  tooLarge: boolean;
}

export interface ReceivedForm {
  fields: Record<string, string>;
  /** files beyond the first are counted but not stored */
  fileCount: number;
  file: ReceivedFile | null;
}

export function isMultipart(headers: IncomingHttpHeaders): boolean {
  return /^multipart\/form-data\s*;.*boundary=/i.test(headers['content-type'] ?? '');
}

export function discardReceived(form: ReceivedForm | null): void {
  if (form?.file) rmSync(form.file.tmpPath, { force: true });
}

/** Streams the body to disk. Throws uploaded-file-invalid-file for a malformed body; cleans up on failure. */
export function receiveMultipart(
  headers: IncomingHttpHeaders,
  body: Readable,
  newTempPath: () => string,
): Promise<ReceivedForm> {
  if (!isMultipart(headers)) {
    throw new ApiProblem(
      'uploaded-file-no-file',
      'file',
      `Send the video as multipart/form-data (received Content-Type ${JSON.stringify(headers['content-type'] ?? '')}).`,
    );
  }
  return new Promise<ReceivedForm>((resolve, reject) => {
    const form: ReceivedForm = { fields: {}, fileCount: 0, file: null };
    const writes: Promise<void>[] = [];
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      body.unpipe(parser);
      body.resume();
      void Promise.allSettled(writes).then(() => discardReceived(form));
      reject(
        error instanceof ApiProblem
          ? error
          : new ApiProblem(
              'uploaded-file-invalid-file',
              'file',
              `The multipart body could not be read: ${(error as Error).message}.`,
            ),
      );
    };
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers,
        defParamCharset: 'utf8',
        highWaterMark: 1024 * 1024,
        fileHwm: 1024 * 1024,
        limits: { fileSize: MAX_CHUNK_BYTES + 1, fields: 50, fieldSize: 64 * 1024, parts: 100, headerPairs: 100 },
      });
    } catch (error) {
      reject(
        new ApiProblem(
          'uploaded-file-invalid-file',
          'file',
          `The multipart body could not be read: ${(error as Error).message}.`,
        ),
      );
      return;
    }
    parser.on('field', (name, value) => {
      form.fields[name] = value;
    });
    parser.on('file', (_name, stream, info) => {
      form.fileCount += 1;
      if (form.fileCount > 1) {
        stream.resume();
        return;
      }
      const file: ReceivedFile = { tmpPath: newTempPath(), size: 0, filename: info.filename ?? '', tooLarge: false };
      form.file = file;
      stream.on('data', (chunk: Buffer) => {
        file.size += chunk.length;
      });
      stream.on('limit', () => {
        file.tooLarge = true;
      });
      writes.push(pipeline(stream, createWriteStream(file.tmpPath, { highWaterMark: 1024 * 1024, mode: 0o600 })));
    });
    parser.on('error', fail);
    parser.on('close', () => {
      Promise.all(writes).then(() => {
        if (settled) return;
        settled = true;
        resolve(form);
      }, fail);
    });
    body.on('error', fail);
    body.on('aborted', () => fail(new Error('the request was aborted')));
    body.pipe(parser);
  });
}
