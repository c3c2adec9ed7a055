// Cross-origin access as api.video grants it to browser clients (the official uploader and players): any origin,
// no credentials; preflights name the methods of the path and the headers api.video's clients send.
import type { ServerResponse } from 'node:http';

/** The request headers a cross-origin page may send: those of api.video's clients, and Range for the media. */
export const CORS_ALLOWED_HEADERS = [
  'Accept',
  'Authorization',
  'Content-Type',
  'Content-Range',
  'Range',
  'AV-Origin-Client',
  'AV-Origin-App',
  'AV-Origin-Sdk',
] as const;

/** The reply headers a page may read beyond the safelisted ones: the rate limits and a media range. */
export const CORS_EXPOSED_HEADERS = [
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Retry-After',
  'Content-Range',
  'Accept-Ranges',
] as const;

/** How long a browser may reuse a preflight answer, in seconds. */
const PREFLIGHT_MAX_AGE = 600;

/** Headers for every reply of the API and the CDN routes, problems included. */
export function setCorsHeaders(res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', CORS_EXPOSED_HEADERS.join(', '));
  res.setHeader('Timing-Allow-Origin', '*');
}

/** The methods a path answers (OPTIONS always), as sent in Allow and Access-Control-Allow-Methods. */
export function allowedMethods(methods: Iterable<string>): string {
  return [...new Set([...methods, 'OPTIONS'])].join(', ');
}

/** 204 to an OPTIONS request (a preflight or not) on a path answering `methods`; `cors` false for test controls. */
export function answerOptions(res: ServerResponse, methods: Iterable<string>, cors: boolean): void {
  const allow = allowedMethods(methods);
  res.statusCode = 204;
  res.setHeader('Allow', allow);
  if (cors) {
    res.setHeader('Access-Control-Allow-Methods', allow);
    res.setHeader('Access-Control-Allow-Headers', CORS_ALLOWED_HEADERS.join(', '));
    res.setHeader('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE));
  }
  res.end();
}
