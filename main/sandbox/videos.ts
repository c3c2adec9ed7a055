// Videos: create (empty container, or a copy/URL source), list with filters and sorting, get, patch, delete,
// and the JSON shape the API returns (assets pointing at the sandbox, private tokens minted per retrieval).
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { z } from 'zod';
import type { SandboxContext } from './context';
import type { VideoRecord } from './state';
import { emptyUpload } from './state';
import { ApiProblem } from './problems';
import { atom } from './clock';
import { isVideoId, newVideoId } from './ids';
import { ASSET_PATHS, vodPrefix } from './vod-urls';
import { enumParam } from './http';
import { paginate } from './pagination';
import { parseOrThrow } from './payloads';
import { checkVideoWatermark, videoWatermarkPayload } from './watermarks';
import { checkPlayerId } from './player-themes';

const LANGUAGES = [
  'ar',
  'ca',
  'cs',
  'da',
  'de',
  'el',
  'en',
  'es',
  'fa',
  'fi',
  'fr',
  'he',
  'hi',
  'hr',
  'hu',
  'it',
  'ja',
  'ko',
  'ml',
  'nl',
  'nn',
  'no',
  'pl',
  'pt',
  'ru',
  'sk',
  'sl',
  'te',
  'tr',
  'uk',
  'ur',
  'vi',
  'zh',
] as const;

const metadataSchema = z.array(z.object({ key: z.string(), value: z.string() }));
const summaryAttributes = z.array(z.enum(['abstract', 'takeaways']));

const updatableFields = {
  title: z.string(),
  description: z.string(),
  public: z.boolean(),
  panoramic: z.boolean(),
  mp4Support: z.boolean(),
  tags: z.array(z.string()),
  metadata: metadataSchema,
  language: z.enum(LANGUAGES).nullable(),
  transcript: z.boolean(),
  transcriptSummary: z.boolean(),
  transcriptSummaryAttributes: summaryAttributes,
};

const creationPayload = z
  .object({
    ...updatableFields,
    title: z.string().min(1),
    source: z.string(),
    playerId: z.string(),
    clip: z.object({ startTimecode: z.string(), endTimecode: z.string() }).partial(),
    watermark: videoWatermarkPayload,
  })
  .partial({
    description: true,
    public: true,
    panoramic: true,
    mp4Support: true,
    tags: true,
    metadata: true,
    language: true,
    transcript: true,
    transcriptSummary: true,
    transcriptSummaryAttributes: true,
    source: true,
    playerId: true,
    clip: true,
    watermark: true,
  });

const updatePayload = z.object({ ...updatableFields, playerId: z.string().nullable() }).partial();

export function newVideoRecord(ctx: SandboxContext, title: string): VideoRecord {
  const now = ctx.clock.now();
  return {
    videoId: newVideoId(),
    createdAt: now,
    updatedAt: now,
    title,
    description: '',
    public: true,
    panoramic: false,
    mp4Support: true,
    tags: [],
    metadata: [],
    playerId: null,
    language: null,
    sourceKind: 'upload',
    uploadToken: null,
    upload: emptyUpload(),
    captions: [],
    chapters: [],
    thumbnail: null,
    watermark: null,
    discardedAt: null,
  };
}

export function findVideo(ctx: SandboxContext, videoId: string): VideoRecord {
  const video = isVideoId(videoId) ? ctx.state.videos[videoId] : undefined;
  if (!video) throw new ApiProblem('resource-not-found', 'videoId');
  return video;
}

/** POST /videos → [status, video]. A `source` copies another video (videoId) or "downloads" a URL (202). */
export function createVideo(ctx: SandboxContext, body: unknown): [number, VideoRecord] {
  const payload = parseOrThrow(creationPayload, body);
  if (payload.watermark !== undefined) checkVideoWatermark(ctx, payload.watermark);
  if (payload.playerId !== undefined) checkPlayerId(ctx, payload.playerId);
  const video = newVideoRecord(ctx, payload.title);
  applyChanges(video, payload);
  if (payload.playerId !== undefined) video.playerId = payload.playerId;
  if (payload.watermark !== undefined) video.watermark = payload.watermark;
  let status = 201;
  if (payload.source !== undefined) {
    status = 202;
    attachSource(ctx, video, payload.source);
  }
  ctx.state.videos[video.videoId] = video;
  ctx.save();
  return [status, video];
}

function attachSource(ctx: SandboxContext, video: VideoRecord, source: string): void {
  const now = ctx.clock.now();
  const done = { ...emptyUpload(), firstChunkAt: now, completedAt: now };
  if (/^https?:\/\//i.test(source)) {
    video.sourceKind = 'downloaded';
    video.upload = { ...done, assembled: true };
    return;
  }
  const original = isVideoId(source) ? ctx.state.videos[source] : undefined;
  if (!original)
    throw new ApiProblem(
      'invalid-attribute',
      'source',
      '"source" must be an http(s) URL or the videoId of an existing video.',
    );
  const originalSource = ctx.storage.sourcePath(original.videoId);
  if (!original.upload.assembled || !existsSync(originalSource)) {
    throw new ApiProblem('invalid-attribute', 'source', `The video ${source} has no uploaded source to copy yet.`);
  }
  mkdirSync(ctx.storage.videoDir(video.videoId), { recursive: true, mode: 0o700 });
  copyFileSync(originalSource, ctx.storage.sourcePath(video.videoId));
  video.sourceKind = 'copied';
  video.upload = { ...done, filesize: original.upload.filesize, assembled: true };
}

