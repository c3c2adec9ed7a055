// The api.video client's public surface: createClient, its types, the typed error and the validated reply types.
export { createClient, CLIENT_ORIGIN, sidecarsNeedKey } from './client';
export type { Auth, ClientOptions, ApiVideoClient, ConnectionCheckResult, SidecarApi, TrackKind } from './client';
export type { ChunkRequest } from './chunk-upload';
export { ApiVideoError, serverWaitSentence, waitText } from './errors';
export { exchange, defaultReplyLimits, ExchangeFailure } from './http-exchange';
export type { ApiVideoErrorKind, ReplyFault } from './errors';
export type { ReplyLimits } from './http-exchange';
export {
  environmentLabel,
  fixedBaseUrl,
  normalizeBaseUrl,
  BaseUrlError,
  PRODUCTION_URL,
  SANDBOX_URL,
} from './environments';
export type {
  Page,
  Pagination,
  Problem,
  UploadToken,
  UploadTokenListQuery,
  Video,
  VideoStatus,
  VideoCreationPayload,
  VideoUpdatePayload,
  VideoListQuery,
} from './schemas';
