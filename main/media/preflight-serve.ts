// The worker side of the preflight pool: takes batches of files, checks each at once (the work is mostly waiting on
// the disk) and answers in batches, so a large add costs few messages rather than two a file. Nothing the worker
// loads may import zod (90-270 ms more on every run's start): requests are checked by hand, answers by the pool.
import { basename } from 'node:path';
import type { PreflightResult } from './media-facts';
import type { PreflightAnswer, PreflightFile, PreflightReply, PreflightRequest } from './preflight-messages';

/** The longest a finished answer waits for others to share its message. */
export const ANSWER_WAIT_MS = 10;

/** The worker's end of its channel to the pool (`parentPort`). */
export interface PreflightPort {
  on(event: 'message', listener: (message: unknown) => void): unknown;
  postMessage(reply: PreflightReply): void;
}

/**
 * Serves the pool on `port`: every file of a request starts at once; answers go back once as many are done as still
 * run (so the pool can refill while the rest finish), or within ANSWER_WAIT_MS of the first one waiting, so a file
 * stuck on its disk never holds the answers of the others.
 */
export function servePreflight(port: PreflightPort, probe: (path: string) => Promise<PreflightResult>): void {
  let running = 0;
  let waiting: PreflightAnswer[] = [];
  let timer: NodeJS.Timeout | undefined;

  const send = () => {
    clearTimeout(timer);
    timer = undefined;
    if (waiting.length === 0) return;
    const reply: PreflightReply = { answers: waiting };
    waiting = [];
    port.postMessage(reply);
  };
  const answered = (answer: PreflightAnswer) => {
    running -= 1;
    waiting.push(answer);
    if (waiting.length >= running) send();
    else timer ??= setTimeout(send, ANSWER_WAIT_MS);
  };

  port.on('message', (message: unknown) => {
    const request = readRequest(message);
    if (!request) return;
    for (const { id, path } of request.files) {
      running += 1;
      void check(probe, path).then((result) => answered({ id, result }));
    }
  });
}

/** The pool's request, or undefined for anything else: a non-empty list of files, each an integer id and a path. */
function readRequest(message: unknown): PreflightRequest | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const { files, ...rest } = message as { files?: unknown };
  if (Object.keys(rest).length > 0 || !Array.isArray(files) || files.length === 0) return undefined;
  return files.every(isFile) ? { files } : undefined;
}

function isFile(file: unknown): file is PreflightFile {
  if (typeof file !== 'object' || file === null) return false;
  const { id, path, ...rest } = file as { id?: unknown; path?: unknown };
  return Number.isInteger(id) && typeof path === 'string' && path.length > 0 && Object.keys(rest).length === 0;
}

/** One file's result; a probe that throws says why. (The pool checks the shape of every answer it receives.) */
async function check(probe: (path: string) => Promise<PreflightResult>, path: string): Promise<PreflightResult> {
  try {
    return await probe(path);
  } catch (error) {
    return {
      ok: false,
      code: 'unknown',
      reason: `${basename(path)} could not be checked (${error instanceof Error ? error.message : String(error)})`,
    };
  }
}
