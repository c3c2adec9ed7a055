// The route table: which method and path go to which handler, whether it needs API authentication,
// and which rate-limit class it counts against. Handlers stay thin: they call the domain modules.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { SandboxContext } from './context';
import type { RequestClass, RateLimiter } from './rate-limit';
import type { FaultInjector } from './faults';
import type { CallerSource } from './callers';
import { faultsSchema } from './faults';
import { ApiProblem } from './problems';
import { readJsonBody, sendJson, sendNoContent } from './http';
import { addApiKey, authenticateWithApiKey, refreshAccessToken } from './auth';
import { createToken, deleteToken, getToken, listTokens } from './tokens';
import { createVideo, findVideo, listVideos, presentVideo, updateVideo } from './videos';
import { presentStatus } from './status';
import { sendPlayerPage, sendPlaylist, sendSegment, sendSourceFile, sendThumbnail, videoForAsset } from './assets';
import { ASSET_PATHS, SEGMENT_PATTERN, literalPattern, vodPrefix } from './vod-urls';
import type { UploadEndpoint } from './upload/endpoint';
import type { SourceAssembler } from './upload/assembler';
import { emptyState } from './state';
import {
  deleteTrack,
  getTrack,
  listTracks,
  storedTrackFile,
  TRACK_KINDS,
  updateCaption,
  uploadTrack,
  VTT_CONTENT_TYPE,
  type TrackKind,
} from './text-tracks';
import { pickThumbnail, storedThumbnailFile, uploadThumbnail } from './thumbnail';
import { sendStoredFile } from './file-replies';
import { wipeAccountFiles } from './sidecar-files';
import { deleteWatermark, listWatermarks, uploadWatermark } from './watermarks';
import {
  createPlayerTheme,
  deleteLogo,
  deletePlayerTheme,
  getPlayerTheme,
  listPlayerThemes,
  storedLogo,
  updatePlayerTheme,
  uploadLogo,
} from './player-themes';
import { listTags } from './tags';
import { createWebhook, deleteWebhook, getWebhook, listWebhooks } from './webhooks';
import { createSummary, deleteSummary, getSummarySource, listSummaries, updateSummarySource } from './summaries';
import { discardVideo, findDiscarded, listDiscarded, restoreDiscarded } from './discarded';
import { notAvailable, UNAVAILABLE_ROUTES } from './not-available';
import { atom } from './clock';

export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  query: URLSearchParams;
  params: string[];
  /** the request body as the handler must read it (fault injection may pace or cut it) */
  body: Readable;
  arrivedAt: number;
}

export interface Route {
  methods: string[];
  pattern: RegExp;
  /** api: authenticated API route; public: API route without Basic/Bearer; control: /_sandbox/ test controls */
  access: 'api' | 'public' | 'control';
  rateClass: RequestClass;
  /** counts towards chunksAccepted / chunksRejected */
  isUpload?: boolean;
  /** who the request counts against for rate limits; default: credentials on api routes, else the client address */
  callerBy?: CallerSource;
  handle(exchange: Exchange): Promise<void> | void;
}

export interface RouteDeps {
  ctx: SandboxContext;
  uploads: UploadEndpoint;
  assembler: SourceAssembler;
  faults: FaultInjector;
  limiter: RateLimiter;
  testControls: boolean;
}

/** The rate-limit caller of a route; a request matching no route is counted by its credentials when they are valid. */
export function callerSourceOf(route: Route | null): CallerSource {
  if (route === null) return 'credentials';
  return route.callerBy ?? (route.access === 'api' ? 'credentials' : 'address');
}

const ID = '([^/]+)';
const path = (source: string) => new RegExp(`^${source}$`);

/** An authenticated API route for one method. */
const route = (method: string, source: string, rateClass: RequestClass, handle: Route['handle']): Route => ({
  methods: [method],
  pattern: path(source),
  access: 'api',
  rateClass,
  handle,
});

