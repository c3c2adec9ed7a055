// Runtime schemas (zod) for every api.video body Convoy sends or reads, and the types derived from them.
// Replies are parsed leniently (unknown fields kept, most fields optional), as the official spec declares them.
import { z } from 'zod';

// ---- errors ------------------------------------------------------------------------------------

const problemItem = z.looseObject({
  type: z.string().optional(),
  title: z.string().optional(),
  name: z.string().optional(),
});

/** The problem-details-like body api.video answers with on errors (spec schemas bad-request, not-found, ...). */
export const problemSchema = z.looseObject({
  type: z.string().optional(),
  title: z.string().optional(),
  status: z.number().optional(),
  name: z.string().optional(),
  detail: z.string().optional(),
  problems: z.array(problemItem).optional(),
});
export type Problem = z.infer<typeof problemSchema>;

// ---- auth --------------------------------------------------------------------------------------

export const accessTokenSchema = z.looseObject({
  token_type: z.string().optional(),
  expires_in: z.number().int().positive(),
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
});
export type AccessToken = z.infer<typeof accessTokenSchema>;

// ---- pagination --------------------------------------------------------------------------------

export const paginationSchema = z.looseObject({
  itemsTotal: z.number().int(),
  pagesTotal: z.number().int(),
  pageSize: z.number().int(),
  currentPage: z.number().int(),
  currentPageItems: z.number().int(),
  links: z.array(z.looseObject({ rel: z.string(), uri: z.string() })).optional(),
});
export type Pagination = z.infer<typeof paginationSchema>;

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), pagination: paginationSchema });
}
export interface Page<T> {
  data: T[];
  pagination: Pagination;
}

// ---- upload tokens -----------------------------------------------------------------------------

export const uploadTokenSchema = z.looseObject({
  token: z.string().min(1),
  ttl: z.number().int().min(0),
  createdAt: z.string(),
  /** Absent (or null) when the token never expires. */
  expiresAt: z.string().nullable().optional(),
});
export type UploadToken = z.infer<typeof uploadTokenSchema>;

export interface UploadTokenListQuery {
  currentPage?: number;
  pageSize?: number;
  sortBy?: 'createdAt' | 'ttl';
  sortOrder?: 'asc' | 'desc';
}

// ---- videos ------------------------------------------------------------------------------------

const metadataSchema = z.array(z.object({ key: z.string(), value: z.string() }));

export const videoSchema = z.looseObject({
  videoId: z.string().min(1),
  createdAt: z.string().optional(),
  title: z.string().optional(),
  description: z.string().optional(),
  publishedAt: z.string().optional(),
  updatedAt: z.string().optional(),
  discarded: z.boolean().optional(),
  language: z.string().nullable().optional(),
  tags: z.array(z.string()).optional(),
  metadata: metadataSchema.optional(),
  source: z.looseObject({ uri: z.string().optional(), type: z.string().optional() }).optional(),
  assets: z
    .looseObject({
      iframe: z.string().optional(),
      player: z.string().optional(),
      hls: z.string().optional(),
      thumbnail: z.string().optional(),
      mp4: z.string().optional(),
    })
    .optional(),
  playerId: z.string().nullable().optional(),
  public: z.boolean().optional(),
  panoramic: z.boolean().optional(),
  mp4Support: z.boolean().optional(),
});
export type Video = z.infer<typeof videoSchema>;

export const videoStatusSchema = z.looseObject({
  ingest: z
    .looseObject({
      status: z.string().optional(),
      filesize: z.number().nullable().optional(),
      receivedBytes: z.array(z.object({ from: z.number(), to: z.number(), total: z.number() })).optional(),
      receivedParts: z
        .looseObject({ parts: z.array(z.number().int()), total: z.number().int().nullable().optional() })
        .optional(),
    })
    .optional(),
  encoding: z
    .looseObject({
      playable: z.boolean(),
      qualities: z
        .array(
          z.looseObject({ type: z.string().optional(), quality: z.string().optional(), status: z.string().optional() }),
        )
        .optional(),
      metadata: z.record(z.string(), z.unknown()).nullable().optional(),
    })
    .optional(),
});
export type VideoStatus = z.infer<typeof videoStatusSchema>;

/** POST /videos body (spec video-creation-payload; the fields Convoy uses). */
export const videoCreationPayloadSchema = z.object({
  title: z.string().min(1),
  description: z.string().optional(),
  public: z.boolean().optional(),
  panoramic: z.boolean().optional(),
  mp4Support: z.boolean().optional(),
  playerId: z.string().optional(),
  tags: z.array(z.string()).optional(),
  metadata: metadataSchema.optional(),
  language: z.string().nullable().optional(),
  /** A watermark (by id) drawn on the video: api.video takes it only when the video is created. */
  watermark: z.object({ id: z.string() }).optional(),
});
export type VideoCreationPayload = z.infer<typeof videoCreationPayloadSchema>;

/** PATCH /videos/{id} body (spec video-update-payload): arrays replace the stored ones. */
export const videoUpdatePayloadSchema = videoCreationPayloadSchema.omit({ watermark: true }).partial().extend({
  playerId: z.string().nullable().optional(),
});
export type VideoUpdatePayload = z.infer<typeof videoUpdatePayloadSchema>;

export interface VideoListQuery {
  title?: string;
  description?: string;
  tags?: string[];
  /** Filters on metadata key/value pairs (serialized as metadata[key]=value). */
  metadata?: Record<string, string>;
  sortBy?: 'title' | 'createdAt' | 'publishedAt' | 'updatedAt';
  sortOrder?: 'asc' | 'desc';
  currentPage?: number;
  pageSize?: number;
}

/** Turns a video list query into api.video's query-string form (tags[]=a&metadata[k]=v). */
export function videoListSearch(query: VideoListQuery): URLSearchParams {
  const search = new URLSearchParams();
  if (query.title !== undefined) search.set('title', query.title);
  if (query.description !== undefined) search.set('description', query.description);
  for (const tag of query.tags ?? []) search.append('tags[]', tag);
  for (const [key, value] of Object.entries(query.metadata ?? {})) search.append(`metadata[${key}]`, value);
  appendPaging(search, query);
  return search;
}

export function appendPaging(
  search: URLSearchParams,
  query: { sortBy?: string; sortOrder?: string; currentPage?: number; pageSize?: number },
): URLSearchParams {
  if (query.sortBy !== undefined) search.set('sortBy', query.sortBy);
  if (query.sortOrder !== undefined) search.set('sortOrder', query.sortOrder);
  if (query.currentPage !== undefined) search.set('currentPage', String(query.currentPage));
  if (query.pageSize !== undefined) search.set('pageSize', String(query.pageSize));
  return search;
}
