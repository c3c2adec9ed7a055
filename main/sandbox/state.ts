// The sandbox's persistent state: its shape (zod schema, validated when read from disk) and an empty value.
import { z } from 'zod';

const uploadSchema = z.object({
  mode: z.enum(['single', 'bytes', 'part']).nullable(),
  totalBytes: z.number().nullable(),
  totalParts: z.number().nullable(),
  /** bytes mode: committed inclusive ranges */
  ranges: z.array(z.object({ from: z.number(), to: z.number() })),
  /** part mode: committed part numbers with their sizes */
  parts: z.array(z.object({ n: z.number(), size: z.number() })),
  firstChunkAt: z.number().nullable(),
  completedAt: z.number().nullable(),
  filesize: z.number().nullable(),
  assembled: z.boolean(),
});

/** A WebVTT file per language (stored as videos/<id>/<kind>/<language>.vtt); only captions use the default flag. */
const textTrackSchema = z.object({ language: z.string(), default: z.boolean().default(false), createdAt: z.number() });

/** An uploaded image (stored as videos/<id>/thumbnail) or a picked timecode; null: the generated poster. */
const thumbnailSchema = z.object({
  kind: z.enum(['uploaded', 'picked']),
  contentType: z.string().nullable(),
  timecode: z.string().nullable(),
});

/** The `video-watermark` given at creation (sizes and offsets as sent). */
const videoWatermarkSchema = z.object({ id: z.string() }).catchall(z.string());

const videoSchema = z.object({
  videoId: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  title: z.string(),
  description: z.string(),
  public: z.boolean(),
  panoramic: z.boolean(),
  mp4Support: z.boolean(),
  tags: z.array(z.string()),
  metadata: z.array(z.object({ key: z.string(), value: z.string() })),
  playerId: z.string().nullable(),
  language: z.string().nullable(),
  /** where the source comes from: an upload, a copy of another video, or a URL download */
  sourceKind: z.enum(['upload', 'copied', 'downloaded']),
  /** the delegated upload token that started this video's upload, if any */
  uploadToken: z.string().nullable(),
  upload: uploadSchema,
  // Added with the second sandbox pass: defaults keep older state files loading.
  captions: z.array(textTrackSchema).default([]),
  chapters: z.array(textTrackSchema).default([]),
  thumbnail: thumbnailSchema.nullable().default(null),
  watermark: videoWatermarkSchema.nullable().default(null),
  /** set when the video was deleted: it waits in /discarded/videos until deletesAt */
  discardedAt: z.number().nullable().default(null),
});

const watermarkSchema = z.object({ watermarkId: z.string(), createdAt: z.number(), contentType: z.string() });

/** A player theme: its settings as last sent (colours and switches) and its logo, stored as media/logos/<playerId>. */
const playerThemeSchema = z.object({
  playerId: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  settings: z.record(z.string(), z.union([z.string(), z.boolean()])),
  logo: z.object({ contentType: z.string(), link: z.string().nullable() }).nullable(),
});

const webhookSchema = z.object({
  webhookId: z.string(),
  createdAt: z.number(),
  events: z.array(z.string()),
  url: z.string(),
  signatureSecret: z.string(),
});

const summarySchema = z.object({
  summaryId: z.string(),
  videoId: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  origin: z.enum(['api', 'auto']),
  sourceStatus: z.enum(['missing', 'waiting', 'failed', 'completed', 'unprocessable']),
  abstract: z.string().nullable(),
  takeaways: z.array(z.string()).nullable(),
});

const uploadTokenSchema = z.object({ token: z.string(), ttl: z.number(), createdAt: z.number() });

export const stateSchema = z.object({
  version: z.literal(1),
  clockOffsetMs: z.number(),
  /** sha256(access token) → expiry (sandbox clock ms) */
  accessTokens: z.record(z.string(), z.number()),
  /** sha256(refresh token) → creation time */
  refreshTokens: z.record(z.string(), z.number()),
  /** sha256(access or refresh token) → id of the API key it was issued for; absent: the sandbox's own key */
  tokenOwners: z.record(z.string(), z.string()).default({}),
  /** ids (sha256) of the extra API keys minted by POST /_sandbox/api-keys */
  addedApiKeys: z.array(z.string()).default([]),
  uploadTokens: z.record(z.string(), uploadTokenSchema),
  videos: z.record(z.string(), videoSchema),
  /** deleted videos, kept (with their files) until their deletesAt, restorable by PATCH /discarded/videos/{id} */
  discardedVideos: z.record(z.string(), videoSchema).default({}),
  watermarks: z.record(z.string(), watermarkSchema).default({}),
  playerThemes: z.record(z.string(), playerThemeSchema).default({}),
  webhooks: z.record(z.string(), webhookSchema).default({}),
  summaries: z.record(z.string(), summarySchema).default({}),
});

export type SandboxState = z.infer<typeof stateSchema>;
export type VideoRecord = z.infer<typeof videoSchema>;
export type UploadState = z.infer<typeof uploadSchema>;
export type UploadTokenRecord = z.infer<typeof uploadTokenSchema>;
export type TextTrackRecord = z.infer<typeof textTrackSchema>;
export type ThumbnailRecord = z.infer<typeof thumbnailSchema>;
export type WatermarkRecord = z.infer<typeof watermarkSchema>;
export type PlayerThemeRecord = z.infer<typeof playerThemeSchema>;
export type WebhookRecord = z.infer<typeof webhookSchema>;
export type SummaryRecord = z.infer<typeof summarySchema>;

export function emptyState(clockOffsetMs = 0): SandboxState {
  return {
    version: 1,
    clockOffsetMs,
    accessTokens: {},
    refreshTokens: {},
    tokenOwners: {},
    addedApiKeys: [],
    uploadTokens: {},
    videos: {},
    discardedVideos: {},
    watermarks: {},
    playerThemes: {},
    webhooks: {},
    summaries: {},
  };
}

export function emptyUpload(): UploadState {
  return {
    mode: null,
    totalBytes: null,
    totalParts: null,
    ranges: [],
    parts: [],
    firstChunkAt: null,
    completedAt: null,
    filesize: null,
    assembled: false,
  };
}
