// What to do about a failed request: count it as done, retry later, wait for the network, start over as a
// new video, or fail the file. Pure: the engine acts on the verdict. Its message becomes the job's reason, so it
// leaves redacted: a server's text may echo the credentials it was sent.
import { ApiVideoError, serverWaitSentence } from '../apivideo/index';
import { redact } from '../log/redact';
import { cappedServerWait, MAX_SERVER_WAIT_MS } from './backoff';

export type Verdict =
  /** The server already holds this part ('part already sent' / 'range overlap'). */
  | { kind: 'already-have' }
  /** The server holds the whole source already. */
  | { kind: 'source-complete' }
  /**
   * Try again, spending the retry budget (a 5xx, a 429, or a server that is up but whose reply was too slow, endless,
   * too big or not api.video's). `retryAfterSeconds` is the server's wait, already capped (backoff.MAX_SERVER_WAIT_MS);
   * `requestedWaitSeconds` is what it asked for when that was longer, and the message then says so.
   */
  | { kind: 'retry'; message: string; rateLimited: boolean; retryAfterSeconds?: number; requestedWaitSeconds?: number }
  /** Could not reach the server (no connection, or lost before any byte of reply): probe before deciding between retry and offline. */
  | { kind: 'network'; message: string }
  /** The video is gone from the server. */
  | { kind: 'gone'; message: string }
  | { kind: 'fail'; message: string; auth: boolean };

const alreadySent = new Set([
  'video-content-range-by-part-part-already-sent',
  'video-content-range-by-bytes-range-overlap',
]);

/**
 * `serverWaitCapMs`: the longest single wait a server may ask for (the engine's retry policy, 5 min by default).
 * Every known key and token in the verdict's message is masked (see main/log/redact.ts).
 */
export function classifyFailure(error: unknown, serverWaitCapMs = MAX_SERVER_WAIT_MS): Verdict {
  const verdict = verdictOf(error, serverWaitCapMs);
  return 'message' in verdict ? { ...verdict, message: redact(verdict.message) } : verdict;
}

function verdictOf(error: unknown, serverWaitCapMs: number): Verdict {
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
      case 'server':
        return serverRetry(error, error.kind === 'rate-limit', serverWaitCapMs);
      case 'invalid-response':
      case 'redirect':
      case 'aborted':
        return { kind: 'retry', message: error.message, rateLimited: false };
      case 'network':
      case 'timeout':
        // Connected, but the reply was too slow or broke off: the server is up, so this spends retries.
        if (error.replyFault) return { kind: 'retry', message: error.message, rateLimited: false };
        return { kind: 'network', message: error.message };
    }
  }
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT')
    return { kind: 'fail', message: 'The file was moved or deleted before it finished uploading.', auth: false };
  if (code === 'EACCES' || code === 'EPERM')
    return { kind: 'fail', message: 'The file can no longer be read (permission denied).', auth: false };
  return { kind: 'fail', message: error instanceof Error ? error.message : String(error), auth: false };
}

/** A 429 or 5xx: retry, keeping the server's wait when it asked for one, cut to the longest single wait. */
function serverRetry(error: ApiVideoError, rateLimited: boolean, capMs: number): Verdict {
  const requested = error.retryAfterSeconds;
  if (requested === undefined) return { kind: 'retry', message: error.message, rateLimited };
  const kept = cappedServerWait(requested, capMs);
  if (kept === requested) return { kind: 'retry', message: error.message, rateLimited, retryAfterSeconds: requested };
  const asked = serverWaitSentence(requested);
  const told = serverWaitSentence(requested, kept);
  const message = error.message.includes(asked) ? error.message.replace(asked, told) : `${error.message} ${told}`;
  return { kind: 'retry', message, rateLimited, retryAfterSeconds: kept, requestedWaitSeconds: requested };
}
