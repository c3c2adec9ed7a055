// The shapes the journal stores, validated with zod when read back: one job's durable facts, and the
// small records appended to the log (job added, fields set, part acknowledged, job removed, settings).
import { z } from 'zod';
import { jobStates } from '../../common/contract/queue';
import { mediaFactsSchema } from '../media/media-facts-schema';
import { sidecarProblemSchema, sidecarSchema } from '../media/sidecars';

/** The job's fields as stored, without defaults: a patch must never gain a key it did not carry. */
const jobFields = z.object({
  id: z.string().min(1),
  /** Order of addition: files finish roughly in this order. */
  seq: z.number().int(),
  path: z.string().min(1),
  name: z.string(),
  size: z.number().int().nonnegative(),
  mtimeMs: z.number(),
  /** The rest of the file's cheap identity when planned (see file-identity.ts): which file, and its last change. */
  dev: z.number().optional(),
  ino: z.number().optional(),
  ctimeMs: z.number().optional(),
  fingerprint: z.string().optional(),
  /** SHA-256 (base64url) of each acknowledged part as it was read for sending, by part number. */
  partDigests: z.record(z.string(), z.string()).optional(),
  /** The whole content's hash once uploaded (see content-hash.ts). */
  contentHash: z.string().optional(),
  profileId: z.string().min(1),
  title: z.string(),
  description: z.string(),
  tags: z.array(z.string()),
  public: z.boolean(),
  state: z.enum(jobStates),
  reason: z.string().optional(),
  createdAt: z.number(),
  finishedAt: z.number().optional(),
  force: z.boolean().optional(),
  /** 'container': API key, video created first; 'token': delegated upload token. */
  mode: z.enum(['container', 'token']).optional(),
  chunkSize: z.number().int().positive().optional(),
  totalParts: z.number().int().positive().optional(),
  /**
   * Sent with byte ranges (automatic sizes): `chunkSize` is then the grid of units (`totalParts` of them) and each
   * request carries a span of whole units chosen as it leaves. Absent: one request per part, `part n/totalParts`.
   */
  byteRanges: z.boolean().optional(),
  /** Spans (first and last unit, inclusive) journaled before they left and not yet acknowledged: re-sent exactly. */
  openSpans: z.array(z.tuple([z.number().int().positive(), z.number().int().positive()])).optional(),
  videoId: z.string().optional(),
  containerCreatedAt: z.number().optional(),
  firstChunkAt: z.number().optional(),
  /** Token uploads: when the first chunk last left without its reply (which names the video) being journaled. */
  firstChunkSentAt: z.number().optional(),
  tokenExpiresAt: z.number().optional(),
  acked: z.array(z.number().int().positive()),
  playerUrl: z.string().optional(),
  embedCode: z.string().optional(),
  mp4Url: z.string().optional(),
  /** The video's thumbnail image, as api.video serves it. */
  thumbnailUrl: z.string().optional(),
  encoding: z.enum(['pending', 'encoding', 'playable', 'failed']).optional(),
  /** Why the details shown are not the video's on the server (see JobView.detailsProblem). */
  detailsProblem: z.string().optional(),
  /** Why it last started over as a new video (kept on the finished job). */
  restartReason: z.string().optional(),
  /** Paused because its profile had no credentials; started again when they are available. */
  waitingForKey: z.boolean().optional(),
  /** How many times this file started over as a new video. */
  restarts: z.number().int().nonnegative(),
  /** The folder (or file) the user added that this file was found in. */
  addedFrom: z.string().optional(),
  /** The media preflight looked at the file (its facts, when it recognised it, are in `media`). */
  checked: z.boolean().optional(),
  /** Why the preflight refused the file (the job is skipped, the reason says more). */
  refused: z.enum(['not-video', 'truncated', 'unknown']).optional(),
  /** The user's word that a file the preflight does not recognise is a video (added with uploadUnrecognised). */
  unrecognisedOk: z.boolean().optional(),
  /** Leave the captions, chapters and thumbnail beside the file alone (added with noSidecars). */
  noSidecars: z.boolean().optional(),
  /** Container, duration, picture and codecs, as the media preflight read them. */
  media: mediaFactsSchema.optional(),
  /** Captions, chapters and thumbnail found beside the file and checked, to send once its source is complete. */
  sidecars: z.array(sidecarSchema).optional(),
  /** Files beside it that will not be sent, each with why. */
  sidecarProblems: z.array(sidecarProblemSchema).optional(),
  /** The sidecars were handed to the sidecar uploader, whose journal (sidecars.json) holds them from then on. */
  sidecarsHanded: z.boolean().optional(),
  /** What a CSV said about the file's media (MediaPatch): default caption, thumbnail, player, watermark. */
  choices: z
    .object({
      captionDefault: z.string(),
      chaptersLanguage: z.string(),
      thumbnail: z.string(),
      thumbnailTimecode: z.string(),
      playerId: z.string(),
      watermarkId: z.string(),
    })
    .partial()
    .strict()
    .optional(),
});

// Journals written before `restarts` existed lack it: a stored job defaults it to 0.
export const storedJobSchema = jobFields.extend({ restarts: jobFields.shape.restarts.default(0) });
export type StoredJob = z.infer<typeof storedJobSchema>;

/** The in-memory job: acknowledged parts as a set for O(1) updates. */
export type JobRecord = Omit<StoredJob, 'acked'> & { acked: Set<number> };
/** Fields a 'set' record may change (acknowledged parts travel in their own records). */
export type JobPatch = Partial<Omit<StoredJob, 'id' | 'acked'>>;

// Built from the fields without defaults: zod 4 fills a default even inside .partial(), which would reset
// `restarts` on every replayed 'set' record.
const jobPatchSchema = jobFields.omit({ id: true, acked: true }).partial();

export const settingsSchema = z.object({
  concurrency: z.number().int().min(1).max(32),
  bandwidthLimit: z.number().int().positive().nullable(),
  chunkSize: z.union([z.number().int().positive(), z.literal('adaptive')]),
  waitForPlayable: z.boolean(),
});

export const logRecordSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('add'), job: storedJobSchema }),
  // `undefined` does not survive JSON: fields to clear are listed in `clear`.
  z.object({ t: z.literal('set'), id: z.string(), patch: jobPatchSchema, clear: z.array(z.string()).optional() }),
  z.object({ t: z.literal('ack'), id: z.string(), part: z.number().int().positive(), digest: z.string().optional() }),
  z.object({ t: z.literal('acks'), id: z.string(), parts: z.array(z.number().int().positive()) }),
  z.object({ t: z.literal('remove'), id: z.string() }),
  z.object({ t: z.literal('settings'), settings: settingsSchema }),
]);
export type LogRecord = z.infer<typeof logRecordSchema>;

export const snapshotSchema = z.object({
  version: z.literal(1),
  generation: z.number().int().nonnegative(),
  jobs: z.array(storedJobSchema),
  settings: settingsSchema.nullable(),
});
export type Snapshot = z.infer<typeof snapshotSchema>;

export function toStored(job: JobRecord): StoredJob {
  return { ...job, acked: [...job.acked].sort((a, b) => a - b) };
}

export function fromStored(job: StoredJob): JobRecord {
  return { ...job, acked: new Set(job.acked) };
}
