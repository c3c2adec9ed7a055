// Captions and chapters: one WebVTT file per language on a video (upload replaces, get, list, delete; a caption
// can be made the video's default), stored as videos/<id>/<kind>/<language>.vtt and served under /vod/<id>/.
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { SandboxContext } from './context';
import type { CaptionRecord, ChapterRecord, VideoRecord } from './state';
import { ApiProblem } from './problems';
import { findVideo } from './videos';
import { parseOrThrow } from './payloads';
import { parseLanguageTag } from './language-tags';
import { paginate } from './pagination';
import { keepSidecar, receiveSidecar, removeFile, sidecarBytes, videoFile, withSidecar } from './sidecar-files';

export type TrackKind = 'captions' | 'chapters';

/** The largest WebVTT file accepted (api.video documents no limit; a text track this size is already absurd). */
export const MAX_VTT_BYTES = 10 * 1024 * 1024;
export const VTT_CONTENT_TYPE = 'text/vtt; charset=utf-8';

const captionUpdatePayload = z.object({ default: z.boolean() }).partial();

/** WebVTT (W3C §4.1): optional BOM, "WEBVTT", then end of file, a space, a tab or a line break; UTF-8 throughout. */
export function checkWebVtt(bytes: Buffer): void {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ApiProblem('uploaded-file-invalid-file', 'file', 'A WebVTT file must be UTF-8 text.');
  }
  if (!/^\uFEFF?WEBVTT(?:$|[ \t\r\n])/.test(text))
    throw new ApiProblem('uploaded-file-invalid-file', 'file', 'The file is not WebVTT: it must start with "WEBVTT".');
}

export const trackFile = (ctx: SandboxContext, videoId: string, kind: TrackKind, language: string): string =>
  videoFile(ctx, videoId, kind, `${language}.vtt`);

/** The public URL of a track file (the spec's `src`). */
const trackSrc = (ctx: SandboxContext, videoId: string, kind: TrackKind, language: string): string =>
  `${ctx.baseUrl}/vod/${videoId}/${kind}/${language}.vtt`;

function presentCaption(ctx: SandboxContext, videoId: string, caption: CaptionRecord) {
  return {
    uri: `/videos/${videoId}/captions/${caption.language}`,
    src: trackSrc(ctx, videoId, 'captions', caption.language),
    srclang: caption.language,
    languageName: parseLanguageTag(caption.language).nativeName,
    default: caption.default,
  };
}

function presentChapter(ctx: SandboxContext, videoId: string, chapter: ChapterRecord) {
  return {
    uri: `/videos/${videoId}/chapters/${chapter.language}`,
    src: trackSrc(ctx, videoId, 'chapters', chapter.language),
    language: chapter.language,
  };
}

/** Receives and checks a WebVTT upload, then stores it as the video's `kind` track in `language`. */
async function receiveTrack(
  ctx: SandboxContext,
  videoId: string,
  kind: TrackKind,
  rawLanguage: string,
  req: IncomingMessage,
  body: Readable,
): Promise<{ video: VideoRecord; language: string }> {
  findVideo(ctx, videoId);
  const { tag } = parseLanguageTag(rawLanguage);
  const upload = await receiveSidecar(ctx, req, body, MAX_VTT_BYTES);
  return withSidecar(upload, () => {
    checkWebVtt(sidecarBytes(upload));
    const video = findVideo(ctx, videoId); // still there after the body arrived
    keepSidecar(upload, trackFile(ctx, videoId, kind, tag));
    return { video, language: tag };
  });
}

function findTrack<T extends { language: string }>(tracks: T[], rawLanguage: string, kind: TrackKind): T {
  const { tag } = parseLanguageTag(rawLanguage);
  const track = tracks.find((entry) => entry.language === tag);
  if (!track)
    throw new ApiProblem('resource-not-found', 'language', `This video has no ${kind} in the language "${tag}".`);
  return track;
}

