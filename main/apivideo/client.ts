// The typed api.video client shared by the upload engine, the app and the CLI: auth, upload tokens, videos,
// status and chunk uploads, every reply validated, every failure an ApiVideoError a person can act on.
import { Readable } from 'node:stream';
import { z } from 'zod';
import type { EnvironmentKind } from '../../common/contract/profiles';
import { registerSecret } from '../log/redact';
import { version } from '../version';
import type { AuthProvider } from './auth';
import { BearerSession, basicAuth, noAuth } from './auth';
import type { ChunkRequest } from './chunk-upload';
import { chunkSender } from './chunk-upload';
import type { ErrorContext } from './errors';
import { ApiVideoError, describeContext, withoutWho } from './errors';
import { defaultReplyLimits } from './http-exchange';
import type {
  Page,
  UploadToken,
  UploadTokenListQuery,
  Video,
  VideoCreationPayload,
  VideoListQuery,
  VideoStatus,
  VideoUpdatePayload,
} from './schemas';
import {
  accessTokenSchema,
  appendPaging,
  pageSchema,
  uploadTokenSchema,
  videoListSearch,
  videoSchema,
  videoStatusSchema,
} from './schemas';
import type { RawReply, ReplyLimits } from './http-exchange';
import type { RequestLine } from './transport';
import { jsonSender, readReply, sendWithRetries } from './transport';
import { rateBudgetFor, type RateBudget } from './rate-budget';

export type Auth =
  { kind: 'bearer'; apiKey: string } | { kind: 'basic'; apiKey: string } | { kind: 'uploadToken'; token: string };

export interface ClientOptions {
  baseUrl: string;
  auth: Auth;
  /** Named in every error message, e.g. "Profile "Work" on Sandbox ...". */
  profileName?: string;
  environmentLabel?: string;
  /** Which environment, so a refused key gets advice that fits it. */
  environmentKind?: EnvironmentKind;
  /**
   * Per request; for chunk uploads an idle timeout (nothing moving on the socket) and the bound on reading a reply's
   * body. Default 30 s. A server that takes the request and then overruns it is told apart from one out of reach
   * (ApiVideoError.replyFault).
   */
  timeoutMs?: number;
  /** How big a reply's headers and body may be (default defaultReplyLimits; tests shorten them). */
  replyLimits?: Partial<ReplyLimits>;
  /** Sent as AV-Origin-App, e.g. 'convoy-cli:0.1.0' (name ^[\w-]{1,50}$, version like 1.2.3). */
  originApp?: string;
  /**
   * Non-upload calls that get a 429 wait X-RateLimit-Retry-After and retry once when it is at most this many
   * seconds (default 10); otherwise, and always for uploads, the 429 surfaces as an ApiVideoError of kind
   * 'rate-limit' carrying retryAfterSeconds, so the caller schedules the retry. 0 disables waiting.
   */
  maxRateLimitWaitSeconds?: number;
  /** Clock used for token expiry (tests). */
  now?: () => number;
}

export interface ConnectionCheckResult {
  ok: boolean;
  message: string;
  /** The result alone, for a place that already names the profile: "Key works · 2 active upload tokens". */
  summary: string;
  /** The failure behind ok: false, when there was one. */
  error?: ApiVideoError;
}

export interface ApiVideoClient {
  readonly authKind: Auth['kind'];
  readonly baseUrl: string;
  /** Proves the credentials with a real call (an API key lists one upload token; a token posts an empty upload). */
  check(): Promise<ConnectionCheckResult>;
  videos: {
    create(payload: VideoCreationPayload): Promise<Video>;
    get(id: string): Promise<Video>;
    update(id: string, patch: VideoUpdatePayload): Promise<Video>;
    delete(id: string): Promise<void>;
    list(query?: VideoListQuery): Promise<Page<Video>>;
    status(id: string): Promise<VideoStatus>;
  };
  uploadTokens: {
    create(ttl: number): Promise<UploadToken>;
    list(query?: UploadTokenListQuery): Promise<Page<UploadToken>>;
    get(token: string): Promise<UploadToken>;
    delete(token: string): Promise<void>;
  };
  /** Posts one chunk (or a whole small file); resolves with the video the server returned. */
  uploadChunk(request: ChunkRequest): Promise<Video>;
  /** A video's captions, chapters and thumbnail: what Convoy sends from the files beside it. */
  sidecars: SidecarApi;
  /** This credential's upload request budget on this server, shared in the process; every upload reply feeds it. */
  readonly uploadBudget: RateBudget;
  /**
   * The server's clock minus this machine's, from the Date header of the newest reply (whole seconds), or
   * undefined before any reply carried one. Server times (a video's createdAt) compare with local ones through it.
   */
  serverClockOffsetMs(): number | undefined;
}

