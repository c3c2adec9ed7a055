// The messages between the preflight pool and its workers, as zod schemas: each side checks what it receives.
// Both ways they carry batches (several files to a message), so a large add costs few messages, not one per file.
import { z } from 'zod';
import { preflightResultSchema } from './media-facts';

/** One file to check, by the pool's id for it. */
export const preflightFileSchema = z.object({ id: z.number().int(), path: z.string().min(1) }).strict();

/** Pool to worker: files to start checking now (the pool sends no more than the worker should read at once). */
export const preflightRequestSchema = z.object({ files: z.array(preflightFileSchema).min(1) }).strict();
export type PreflightRequest = z.infer<typeof preflightRequestSchema>;

/** What one file is, or why it is refused. */
export const preflightAnswerSchema = z.object({ id: z.number().int(), result: preflightResultSchema }).strict();
export type PreflightAnswer = z.infer<typeof preflightAnswerSchema>;

/**
 * Worker to pool: the answers finished since its last reply. The envelope is checked here and each answer on its
 * own (`preflightAnswerSchema`), so one answer that does not validate costs only its own file.
 */
export const preflightReplySchema = z.object({ answers: z.array(z.unknown()).min(1) }).strict();
export interface PreflightReply {
  answers: PreflightAnswer[];
}
