// The messages between the preflight pool and its workers. Both ways they carry batches (several files to a
// message), so a large add costs few messages, not one per file. The pool checks every answer with zod
// (`preflightReplySchema`, `preflightAnswerSchema`); the worker checks the pool's requests by hand
// (preflight-serve.ts), since it must start without loading zod (see media-facts.ts).
import { z } from 'zod';
import type { PreflightResult } from './media-facts';
import { preflightResultSchema } from './media-facts-schema';

/** One file to check, by the pool's id for it. */
export interface PreflightFile {
  id: number;
  path: string;
}

/** Pool to worker: files to start checking now (the pool sends no more than the worker should read at once). */
export interface PreflightRequest {
  files: PreflightFile[];
}

/** What one file is, or why it is refused. */
export interface PreflightAnswer {
  id: number;
  result: PreflightResult;
}
export const preflightAnswerSchema = z.object({ id: z.number().int(), result: preflightResultSchema }).strict();

/**
 * Worker to pool: the answers finished since its last reply. The envelope is checked here and each answer on its
 * own (`preflightAnswerSchema`), so one answer that does not validate costs only its own file.
 */
export const preflightReplySchema = z.object({ answers: z.array(z.unknown()).min(1) }).strict();
export interface PreflightReply {
  answers: PreflightAnswer[];
}