export const CLIENT_ORIGIN = `convoy:${version}`;

export type TrackKind = 'captions' | 'chapters';

/** The calls that send a video's sidecars and check whether one already landed. Only an API key may make them. */
export interface SidecarApi {
  /** Whether the credential can send sidecars (an upload token cannot: it can only upload videos). */
  readonly canSend: boolean;
  uploadTrack(kind: TrackKind, videoId: string, language: string, vtt: Buffer): Promise<void>;
  /** Whether the video has a track of that kind in that language (GET; 404 is false). */
  hasTrack(kind: TrackKind, videoId: string, language: string): Promise<boolean>;
  /** The caption in `language` becomes the one shown by default (PATCH {default: true}). */
  makeDefaultCaption(videoId: string, language: string): Promise<void>;
  uploadThumbnail(videoId: string, image: Buffer, fileName: string): Promise<void>;
  /** The thumbnail becomes the video's frame at `timecode` ('hh:mm:ss.mmm'). */
  pickThumbnail(videoId: string, timecode: string): Promise<void>;
  /** Whether the video's thumbnail asset serves exactly these bytes (false when it cannot tell). */
  thumbnailIs(videoId: string, image: Buffer): Promise<boolean>;
}

export const sidecarsNeedKey =
  'Captions, chapters and thumbnails need the API key: an upload token can only upload videos. Add an API-key profile of the same account to send them.';

const trackSchema = z.looseObject({ uri: z.string().optional(), src: z.string().optional() });
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_RATE_LIMIT_WAIT_S = 10;
const ORIGIN_PATTERN = /^[\w-]{1,50}:\d{1,3}(\.\d{1,3}(\.\d{1,3})?)?$/;

function originHeaders(originApp: string | undefined): Record<string, string> {
  const headers: Record<string, string> = { 'av-origin-client': CLIENT_ORIGIN };
  if (originApp !== undefined) {
    if (!ORIGIN_PATTERN.test(originApp))
      throw new Error(`AV-Origin-App must look like "name:1.2.3" (got "${originApp}").`);
    headers['av-origin-app'] = originApp;
  }
  return headers;
}