function applyChanges(
  video: VideoRecord,
  changes: z.infer<typeof updatePayload> | z.infer<typeof creationPayload>,
): void {
  if (changes.title !== undefined) video.title = changes.title;
  if (changes.description !== undefined) video.description = changes.description;
  if (changes.public !== undefined) video.public = changes.public;
  if (changes.panoramic !== undefined) video.panoramic = changes.panoramic;
  if (changes.mp4Support !== undefined) video.mp4Support = changes.mp4Support;
  if (changes.tags !== undefined) video.tags = [...new Set(changes.tags)];
  if (changes.metadata !== undefined) video.metadata = changes.metadata;
  if (changes.language !== undefined) video.language = changes.language;
}

export function updateVideo(ctx: SandboxContext, videoId: string, body: unknown): VideoRecord {
  const video = findVideo(ctx, videoId);
  const changes = parseOrThrow(updatePayload, body);
  if (typeof changes.playerId === 'string') checkPlayerId(ctx, changes.playerId);
  applyChanges(video, changes);
  if (changes.playerId !== undefined) video.playerId = changes.playerId;
  video.updatedAt = ctx.clock.now();
  ctx.save();
  return video;
}

/** A discarded video is purged (record and files) this long after it was deleted. */
export const DISCARD_KEEP_MS = 90 * 24 * 3600 * 1000;

/** GET /videos (and /discarded/videos) filters: title/description contain, tags[] all present, metadata[key]=value. */
export function listVideos(
  ctx: SandboxContext,
  query: URLSearchParams,
  records: VideoRecord[] = Object.values(ctx.state.videos),
  path = '/videos',
) {
  const sortBy = enumParam(query, 'sortBy', ['title', 'createdAt', 'publishedAt', 'updatedAt'] as const, 'createdAt');
  const sortOrder = enumParam(query, 'sortOrder', ['asc', 'desc'] as const, 'asc');
  const title = query.get('title')?.toLowerCase();
  const description = query.get('description')?.toLowerCase();
  const tags = [...query.getAll('tags[]'), ...query.getAll('tags')];
  const metadata: [string, string][] = [];
  for (const [name, value] of query) {
    const match = /^metadata\[(.+)\]$/.exec(name);
    if (match) metadata.push([match[1]!, value]);
  }
  const matches = (video: VideoRecord) =>
    (title === undefined || video.title.toLowerCase().includes(title)) &&
    (description === undefined || video.description.toLowerCase().includes(description)) &&
    tags.every((tag) => video.tags.includes(tag)) &&
    metadata.every(([key, value]) => video.metadata.some((entry) => entry.key === key && entry.value === value));
  const sortKey = (video: VideoRecord): string | number =>
    sortBy === 'title' ? video.title : sortBy === 'updatedAt' ? video.updatedAt : video.createdAt;
  const direction = sortOrder === 'asc' ? 1 : -1;
  const found = records.filter(matches);
  found.sort((a, b) => {
    const [left, right] = [sortKey(a), sortKey(b)];
    return direction * (left < right ? -1 : left > right ? 1 : a.createdAt - b.createdAt);
  });
  return paginate(
    found.map((video) => presentVideo(ctx, video)),
    ctx.baseUrl,
    path,
    query,
  );
}

function assetUrls(ctx: SandboxContext, video: VideoRecord) {
  const base = vodPrefix(ctx.baseUrl, video.videoId, null);
  const token = video.public ? null : ctx.mintPrivateToken(video.videoId);
  const player = token === null ? base : `${base}?token=${token}`;
  const prefix = vodPrefix(ctx.baseUrl, video.videoId, token);
  return {
    iframe: `<iframe src="${player}" width="100%" height="100%" frameborder="0" scrolling="no" allowfullscreen=""></iframe>`,
    player,
    hls: `${prefix}/${ASSET_PATHS.hls}`,
    thumbnail: `${prefix}/${ASSET_PATHS.thumbnail}`,
    ...(video.mp4Support ? { mp4: `${prefix}/${ASSET_PATHS.mp4}` } : {}),
  };
}

/**
 * The `video` object of the spec. Each call for a private video mints a new single-use token. A discarded video
 * says when it was discarded and when it will be deleted, and has no assets.
 */
export function presentVideo(ctx: SandboxContext, video: VideoRecord) {
  return {
    videoId: video.videoId,
    createdAt: atom(video.createdAt),
    title: video.title,
    description: video.description,
    publishedAt: atom(video.createdAt),
    updatedAt: atom(video.updatedAt),
    ...(video.discardedAt === null
      ? { discarded: false }
      : {
          discarded: true,
          discardedAt: atom(video.discardedAt),
          deletesAt: atom(video.discardedAt + DISCARD_KEEP_MS),
        }),
    tags: video.tags,
    metadata: video.metadata,
    source: { type: 'upload', uri: `/videos/${video.videoId}/source` },
    ...(video.discardedAt === null ? { assets: assetUrls(ctx, video) } : {}),
    ...(video.playerId ? { playerId: video.playerId } : {}),
    public: video.public,
    panoramic: video.panoramic,
    mp4Support: video.mp4Support,
    ...(video.language ? { language: video.language, languageOrigin: 'api' } : {}),
  };
}
