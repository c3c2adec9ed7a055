// The api.video calls that send a video's sidecars (captions, chapters, thumbnail) and check whether one already
// landed, built from main/apivideo's transport, auth and multipart sender. Only an API key may make them.
// (These belong in main/apivideo/client.ts as client.captions / chapters / thumbnail; see docs/media.md.)
import { Readable } from 'node:stream';
import { z } from 'zod';
import type { AuthProvider } from '../apivideo/auth';
import { BearerSession, basicAuth, noAuth } from '../apivideo/auth';
import { chunkSender } from '../apivideo/chunk-upload';
import type { ClientOptions } from '../apivideo/client';
import { CLIENT_ORIGIN } from '../apivideo/client';
import type { ErrorContext } from '../apivideo/errors';
import { ApiVideoError } from '../apivideo/errors';
import { defaultReplyLimits } from '../apivideo/http-exchange';
import { accessTokenSchema, videoSchema } from '../apivideo/schemas';
import type { RequestLine } from '../apivideo/transport';
import { jsonSender, readReply, sendWithRetries } from '../apivideo/transport';

export type TrackKind = 'captions' | 'chapters';

export interface SidecarApi {
  /** Whether the credential can send sidecars (an upload token cannot: it can only upload videos). */
  readonly canSend: boolean;
  uploadTrack(kind: TrackKind, videoId: string, language: string, vtt: Buffer): Promise<void>;
  /** Whether the video has a track of that kind in that language (GET; 404 is false). */
  hasTrack(kind: TrackKind, videoId: string, language: string): Promise<boolean>;
  /** The caption in `language` becomes the one shown by default (PATCH {default: true}). */
  makeDefaultCaption(videoId: string, language: string): Promise<void>;
  uploadThumbnail(videoId: string, image: Buffer, fileName: string): Promise<void>;
  /** Whether the video's thumbnail asset serves exactly these bytes (false when it cannot tell). */
  thumbnailIs(videoId: string, image: Buffer): Promise<boolean>;
}

const trackSchema = z.looseObject({ uri: z.string().optional(), src: z.string().optional() });

const DEFAULT_TIMEOUT_MS = 30_000;

export function sidecarApi(options: ClientOptions): SidecarApi {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const context: ErrorContext = {
    baseUrl,
    authKind: options.auth.kind,
    ...(options.profileName !== undefined ? { profileName: options.profileName } : {}),
    ...(options.environmentLabel !== undefined ? { environmentLabel: options.environmentLabel } : {}),
    ...(options.environmentKind !== undefined ? { environmentKind: options.environmentKind } : {}),
  };
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const limits = { ...defaultReplyLimits, ...options.replyLimits };
  const headers = { 'av-origin-client': CLIENT_ORIGIN };
  const sender = { baseUrl, context, timeoutMs, headers, limits };
  const policy = { maxRateLimitWaitSeconds: options.maxRateLimitWaitSeconds ?? 10 };

  async function json<T>(auth: AuthProvider, line: RequestLine, schema: z.ZodType<T> | null, body?: unknown) {
    const send = jsonSender(sender, line, null, body === undefined ? undefined : { json: body });
    return readReply(context, line, await sendWithRetries(auth, send, policy), schema);
  }

  let auth: AuthProvider = noAuth;
  if (options.auth.kind === 'bearer')
    auth = new BearerSession(
      options.auth.apiKey,
      (path, body) => json(noAuth, { method: 'POST', path }, accessTokenSchema, body),
      options.now,
    );
  else if (options.auth.kind === 'basic') auth = basicAuth(options.auth.apiKey);
  const canSend = options.auth.kind !== 'uploadToken';

  function keyed(): AuthProvider {
    if (!canSend) throw new ApiVideoError('auth', needsKeyReason);
    return auth;
  }

  async function upload(path: string, file: Buffer, fileName: string): Promise<unknown> {
    const line: RequestLine = { method: 'POST', path };
    const send = chunkSender(
      { url: `${baseUrl}${path}`, line, context, timeoutMs, headers, fields: [], limits },
      { fileName, size: file.length, body: () => Readable.from([file]) },
    );
    return readReply(context, line, await sendWithRetries(keyed(), send, policy), null);
  }

  const seg = encodeURIComponent;
  return {
    canSend,
    async uploadTrack(kind, videoId, language, vtt) {
      await upload(`/videos/${seg(videoId)}/${kind}/${seg(language)}`, vtt, `${language}.vtt`);
    },
    async hasTrack(kind, videoId, language) {
      try {
        await json(keyed(), { method: 'GET', path: `/videos/${seg(videoId)}/${kind}/${seg(language)}` }, trackSchema);
        return true;
      } catch (error) {
        if (error instanceof ApiVideoError && error.kind === 'not-found') return false;
        throw error;
      }
    },
    async makeDefaultCaption(videoId, language) {
      const line: RequestLine = { method: 'PATCH', path: `/videos/${seg(videoId)}/captions/${seg(language)}` };
      await json(keyed(), line, trackSchema, { default: true });
    },
    async uploadThumbnail(videoId, image, fileName) {
      await upload(`/videos/${seg(videoId)}/thumbnail`, image, fileName);
    },
    async thumbnailIs(videoId, image) {
      const video = await json(keyed(), { method: 'GET', path: `/videos/${seg(videoId)}` }, videoSchema);
      const url = video.assets?.thumbnail;
      if (!url) return false;
      try {
        const reply = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
        return reply.ok && Buffer.from(await reply.arrayBuffer()).equals(image);
      } catch {
        return false;
      }
    },
  };
}

export const needsKeyReason =
  'Captions, chapters and thumbnails need the API key: an upload token can only upload videos. Add an API-key profile of the same account to send them.';
