// The worker side of the preflight pool: takes batches of files, checks each at once (the work is mostly waiting on
// the disk) and answers in batches, each answer validated, so a large add costs few messages rather than two a file.
import { basename } from 'node:path';
import type { PreflightResult } from './media-facts';
import { preflightResultSchema } from './media-facts';
import type { PreflightAnswer, PreflightReply } from './preflight-messages';
import { preflightRequestSchema } from './preflight-messages';

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
    const request = preflightRequestSchema.safeParse(message);
    if (!request.success) return;
    for (const { id, path } of request.data.files) {
      running += 1;
      void check(probe, path).then((result) => answered({ id, result }));
    }
  });
}

/** One file's result, validated before it leaves the worker; a probe that throws (or answers wrong) says why. */
async function check(probe: (path: string) => Promise<PreflightResult>, path: string): Promise<PreflightResult> {
  try {
    return preflightResultSchema.parse(await probe(path));
  } catch (error) {
    return {
      ok: false,
      code: 'unknown',
      reason: `${basename(path)} could not be checked (${error instanceof Error ? error.message : String(error)})`,
    };
  }
}
