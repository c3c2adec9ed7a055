// Captions and chapters: one WebVTT file per language on a video (upload replaces, get, list, delete; a caption
// can be made the video's default), stored as videos/<id>/<kind>/<language>.vtt and served under /vod/<id>/.
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { SandboxContext } from './context';
import type { TextTrackRecord } from './state';
import { ApiProblem } from './problems';
import { findVideo } from './videos';
import { parseOrThrow } from './payloads';
import { parseLanguageTag } from './language-tags';
import { paginate } from './pagination';
import { keepSidecar, receiveSidecar, removeFile, sidecarBytes, videoFile, withSidecar } from './sidecar-files';

export const TRACK_KINDS = ['captions', 'chapters'] as const;
export type TrackKind = (typeof TRACK_KINDS)[number];

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

const trackFile = (ctx: SandboxContext, videoId: string, kind: TrackKind, language: string): string =>
  videoFile(ctx, videoId, kind, `${language}.vtt`);

/** The spec's `caption` or `chapter` object: the API uri and the public URL of the file (`src`). */
function present(ctx: SandboxContext, videoId: string, kind: TrackKind, track: TextTrackRecord) {
  const links = {
    uri: `/videos/${videoId}/${kind}/${track.language}`,
    src: `${ctx.baseUrl}/vod/${videoId}/${kind}/${track.language}.vtt`,
  };
  if (kind === 'chapters') return { ...links, language: track.language };
  return {
    ...links,
    srclang: track.language,
    languageName: parseLanguageTag(track.language).nativeName,
    default: track.default,
  };
}

function findTrack(ctx: SandboxContext, videoId: string, kind: TrackKind, rawLanguage: string) {
  const video = findVideo(ctx, videoId);
  const { tag } = parseLanguageTag(rawLanguage);
  const track = video[kind].find((entry) => entry.language === tag);
  if (!track)
    throw new ApiProblem('resource-not-found', 'language', `This video has no ${kind} in the language "${tag}".`);
  return { video, track };
}

/** POST: a WebVTT upload becomes the video's `kind` track in that language (replacing the file of an existing one). */
export async function uploadTrack(
  ctx: SandboxContext,
  kind: TrackKind,
  videoId: string,
  rawLanguage: string,
  req: IncomingMessage,
  body: Readable,
) {
  findVideo(ctx, videoId);
  const { tag: language } = parseLanguageTag(rawLanguage);
  const upload = await receiveSidecar(ctx, req, body, MAX_VTT_BYTES);
  return withSidecar(upload, () => {
    checkWebVtt(sidecarBytes(upload));
    const tracks = findVideo(ctx, videoId)[kind]; // the video is still there after the body arrived
    keepSidecar(upload, trackFile(ctx, videoId, kind, language));
    let track = tracks.find((entry) => entry.language === language);
    if (!track) {
      track = { language, default: false, createdAt: ctx.clock.now() };
      tracks.push(track);
    }
    ctx.save();
    return present(ctx, videoId, kind, track);
  });
}

export const getTrack = (ctx: SandboxContext, kind: TrackKind, videoId: string, rawLanguage: string) =>
  present(ctx, videoId, kind, findTrack(ctx, videoId, kind, rawLanguage).track);

export function listTracks(ctx: SandboxContext, kind: TrackKind, videoId: string, query: URLSearchParams) {
  const items = findVideo(ctx, videoId)[kind].map((track) => present(ctx, videoId, kind, track));
  return paginate(items, ctx.baseUrl, `/videos/${videoId}/${kind}`, query);
}

export function deleteTrack(ctx: SandboxContext, kind: TrackKind, videoId: string, rawLanguage: string): void {
  const { video, track } = findTrack(ctx, videoId, kind, rawLanguage);
  video[kind].splice(video[kind].indexOf(track), 1);
  ctx.save();
  removeFile(trackFile(ctx, videoId, kind, track.language));
}

/** PATCH a caption {default}: true makes it the video's only default; false clears it. */
export function updateCaption(ctx: SandboxContext, videoId: string, rawLanguage: string, body: unknown) {
  const { video, track } = findTrack(ctx, videoId, 'captions', rawLanguage);
  const changes = parseOrThrow(captionUpdatePayload, body);
  if (changes.default === true) for (const other of video.captions) other.default = other === track;
  if (changes.default === false) track.default = false;
  ctx.save();
  return present(ctx, videoId, 'captions', track);
}

/** The stored file of a track, for /vod/<id>/<kind>/<language>.vtt (any video, public or private). */
export const storedTrackFile = (ctx: SandboxContext, kind: TrackKind, videoId: string, rawLanguage: string): string =>
  trackFile(ctx, videoId, kind, findTrack(ctx, videoId, kind, rawLanguage).track.language);