export function buildRoutes(deps: RouteDeps): Route[] {
  const { ctx, uploads, assembler } = deps;
  const json = (x: Exchange, allowEmpty = false) => readJsonBody(x.req, x.body, allowEmpty);
  const routes: Route[] = [
    {
      methods: ['POST'],
      pattern: path('/auth/api-key'),
      access: 'public',
      rateClass: 'write',
      handle: async (x) => sendJson(x.res, 200, authenticateWithApiKey(ctx, await json(x))),
    },
    {
      methods: ['POST'],
      pattern: path('/auth/refresh'),
      access: 'public',
      rateClass: 'write',
      handle: async (x) => sendJson(x.res, 200, refreshAccessToken(ctx, await json(x))),
    },
    {
      methods: ['POST'],
      pattern: path('/upload-tokens'),
      access: 'api',
      rateClass: 'write',
      handle: async (x) => sendJson(x.res, 200, createToken(ctx, await json(x, true))),
    },
    {
      methods: ['GET'],
      pattern: path('/upload-tokens'),
      access: 'api',
      rateClass: 'read',
      handle: (x) => sendJson(x.res, 200, listTokens(ctx, x.query)),
    },
    {
      methods: ['GET'],
      pattern: path(`/upload-tokens/${ID}`),
      access: 'api',
      rateClass: 'read',
      handle: (x) => sendJson(x.res, 200, getToken(ctx, x.params[0]!)),
    },
    {
      methods: ['DELETE'],
      pattern: path(`/upload-tokens/${ID}`),
      access: 'api',
      rateClass: 'write',
      handle: (x) => {
        deleteToken(ctx, x.params[0]!);
        sendNoContent(x.res);
      },
    },
    {
      methods: ['POST'],
      pattern: path('/videos'),
      access: 'api',
      rateClass: 'write',
      handle: async (x) => {
        const [status, video] = createVideo(ctx, await json(x));
        sendJson(x.res, status, presentVideo(ctx, video));
      },
    },
    {
      methods: ['GET'],
      pattern: path('/videos'),
      access: 'api',
      rateClass: 'read',
      handle: (x) => sendJson(x.res, 200, listVideos(ctx, x.query)),
    },
    {
      methods: ['GET'],
      pattern: path(`/videos/${ID}`),
      access: 'api',
      rateClass: 'read',
      handle: (x) => sendJson(x.res, 200, presentVideo(ctx, findVideo(ctx, x.params[0]!))),
    },
    {
      methods: ['PATCH'],
      pattern: path(`/videos/${ID}`),
      access: 'api',
      rateClass: 'write',
      handle: async (x) => {
        findVideo(ctx, x.params[0]!);
        sendJson(x.res, 200, presentVideo(ctx, updateVideo(ctx, x.params[0]!, await json(x))));
      },
    },
    {
      methods: ['DELETE'],
      pattern: path(`/videos/${ID}`),
      access: 'api',
      rateClass: 'write',
      handle: async (x) => {
        findVideo(ctx, x.params[0]!);
        await assembler.settled(x.params[0]!); // discarded with its whole source, never mid-assembly
        discardVideo(ctx, x.params[0]!);
        sendNoContent(x.res);
      },
    },
    {
      methods: ['GET'],
      pattern: path(`/videos/${ID}/status`),
      access: 'api',
      rateClass: 'read',
      handle: async (x) => {
        findVideo(ctx, x.params[0]!);
        await assembler.settled(x.params[0]!);
        sendJson(x.res, 200, presentStatus(ctx, findVideo(ctx, x.params[0]!)));
      },
    },
    {
      methods: ['POST'],
      pattern: path(`/videos/${ID}/source`),
      access: 'api',
      rateClass: 'upload',
      isUpload: true,
      handle: async (x) => sendJson(x.res, 201, await uploads.uploadToVideo(x.params[0]!, x)),
    },
    {
      methods: ['POST'],
      pattern: path('/upload'),
      access: 'public',
      rateClass: 'upload',
      isUpload: true,
      callerBy: 'upload-token',
      handle: async (x) => sendJson(x.res, 201, await uploads.uploadWithToken(x.query.get('token'), x)),
    },
    ...textTrackRoutes(deps),
    ...thumbnailRoutes(deps),
    ...accountRoutes(deps),
    ...discardedRoutes(deps),
    ...UNAVAILABLE_ROUTES.map(({ feature, path: source, methods }): Route => ({
      methods,
      pattern: path(source),
      access: 'api',
      rateClass: methods.includes('GET') ? 'read' : 'write',
      handle: () => notAvailable(feature),
    })),
    ...assetRoutes(deps),
  ];
  if (deps.testControls) routes.push(...controlRoutes(deps));
  return routes;
}

