// The api.video problem catalogue: every error the sandbox can answer, with the exact type URL, title and status
// (NOTES.md §2.5, §3.2, §7.5), and the ApiProblem error that carries one up to the HTTP layer.

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  name?: string;
  detail?: string;
}

const DOCS = 'https://docs.api.video/reference/';

/** slug → [status, title]. Titles are reproduced verbatim from the docs' error maps and the spec examples. */
export const CATALOGUE = {
  // General
  'invalid-payload': [400, 'The payload is invalid.'],
  'invalid-attribute': [400, 'An attribute is invalid.'],
  'attribute-required': [400, 'This attribute is required.'],
  'request-invalid-query-parameter': [400, 'A query parameter is invalid.'],
  'resource-not-found': [404, 'The requested resource was not found.'],
  'unrecognized-request-url': [404, 'Unrecognized request URL.'],
  'method-not-allowed': [405, 'Method is not allowed for this route.'],
  'request-header-fields-too-large': [431, 'The request headers are too large.'],
  // Sandbox-specific (documented in main/sandbox/README.md): limits of the local server.
  'payload-too-large': [413, 'The request body is too large.'],
  'request-timeout': [408, 'The request took too long to arrive.'],
  'host-not-allowed': [403, 'The Host header does not name this server.'],
  'not-available-in-local-sandbox': [501, 'This operation is not available in the local sandbox.'],
  // Summaries (the spec's examples)
  'summary-already-exists': [409, 'A summary already exists or is being created on this video.'],
  'too-many-requests': [429, 'Too many requests.'],
  'server-error': [500, 'Server error'],
  'service-unavailable': [503, 'The service is temporarily unavailable.'],
  // Authentication (401 on API endpoints, 400 on /auth/*)
  'authentication-invalid-user-credentials': [400, 'The user credentials were incorrect.'],
  'authentication-invalid-api-key': [401, 'The API key is invalid.'],
  'authentication-invalid-access-token': [401, 'The access token is invalid or expired.'],
  'authentication-invalid-upload-token': [401, 'The upload token is invalid or expired.'],
  'authentication-invalid-refresh-token': [401, 'The refresh token is invalid.'],
  'authentication-invalid-authorization-header-value': [401, 'The "Authorization" header value is invalid.'],
  'authentication-missing-authorization-header': [401, 'The "Authorization" header is missing.'],
  'authentication-missing-upload-token': [401, 'The upload token is missing.'],
  // Upload: general / mode
  'video-content-range-malformed': [
    400,
    'The value of the "Content-Range" header is malformed, the expected format is "bytes <from_byte>-<to_byte>/<total_bytes>" or "part <part>/<total_parts>".',
  ],
  'video-content-range-started-with-part': [
    400,
    'This "Content-Range" upload has been started with "part", you cannot continue it with "bytes".',
  ],
  'video-content-range-started-with-bytes': [
    400,
    'This "Content-Range" upload has been started with "bytes", you cannot continue it with "part"',
  ],
  'video-content-range-already-initiated': [
    400,
    'This video source has already been initiated with a "Content-Range" upload.',
  ],
  // Upload: by bytes
  'video-content-range-by-bytes-different-total-bytes': [
    400,
    'The "total_bytes" value in the "Content-Range" header must be the same than the one you already set for this video.',
  ],
  'video-content-range-by-bytes-from-byte-too-high': [
    400,
    'The "from_byte" value in the "Content-Range" header is higher than the "to_byte" value.',
  ],
  'video-content-range-by-bytes-range-mismatch': [
    400,
    'The size of the file you sent is different than the range length you set in the "Content-Range" header.',
  ],
  'video-content-range-by-bytes-range-overlap': [
    400,
    'The range in the "Content-Range" header overlaps with a previous one you already sent for this video.',
  ],
  'video-content-range-by-bytes-range-too-small': [400, 'The range in the "Content-Range" header is too small.'],
  'video-content-range-by-bytes-range-too-large': [400, 'The range in the "Content-Range" header is too large.'],
  'video-content-range-by-bytes-to-byte-too-high-allowed': [
    400,
    'The "to_byte" value in the "Content-Range" header is higher than the maximum upper bound allowed for a video.',
  ],
  'video-content-range-by-bytes-to-byte-too-high-total': [
    400,
    'The "to_byte" value in the "Content-Range" header is higher than the "total_bytes" value you set for this video.',
  ],
  'video-content-range-by-bytes-total-bytes-too-high': [
    400,
    'The "total_bytes" value in the "Content-Range" header is higher than the maximum allowed limit.',
  ],
  'video-content-range-by-bytes-total-bytes-too-low': [
    400,
    'The "total_bytes" value in the "Content-Range" header is lower than or equal to the upper bound of a range you already sent for this video.',
  ],
  'video-content-range-by-bytes-total-bytes-zero': [
    400,
    'The "total_bytes" value in the "Content-Range" header must be greater than 0.',
  ],
  // Upload: by part
  'video-content-range-by-part-different-total-parts': [
    400,
    'The "total_parts" value in the "Content-Range" header must be the same than the one you already set for this video.',
  ],
  'video-content-range-by-part-part-already-sent': [
    400,
    'The "part" value in the "Content-Range" header collides with a previous one you already sent for this video.',
  ],
  'video-content-range-by-part-part-too-high-allowed': [
    400,
    'The "part" value in the "Content-Range" header is higher than the maximum number of parts allowed for a video.',
  ],
  'video-content-range-by-part-part-too-high-total': [
    400,
    'The "part" value in the "Content-Range" header is higher than the "total_parts" value you set for this video.',
  ],
  'video-content-range-by-part-part-zero': [
    400,
    'The "part" value in the "Content-Range" header must be greater than 0.',
  ],
  'video-content-range-by-part-total-parts-too-high': [
    400,
    'The "total_parts" value in the "Content-Range" header is higher than the maximum number of parts allowed for a video.',
  ],
  'video-content-range-by-part-total-parts-too-low': [
    400,
    'The "total_parts" value in the "Content-Range" header is lower than or equal to a part number you already sent for this video.',
  ],
  'video-content-range-by-part-total-parts-zero': [
    400,
    'The "total_parts" value in the "Content-Range" header must be greater than 0.',
  ],
  'video-content-range-by-part-uploaded-file-too-small': [400, 'The uploaded file is too small.'],
  // Upload: file / source state
  'uploaded-file-empty': [400, 'The uploaded file is empty.'],
  'uploaded-file-invalid-file': [400, 'The uploaded file is invalid.'],
  'uploaded-file-multiple-files': [400, 'There is more than one uploaded file in the request.'],
  'uploaded-file-no-file': [400, 'There is no uploaded file in the request.'],
  'uploaded-file-too-large': [400, 'The uploaded file is too large.'],
  'video-source-already-uploaded': [400, 'The source of the video is already uploaded.'],
  'video-source-already-copied': [
    400,
    'This video source has already been copied from an existing video when the video was created.',
  ],
  'video-source-already-downloaded': [400, 'This video source has already been downloaded when the video was created.'],
  // Sandbox-specific (documented in main/sandbox/README.md): the 7-day source window of a container.
  'video-upload-window-expired': [400, 'The upload window of this video has expired.'],
} as const satisfies Record<string, readonly [number, string]>;

export type ProblemSlug = keyof typeof CATALOGUE;

/** The slugs of the upload error catalogue (NOTES.md §7.5): all 400. */
export const UPLOAD_ERROR_SLUGS = (Object.keys(CATALOGUE) as ProblemSlug[]).filter(
  (slug) =>
    slug.startsWith('video-content-range') ||
    slug.startsWith('uploaded-file') ||
    slug.startsWith('video-source-already'),
);

export function problemBody(slug: ProblemSlug, name?: string, detail?: string, status?: number): ProblemBody {
  const [defaultStatus, title] = CATALOGUE[slug];
  const body: ProblemBody = { type: DOCS + slug, title, status: status ?? defaultStatus };
  if (name !== undefined) body.name = name;
  if (detail !== undefined) body.detail = detail;
  return body;
}

/** Thrown anywhere below the HTTP layer; the server turns it into a problem JSON reply. */
export class ApiProblem extends Error {
  readonly body: ProblemBody;
  constructor(slug: ProblemSlug, name?: string, detail?: string, status?: number) {
    const body = problemBody(slug, name, detail, status);
    super(`${body.status} ${slug}${detail ? `: ${detail}` : ''}`);
    this.body = body;
  }
  get status(): number {
    return this.body.status;
  }
}
