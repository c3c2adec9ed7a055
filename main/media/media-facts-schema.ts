// The runtime checks of media facts and preflight results, where they cross a boundary: a worker's answer reaching
// the pool (preflight-messages.ts), a job record read back from the journal (records.ts). The types: media-facts.ts.
import { z } from 'zod';
import { refusalCodes, type MediaFacts, type PreflightResult } from './media-facts';

export const mediaFactsSchema = z
  .object({
    container: z.string().min(1),
    durationSec: z.number().nonnegative().finite().optional(),
    width: z.number().int().positive().optional(),
    height: z.number().int().positive().optional(),
    fps: z.number().positive().finite().optional(),
    videoCodec: z.string().min(1).optional(),
    audioCodec: z.string().min(1).optional(),
  })
  .strict();

export const preflightResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), facts: mediaFactsSchema }).strict(),
  z.object({ ok: z.literal(false), code: z.enum(refusalCodes), reason: z.string().min(1) }).strict(),
]);

/** True only when A and B are the same type: a field added to a type and not to its schema fails the build. */
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemasMatchTheTypes: [
  Exactly<z.infer<typeof mediaFactsSchema>, MediaFacts>,
  Exactly<z.infer<typeof preflightResultSchema>, PreflightResult>,
] = [true, true];
void schemasMatchTheTypes;