export async function uploadCaption(
  ctx: SandboxContext,
  videoId: string,
  rawLanguage: string,
  req: IncomingMessage,
  body: Readable,
) {
  const { video, language } = await receiveTrack(ctx, videoId, 'captions', rawLanguage, req, body);
  let caption = video.captions.find((entry) => entry.language === language);
  if (!caption) {
    caption = { language, default: false, createdAt: ctx.clock.now() };
    video.captions.push(caption);
  }
  ctx.save();
  return presentCaption(ctx, videoId, caption);
}

export function getCaption(ctx: SandboxContext, videoId: string, rawLanguage: string) {
  const video = findVideo(ctx, videoId);
  return presentCaption(ctx, videoId, findTrack(video.captions, rawLanguage, 'captions'));
}

export function listCaptions(ctx: SandboxContext, videoId: string, query: URLSearchParams) {
  const video = findVideo(ctx, videoId);
  const items = video.captions.map((caption) => presentCaption(ctx, videoId, caption));
  return paginate(items, ctx.baseUrl, `/videos/${videoId}/captions`, query);
}

/** PATCH {default}: true makes this caption the video's only default; false clears it. */
export function updateCaption(ctx: SandboxContext, videoId: string, rawLanguage: string, body: unknown) {
  const video = findVideo(ctx, videoId);
  const caption = findTrack(video.captions, rawLanguage, 'captions');
  const changes = parseOrThrow(captionUpdatePayload, body);
  if (changes.default === true) for (const other of video.captions) other.default = other === caption;
  if (changes.default === false) caption.default = false;
  ctx.save();
  return presentCaption(ctx, videoId, caption);
}

export function deleteCaption(ctx: SandboxContext, videoId: string, rawLanguage: string): void {
  deleteTrack(ctx, findVideo(ctx, videoId), 'captions', rawLanguage);
}

export async function uploadChapter(
  ctx: SandboxContext,
  videoId: string,
  rawLanguage: string,
  req: IncomingMessage,
  body: Readable,
) {
  const { video, language } = await receiveTrack(ctx, videoId, 'chapters', rawLanguage, req, body);
  let chapter = video.chapters.find((entry) => entry.language === language);
  if (!chapter) {
    chapter = { language, createdAt: ctx.clock.now() };
    video.chapters.push(chapter);
  }
  ctx.save();
  return presentChapter(ctx, videoId, chapter);
}

export function getChapter(ctx: SandboxContext, videoId: string, rawLanguage: string) {
  const video = findVideo(ctx, videoId);
  return presentChapter(ctx, videoId, findTrack(video.chapters, rawLanguage, 'chapters'));
}

export function listChapters(ctx: SandboxContext, videoId: string, query: URLSearchParams) {
  const video = findVideo(ctx, videoId);
  const items = video.chapters.map((chapter) => presentChapter(ctx, videoId, chapter));
  return paginate(items, ctx.baseUrl, `/videos/${videoId}/chapters`, query);
}

export function deleteChapter(ctx: SandboxContext, videoId: string, rawLanguage: string): void {
  deleteTrack(ctx, findVideo(ctx, videoId), 'chapters', rawLanguage);
}

function deleteTrack(ctx: SandboxContext, video: VideoRecord, kind: TrackKind, rawLanguage: string): void {
  const tracks: { language: string }[] = video[kind];
  const track = findTrack(tracks, rawLanguage, kind);
  tracks.splice(tracks.indexOf(track), 1);
  ctx.save();
  removeFile(trackFile(ctx, video.videoId, kind, track.language));
}

/** The stored file of a track, for /vod/<id>/<kind>/<language>.vtt (any video, public or private). */
export function trackFileFor(ctx: SandboxContext, videoId: string, kind: TrackKind, rawLanguage: string): string {
  const video = findVideo(ctx, videoId);
  const track = findTrack<{ language: string }>(video[kind], rawLanguage, kind);
  return trackFile(ctx, videoId, kind, track.language);
}
