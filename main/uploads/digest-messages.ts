// The messages between the engine and its digest worker (main/uploads/digest-worker.ts): where the bytes a request
// read are (in the shared ring, or a copy of their own), in order; back, each unit's SHA-256 and how far it hashed.
import { z } from 'zod';

/** Engine to worker, first: the ring the engine copies bytes into (shared memory: no copy per message). */
export interface DigestRing {
  kind: 'ring';
  ring: SharedArrayBuffer;
}

/**
 * Engine to worker: the next bytes of stream `id`, at `at` in the ring (`length` bytes), or in `bytes` when the ring
 * had no room; `endsUnit`: they complete a unit that is not the stream's last.
 */
export interface DigestBytes {
  kind: 'bytes';
  id: number;
  at: number;
  length: number;
  bytes?: Uint8Array;
  endsUnit: boolean;
}

/** Engine to worker: stream `id` read its last byte (its last unit ends here): answer its digests. */
export interface DigestEnd {
  kind: 'end';
  id: number;
}

/** Engine to worker: stream `id` was abandoned (a failed attempt): forget it. */
export interface DigestDrop {
  kind: 'drop';
  id: number;
}

export type DigestRequest = DigestBytes | DigestEnd | DigestDrop;

/** Engine to worker: requests in order, several to a message (each message wakes the thread: that is its cost). */
export interface DigestBatch {
  kind: 'batch';
  requests: DigestRequest[];
}

export type DigestMessage = DigestRing | DigestBatch;

/** Worker to engine: the digests (base64url SHA-256) of each unit of a finished stream, in order. */
export const digestsReplySchema = z
  .object({ kind: z.literal('digests'), id: z.number().int(), digests: z.array(z.string()) })
  .strict();

/** Worker to engine: this many more bytes of the ring were hashed (their room may be written again). */
export const hashedReplySchema = z
  .object({ kind: z.literal('hashed'), bytes: z.number().int().nonnegative() })
  .strict();

export const digestReplySchema = z.discriminatedUnion('kind', [digestsReplySchema, hashedReplySchema]);
export type DigestReply = z.infer<typeof digestReplySchema>;
