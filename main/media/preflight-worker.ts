// The preflight worker thread: takes file paths from the pool, probes each (several at once: the work is
// mostly waiting on the disk) and posts back a validated result per path.
import { basename } from 'node:path';
import { parentPort } from 'node:worker_threads';
import type { PreflightResult } from './media-facts';
import type { PreflightReply } from './preflight-messages';
import { preflightReplySchema, preflightRequestSchema } from './preflight-messages';
import { probeFile } from './probe';

const port = parentPort;
if (!port) throw new Error('preflight-worker runs as a worker thread, started by the preflight pool');

port.on('message', (message: unknown) => {
  const request = preflightRequestSchema.safeParse(message);
  if (!request.success) return;
  const { id, path } = request.data;
  const failed = (error: unknown): PreflightResult => ({
    ok: false,
    code: 'unknown',
    reason: `${basename(path)} could not be checked (${error instanceof Error ? error.message : String(error)})`,
  });
  void probeFile(path)
    .catch(failed)
    .then((result) => {
      const reply: PreflightReply = preflightReplySchema.parse({ id, result });
      port.postMessage(reply);
    });
});