export function createClient(options: ClientOptions): ApiVideoClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const authKind = options.auth.kind;
  const context: ErrorContext = {
    baseUrl,
    authKind,
    ...(options.profileName !== undefined ? { profileName: options.profileName } : {}),
    ...(options.environmentLabel !== undefined ? { environmentLabel: options.environmentLabel } : {}),
    ...(options.environmentKind !== undefined ? { environmentKind: options.environmentKind } : {}),
  };
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const headers = originHeaders(options.originApp);
  const maxWait = options.maxRateLimitWaitSeconds ?? DEFAULT_RATE_LIMIT_WAIT_S;
  const limits: ReplyLimits = { ...defaultReplyLimits, ...options.replyLimits };
  const sender = { baseUrl, context, timeoutMs, headers, limits };
  const now = options.now ?? Date.now;
  let clockOffsetMs: number | undefined;
  const credential = options.auth.kind === 'uploadToken' ? options.auth.token : options.auth.apiKey;
  const uploadBudget = rateBudgetFor(baseUrl, credential, 'upload');
  const readBudget = rateBudgetFor(baseUrl, credential, 'read');
  const writeBudget = rateBudgetFor(baseUrl, credential, 'write');
  /** Reads the server's clock off a reply, then the reply itself. */
  function read<T>(line: RequestLine, reply: RawReply, schema: z.ZodType<T> | null): T {
    const serverTime = Date.parse(reply.header('date') ?? '');
    if (Number.isFinite(serverTime)) clockOffsetMs = serverTime - now();
    return readReply(context, line, reply, schema);
  }

  /** A JSON call; `auth` null means unauthenticated (the /auth/* exchanges). */
  async function call<T>(
    line: RequestLine,
    schema: z.ZodType<T> | null,
    extra: { search?: URLSearchParams; body?: unknown; auth?: AuthProvider } = {},
  ): Promise<T> {
    const body = extra.body === undefined ? undefined : { json: extra.body };
    const send = jsonSender(sender, line, extra.search ?? null, body);
    // The API's own calls wait for room in their class's budget as long as they would wait on a 429; the /auth/*
    // exchanges are not counted.
    const budget = extra.auth ? (line.method === 'GET' ? readBudget : writeBudget) : null;
    const release = budget ? await budget.reserve(undefined, maxWait * 1000) : () => {};
    try {
      const reply = await sendWithRetries(extra.auth ?? noAuth, send, { maxRateLimitWaitSeconds: maxWait });
      budget?.observe(reply);
      return read(line, reply, schema);
    } finally {
      release();
    }
  }

  let auth: AuthProvider = noAuth;
  let uploadToken: string | null = null;
  if (options.auth.kind === 'bearer') {
    auth = new BearerSession(
      options.auth.apiKey,
      (path, body) => call({ method: 'POST', path }, accessTokenSchema, { body }),
      now,
    );
  } else if (options.auth.kind === 'basic') {
    auth = basicAuth(options.auth.apiKey);
  } else {
    uploadToken = options.auth.token;
    registerSecret(uploadToken);
  }

  /** A JSON call that needs an API key; an upload-token profile gets a clear refusal instead. */
  function keyed<T>(
    line: RequestLine,
    schema: z.ZodType<T> | null,
    extra: { search?: URLSearchParams; body?: unknown } = {},
  ) {
    if (uploadToken !== null) {
      return Promise.reject(
        new ApiVideoError(
          'auth',
          `${describeContext(context)} holds an upload token, which can only upload videos. ${line.method} ${line.path} needs a profile with an API key.`,
        ),
      );
    }
    return call(line, schema, { ...extra, auth });
  }

  const seg = encodeURIComponent;
  const videos: ApiVideoClient['videos'] = {
    create: (payload) => keyed({ method: 'POST', path: '/videos' }, videoSchema, { body: payload }),
    get: (id) => keyed({ method: 'GET', path: `/videos/${seg(id)}` }, videoSchema),
    update: (id, patch) => keyed({ method: 'PATCH', path: `/videos/${seg(id)}` }, videoSchema, { body: patch }),
    delete: (id) => keyed({ method: 'DELETE', path: `/videos/${seg(id)}` }, null),
    list: (query = {}) =>
      keyed({ method: 'GET', path: '/videos' }, pageSchema(videoSchema), { search: videoListSearch(query) }),
    status: (id) => keyed({ method: 'GET', path: `/videos/${seg(id)}/status` }, videoStatusSchema),
  };

  const uploadTokens: ApiVideoClient['uploadTokens'] = {
    create: async (ttl) =>
      remember(await keyed({ method: 'POST', path: '/upload-tokens' }, uploadTokenSchema, { body: { ttl } })),
    list: async (query = {}) => {
      const page = await keyed({ method: 'GET', path: '/upload-tokens' }, pageSchema(uploadTokenSchema), {
        search: appendPaging(new URLSearchParams(), query),
      });
      page.data.forEach(remember);
      return page;
    },
    get: async (token) =>
      remember(await keyed({ method: 'GET', path: `/upload-tokens/${seg(token)}` }, uploadTokenSchema)),
    delete: (token) => keyed({ method: 'DELETE', path: `/upload-tokens/${seg(token)}` }, null),
  };

  async function uploadChunk(request: ChunkRequest): Promise<Video> {
    const target = uploadTarget(request);
    const send = chunkSender({ ...target, context, timeoutMs, headers, limits }, request);
    // Uploads never wait on 429 here: the engine owns scheduling and gets retryAfterSeconds.
    const reply = await sendWithRetries(auth, send, { maxRateLimitWaitSeconds: 0 });
    uploadBudget.observe(reply);
    return read(target.line, reply, videoSchema);
  }

  function uploadTarget(request: ChunkRequest): { url: string; line: RequestLine; fields: [string, string][] } {
    if (uploadToken !== null) {
      const line: RequestLine = { method: 'POST', path: '/upload' };
      return {
        url: `${baseUrl}/upload?token=${seg(uploadToken)}`,
        line,
        fields: request.videoId ? [['videoId', request.videoId]] : [],
      };
    }
    if (!request.videoId) {
      throw new ApiVideoError(
        'bad-request',
        `${describeContext(context)}: an upload with an API key needs the videoId of a container created first.`,
      );
    }
    const path = `/videos/${seg(request.videoId)}/source`;
    return { url: `${baseUrl}${path}`, line: { method: 'POST', path }, fields: [] };
  }

  async function check(): Promise<ConnectionCheckResult> {
    const who = describeContext(context);
    try {
      if (uploadToken !== null) return await checkUploadToken(who);
      const page = await uploadTokens.list({ pageSize: 1 });
      const count = page.pagination.itemsTotal;
      const tokens = `${count} active upload token${count === 1 ? '' : 's'}`;
      return { ok: true, message: `${who}: the API key works (${tokens}).`, summary: `Key works · ${tokens}` };
    } catch (error) {
      if (error instanceof ApiVideoError) return refusal(error);
      throw error;
    }
  }

  function refusal(error: ApiVideoError): ConnectionCheckResult {
    return { ok: false, message: error.message, summary: withoutWho(context, error.message), error };
  }

  /** An upload with no file: "no file" (400) proves the token is valid, 401 proves it is not. */
  async function checkUploadToken(who: string): Promise<ConnectionCheckResult> {
    const line: RequestLine = { method: 'POST', path: '/upload' };
    const boundary = 'ConvoyTokenCheck';
    const body = { raw: `--${boundary}--\r\n`, contentType: `multipart/form-data; boundary=${boundary}` };
    const search = new URLSearchParams({ token: uploadToken ?? '' });
    const reply: RawReply = await jsonSender(sender, line, search, body)(null);
    const valid: ConnectionCheckResult = {
      ok: true,
      message: `${who}: the upload token works.`,
      summary: 'Upload token works',
    };
    try {
      readReply(context, line, reply, null);
    } catch (error) {
      if (!(error instanceof ApiVideoError)) throw error;
      // The server took the token and then asked for the file it lacked.
      return error.kind === 'bad-request' && error.status === 400 ? valid : refusal(error);
    }
    return valid;
  }

  /** A whole small file (a caption, a thumbnail) POSTed as multipart with an API key. */
  async function uploadFile(path: string, file: Buffer, fileName: string): Promise<void> {
    const line: RequestLine = { method: 'POST', path };
    if (uploadToken !== null) throw new ApiVideoError('auth', sidecarsNeedKey);
    const send = chunkSender(
      { url: `${baseUrl}${path}`, line, context, timeoutMs, headers, fields: [], limits },
      { fileName, size: file.length, body: () => Readable.from([file]) },
    );
    const release = await writeBudget.reserve(undefined, maxWait * 1000);
    try {
      const reply = await sendWithRetries(auth, send, { maxRateLimitWaitSeconds: maxWait });
      writeBudget.observe(reply);
      read(line, reply, null);
    } finally {
      release();
    }
  }

  const track = (kind: TrackKind, videoId: string, language: string) =>
    `/videos/${seg(videoId)}/${kind}/${seg(language)}`;
  const sidecars: SidecarApi = {
    canSend: uploadToken === null,
    uploadTrack: (kind, videoId, language, vtt) => uploadFile(track(kind, videoId, language), vtt, `${language}.vtt`),
    async hasTrack(kind, videoId, language) {
      try {
        await keyed({ method: 'GET', path: track(kind, videoId, language) }, trackSchema);
        return true;
      } catch (error) {
        if (error instanceof ApiVideoError && error.kind === 'not-found') return false;
        throw error;
      }
    },
    async makeDefaultCaption(videoId, language) {
      await keyed({ method: 'PATCH', path: track('captions', videoId, language) }, trackSchema, {
        body: { default: true },
      });
    },
    uploadThumbnail: (videoId, image, fileName) => uploadFile(`/videos/${seg(videoId)}/thumbnail`, image, fileName),
    async pickThumbnail(videoId, timecode) {
      await keyed({ method: 'PATCH', path: `/videos/${seg(videoId)}/thumbnail` }, videoSchema, { body: { timecode } });
    },
    async thumbnailIs(videoId, image) {
      const url = (await videos.get(videoId)).assets?.thumbnail;
      if (!url) return false;
      try {
        const reply = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
        return reply.ok && Buffer.from(await reply.arrayBuffer()).equals(image);
      } catch {
        return false;
      }
    },
  };

  return {
    authKind,
    baseUrl,
    check,
    videos,
    uploadTokens,
    uploadChunk,
    sidecars,
    uploadBudget,
    serverClockOffsetMs: () => clockOffsetMs,
  };
}

function remember(token: UploadToken): UploadToken {
  registerSecret(token.token);
  return token;
}
