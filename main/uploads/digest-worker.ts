// The digest worker thread: the SHA-256 of each unit of the bytes the engine reads for sending, taken off the main
// thread (which then only reads, copies and sends). Its client is main/uploads/unit-digests.ts.
import { createHash, type Hash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import type { DigestMessage, DigestReply, DigestRequest } from './digest-messages';

const port = parentPort;
if (!port) throw new Error('digest-worker runs as a worker thread, started by main/uploads/unit-digests.ts');

interface Stream {
  hash: Hash;
  digests: string[];
}

const streams = new Map<number, Stream>();
let ring: Uint8Array | null = null;
/** Ring bytes hashed and not yet reported; reported once per turn, however many messages the turn took. */
let unreported = 0;
let reportSoon = false;

const send = (reply: DigestReply) => port.postMessage(reply);

function report(): void {
  reportSoon = false;
  send({ kind: 'hashed', bytes: unreported });
  unreported = 0;
}

// The messages come from the engine's own thread (no zod here: the thread starts with the first upload, and zod's
// load would delay it by a tenth of a second); their shape is checked, and anything else is ignored.
port.on('message', (message: DigestMessage) => {
  if (typeof message !== 'object' || message === null) return;
  if (message.kind === 'ring' && message.ring instanceof SharedArrayBuffer) ring = new Uint8Array(message.ring);
  if (message.kind === 'batch' && Array.isArray(message.requests))
    for (const request of message.requests) serve(request);
});

function serve(request: DigestRequest): void {
  if (typeof request !== 'object' || request === null || typeof request.id !== 'number') return;
  let stream = streams.get(request.id);
  switch (request.kind) {
    case 'bytes': {
      const own = request.bytes instanceof Uint8Array ? request.bytes : null;
      if (!own && !ring) return;
      if (!stream) streams.set(request.id, (stream = { hash: createHash('sha256'), digests: [] }));
      stream.hash.update(own ?? ring!.subarray(request.at, request.at + request.length));
      if (request.endsUnit) {
        stream.digests.push(stream.hash.digest('base64url'));
        stream.hash = createHash('sha256');
      }
      if (own) return;
      unreported += request.length;
      if (!reportSoon) {
        reportSoon = true;
        setImmediate(report);
      }
      return;
    }
    case 'end': {
      const digests = stream?.digests ?? [];
      digests.push((stream?.hash ?? createHash('sha256')).digest('base64url'));
      streams.delete(request.id);
      send({ kind: 'digests', id: request.id, digests });
      return;
    }
    case 'drop':
      streams.delete(request.id);
      return;
  }
}
