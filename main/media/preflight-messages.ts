// The messages between the preflight pool and its workers, as zod schemas: each side checks what it receives.
import { z } from 'zod';
import { preflightResultSchema } from './media-facts';

export const preflightRequestSchema = z.object({ id: z.number().int(), path: z.string().min(1) }).strict();
export type PreflightRequest = z.infer<typeof preflightRequestSchema>;

export const preflightReplySchema = z.object({ id: z.number().int(), result: preflightResultSchema }).strict();
export type PreflightReply = z.infer<typeof preflightReplySchema>;