/** Captions and chapters: WebVTT per language on a video (text-tracks.ts); only captions take a PATCH. */
function textTrackRoutes({ ctx }: RouteDeps): Route[] {
  const perKind = (kind: TrackKind): Route[] => {
    const one = `/videos/${ID}/${kind}/${ID}`;
    return [
      route('GET', `/videos/${ID}/${kind}`, 'read', (x) =>
        sendJson(x.res, 200, listTracks(ctx, kind, x.params[0]!, x.query)),
      ),
      route('GET', one, 'read', (x) => sendJson(x.res, 200, getTrack(ctx, kind, x.params[0]!, x.params[1]!))),
      route('POST', one, 'write', async (x) =>
        sendJson(x.res, 200, await uploadTrack(ctx, kind, x.params[0]!, x.params[1]!, x.req, x.body)),
      ),
      route('DELETE', one, 'write', (x) => {
        deleteTrack(ctx, kind, x.params[0]!, x.params[1]!);
        sendNoContent(x.res);
      }),
      ...(kind === 'captions'
        ? [
            route('PATCH', one, 'write', async (x) =>
              sendJson(x.res, 200, updateCaption(ctx, x.params[0]!, x.params[1]!, await readJsonBody(x.req, x.body))),
            ),
          ]
        : []),
    ];
  };
  return [
    ...TRACK_KINDS.flatMap(perKind),
    {
      // The tracks' `src`: /vod/{id}/captions/{language}.vtt and /vod/{id}/chapters/{language}.vtt
      methods: ['GET', 'HEAD'],
      pattern: path(`/vod/${ID}/(captions|chapters)/([^/]+)\\.vtt`),
      access: 'public',
      rateClass: 'read',
      handle: (x) => {
        const [videoId, kind, language] = x.params as [string, TrackKind, string];
        sendStoredFile(x.req, x.res, storedTrackFile(ctx, kind, videoId, language), VTT_CONTENT_TYPE);
      },
    },
  ];
}

/** Thumbnail upload (multipart image) and pick (a timecode) (thumbnail.ts). */
function thumbnailRoutes({ ctx }: RouteDeps): Route[] {
  return [
    route('POST', `/videos/${ID}/thumbnail`, 'write', async (x) =>
      sendJson(x.res, 200, presentVideo(ctx, await uploadThumbnail(ctx, x.params[0]!, x.req, x.body))),
    ),
    route('PATCH', `/videos/${ID}/thumbnail`, 'write', async (x) =>
      sendJson(x.res, 200, presentVideo(ctx, pickThumbnail(ctx, x.params[0]!, await readJsonBody(x.req, x.body)))),
    ),
  ];
}

