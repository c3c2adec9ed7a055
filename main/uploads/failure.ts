// What to do about a failed request: count it as done, retry later, wait for the network, start over as a
// new video, or fail the file. Pure: the engine acts on the verdict.
import { ApiVideoError } from '../apivideo/index';

export type Verdict =
  /** The server already holds this part ('part already sent' / 'range overlap'). */
  | { kind: 'already-have' }
  /** The server holds the whole source already. */
  | { kind: 'source-complete' }
  | { kind: 'retry'; message: string; rateLimited: boolean; retryAfterSeconds?: number }
  /** Could not reach the server: probe before deciding between retry and offline. */
  | { kind: 'network'; message: string }
  /** The video is gone from the server. */
  | { kind: 'gone'; message: string }
  | { kind: 'fail'; message: string; auth: boolean };

const alreadySent = new Set([
  'video-content-range-by-part-part-already-sent',
  'video-content-range-by-bytes-range-overlap',
]);

export function classifyFailure(error: unknown): Verdict {
  if (error instanceof ApiVideoError) {
    switch (error.kind) {
      case 'bad-request':
        if (error.slug && alreadySent.has(error.slug)) return { kind: 'already-have' };
        if (error.slug === 'video-source-already-uploaded') return { kind: 'source-complete' };
        if (error.slug === 'video-upload-window-expired') return { kind: 'gone', message: error.message };
        return { kind: 'fail', message: error.message, auth: false };
      case 'auth':
        return { kind: 'fail', message: error.message, auth: true };
      case 'not-found':
        return { kind: 'gone', message: error.message };
      case 'rate-limit':
        return {
          kind: 'retry',
          message: error.message,
          rateLimited: true,
          ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
        };
      case 'server':
      case 'invalid-response':
      case 'aborted':
        return { kind: 'retry', message: error.message, rateLimited: false };
      case 'network':
      case 'timeout':
        return { kind: 'network', message: error.message };
    }
  }
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return { kind: 'fail', message: 'The file was moved or deleted before it finished uploading.', auth: false };
  if (code === 'EACCES' || code === 'EPERM') return { kind: 'fail', message: 'The file can no longer be read (permission denied).', auth: false };
  return { kind: 'fail', message: error instanceof Error ? error.message : String(error), auth: false };
}