/** Watermarks, player themes (and their logos), tags, webhooks and summaries: resources of the account. */
function accountRoutes({ ctx }: RouteDeps): Route[] {
  const json = (x: Exchange, allowEmpty = false) => readJsonBody(x.req, x.body, allowEmpty);
  const noContent = (x: Exchange, act: () => void) => {
    act();
    sendNoContent(x.res);
  };
  return [
    route('POST', '/watermarks', 'write', async (x) => sendJson(x.res, 200, await uploadWatermark(ctx, x.req, x.body))),
    route('GET', '/watermarks', 'read', (x) => sendJson(x.res, 200, listWatermarks(ctx, x.query))),
    route('DELETE', `/watermarks/${ID}`, 'write', (x) => noContent(x, () => deleteWatermark(ctx, x.params[0]!))),
    route('POST', '/players', 'write', async (x) => sendJson(x.res, 201, createPlayerTheme(ctx, await json(x, true)))),
    route('GET', '/players', 'read', (x) => sendJson(x.res, 200, listPlayerThemes(ctx, x.query))),
    route('GET', `/players/${ID}`, 'read', (x) => sendJson(x.res, 200, getPlayerTheme(ctx, x.params[0]!))),
    route('PATCH', `/players/${ID}`, 'write', async (x) =>
      sendJson(x.res, 200, updatePlayerTheme(ctx, x.params[0]!, await json(x, true))),
    ),
    route('DELETE', `/players/${ID}`, 'write', (x) => noContent(x, () => deletePlayerTheme(ctx, x.params[0]!))),
    route('POST', `/players/${ID}/logo`, 'write', async (x) =>
      sendJson(x.res, 201, await uploadLogo(ctx, x.params[0]!, x.req, x.body)),
    ),
    route('DELETE', `/players/${ID}/logo`, 'write', (x) => noContent(x, () => deleteLogo(ctx, x.params[0]!))),
    {
      // A theme's `assets.logo`: /player/{playerId}/logo.png or .jpg
      methods: ['GET', 'HEAD'],
      pattern: path(`/player/${ID}/logo\\.(?:png|jpg)`),
      access: 'public',
      rateClass: 'read',
      handle: (x) => {
        const logo = storedLogo(ctx, x.params[0]!);
        sendStoredFile(x.req, x.res, logo.path, logo.contentType);
      },
    },
    route('GET', '/tags', 'read', (x) => sendJson(x.res, 200, listTags(ctx, x.query))),
    route('POST', '/webhooks', 'write', async (x) => sendJson(x.res, 201, createWebhook(ctx, await json(x)))),
    route('GET', '/webhooks', 'read', (x) => sendJson(x.res, 200, listWebhooks(ctx, x.query))),
    route('GET', `/webhooks/${ID}`, 'read', (x) => sendJson(x.res, 200, getWebhook(ctx, x.params[0]!))),
    route('DELETE', `/webhooks/${ID}`, 'write', (x) => noContent(x, () => deleteWebhook(ctx, x.params[0]!))),
    route('POST', '/summaries', 'write', async (x) => sendJson(x.res, 201, createSummary(ctx, await json(x)))),
    route('GET', '/summaries', 'read', (x) => sendJson(x.res, 200, listSummaries(ctx, x.query))),
    route('DELETE', `/summaries/${ID}`, 'write', (x) => noContent(x, () => deleteSummary(ctx, x.params[0]!))),
    route('GET', `/summaries/${ID}/source`, 'read', (x) => sendJson(x.res, 200, getSummarySource(ctx, x.params[0]!))),
    route('PATCH', `/summaries/${ID}/source`, 'write', async (x) =>
      sendJson(x.res, 201, updateSummarySource(ctx, x.params[0]!, await json(x))),
    ),
  ];
}

/** Deleted videos waiting in /discarded/videos (discarded.ts). */
function discardedRoutes({ ctx }: RouteDeps): Route[] {
  return [
    route('GET', '/discarded/videos', 'read', (x) => sendJson(x.res, 200, listDiscarded(ctx, x.query))),
    route('GET', `/discarded/videos/${ID}`, 'read', (x) =>
      sendJson(x.res, 200, presentVideo(ctx, findDiscarded(ctx, x.params[0]!))),
    ),
    route('PATCH', `/discarded/videos/${ID}`, 'write', async (x) =>
      sendJson(x.res, 200, presentVideo(ctx, restoreDiscarded(ctx, x.params[0]!, await readJsonBody(x.req, x.body)))),
    ),
  ];
}

/** GET/HEAD routes for one asset under /vod/{id}/ and /vod/{id}/token/{t}/; `extra` are the asset path's captures. */
function vodRoutes(
  assetPattern: string,
  handle: (x: Exchange, videoId: string, token: string | null, extra: string[]) => Promise<void> | void,
): Route[] {
  const route = (prefix: string, read: (params: string[]) => [string, string | null, string[]]): Route => ({
    methods: ['GET', 'HEAD'],
    pattern: path(`${prefix}/${assetPattern}`),
    access: 'public',
    rateClass: 'read',
    handle: (x) => handle(x, ...read(x.params)),
  });
  return [
    route(`/vod/${ID}`, ([videoId, ...extra]) => [videoId!, null, extra]),
    route(`/vod/${ID}/token/${ID}`, ([videoId, token, ...extra]) => [videoId!, token!, extra]),
  ];
}

function assetRoutes({ ctx, assembler }: RouteDeps): Route[] {
  /** The video behind an asset URL (private token spent unless `keep`), its upload assembly settled. */
  const asset = async (videoId: string, token: string | null, keep = false) => {
    const video = videoForAsset(ctx, videoId, token, keep);
    await assembler.settled(video.videoId);
    return findVideo(ctx, video.videoId);
  };
  return [
    {
      methods: ['GET', 'HEAD'],
      pattern: path(`/vod/${ID}`),
      access: 'public',
      rateClass: 'read',
      handle: (x) => {
        const token = x.query.get('token');
        const video = videoForAsset(ctx, x.params[0]!, token, true); // the page's own mp4 request spends it
        sendPlayerPage(
          x.res,
          `${vodPrefix(ctx.baseUrl, video.videoId, token || null)}/${ASSET_PATHS.mp4}`,
          video.title,
        );
      },
    },
    ...vodRoutes(literalPattern(ASSET_PATHS.mp4), async (x, videoId, token) => {
      const video = await asset(videoId, token);
      sendSourceFile(x.req, x.res, ctx.storage.sourcePath(video.videoId));
    }),
    ...vodRoutes(literalPattern(ASSET_PATHS.thumbnail), async (x, videoId, token) => {
      const video = await asset(videoId, token);
      // An uploaded image is served as sent (its own content type); otherwise the generated poster.
      const stored = storedThumbnailFile(ctx, video);
      if (stored) sendStoredFile(x.req, x.res, stored.path, stored.contentType);
      else sendThumbnail(x.req, x.res, video);
    }),
    ...vodRoutes(literalPattern(ASSET_PATHS.hls), async (x, videoId, token) =>
      sendPlaylist(ctx, x.req, x.res, await asset(videoId, token, true), token),
    ),
    ...vodRoutes(SEGMENT_PATTERN, async (x, videoId, token, [index]) =>
      sendSegment(ctx, x.req, x.res, await asset(videoId, token), Number(index)),
    ),
  ];
}

const clockPayload = z.object({ advanceSeconds: z.number().finite() });
const rateLimitPayload = z.object({ preset: z.enum(['off', 'production', 'sandbox']) });

function controlRoutes({ ctx, faults, limiter, assembler }: RouteDeps): Route[] {
  const parse = async <T>(x: Exchange, schema: z.ZodType<T>): Promise<T> => {
    const parsed = schema.safeParse(await readJsonBody(x.req, x.body, true));
    if (!parsed.success) throw new ApiProblem('invalid-payload', undefined, parsed.error.message);
    return parsed.data;
  };
  return [
    {
      methods: ['POST'],
      pattern: path('/_sandbox/clock'),
      access: 'control',
      rateClass: 'read',
      handle: async (x) => {
        ctx.clock.advance((await parse(x, clockPayload)).advanceSeconds);
        ctx.save();
        sendJson(x.res, 200, { now: atom(ctx.clock.now()), offsetSeconds: ctx.clock.offset / 1000 });
      },
    },
    {
      methods: ['POST'],
      pattern: path('/_sandbox/faults'),
      access: 'control',
      rateClass: 'read',
      handle: async (x) => {
        faults.set(await parse(x, faultsSchema));
        sendJson(x.res, 200, { faults: faults.current });
      },
    },
    {
      methods: ['DELETE'],
      pattern: path('/_sandbox/faults'),
      access: 'control',
      rateClass: 'read',
      handle: (x) => {
        faults.clear();
        sendNoContent(x.res);
      },
    },
    {
      methods: ['POST'],
      pattern: path('/_sandbox/rate-limit'),
      access: 'control',
      rateClass: 'read',
      handle: async (x) => {
        limiter.preset = (await parse(x, rateLimitPayload)).preset;
        limiter.reset();
        sendJson(x.res, 200, { preset: limiter.preset });
      },
    },
    {
      methods: ['POST'],
      pattern: path('/_sandbox/reset'),
      access: 'control',
      rateClass: 'read',
      handle: async (x) => {
        await assembler.settleAll();
        ctx.state = emptyState();
        ctx.clock.offset = 0;
        ctx.storage.wipe();
        wipeAccountFiles(ctx);
        ctx.privateTokens.clear();
        Object.assign(ctx.counters, { requests: 0, chunksAccepted: 0, chunksRejected: 0, bytesReceived: 0 });
        faults.clear();
        limiter.reset();
        ctx.save();
        sendNoContent(x.res);
      },
    },
    {
      methods: ['POST'],
      pattern: path('/_sandbox/api-keys'),
      access: 'control',
      rateClass: 'read',
      handle: (x) => sendJson(x.res, 201, { apiKey: addApiKey(ctx) }),
    },
    {
      methods: ['GET'],
      pattern: path('/_sandbox/stats'),
      access: 'control',
      rateClass: 'read',
      handle: (x) => sendJson(x.res, 200, ctx.stats()),
    },
  ];
}
