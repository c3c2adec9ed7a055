// Live streams and analytics: operations the local sandbox cannot provide (no RTMP ingest, no player sessions to
// count). Each of their routes answers 501 `not-available-in-local-sandbox` instead of a 404 that reads like a typo.
import { ApiProblem } from './problems';

export type UnavailableFeature = 'live streams' | 'analytics';

const WHY: Record<UnavailableFeature, string> = {
  'live streams': 'Live streams need an RTMP ingest and a live encoder, which the local sandbox does not run.',
  analytics: 'Analytics count real player sessions, which the local sandbox does not collect.',
};

/** The spec's paths (route patterns, ids captured) of each feature the sandbox does not provide, with their methods. */
export const UNAVAILABLE_ROUTES: { feature: UnavailableFeature; path: string; methods: string[] }[] = [
  { feature: 'live streams', path: '/live-streams', methods: ['GET', 'POST'] },
  { feature: 'live streams', path: '/live-streams/([^/]+)', methods: ['GET', 'PATCH', 'DELETE'] },
  { feature: 'live streams', path: '/live-streams/([^/]+)/thumbnail', methods: ['POST', 'DELETE'] },
  { feature: 'live streams', path: '/live-streams/([^/]+)/complete', methods: ['PUT'] },
  { feature: 'analytics', path: '/data/metrics/([^/]+)/([^/]+)', methods: ['GET'] },
  { feature: 'analytics', path: '/data/buckets/([^/]+)/([^/]+)', methods: ['GET'] },
  { feature: 'analytics', path: '/data/timeseries/([^/]+)', methods: ['GET'] },
];

export function notAvailable(feature: UnavailableFeature): never {
  throw new ApiProblem(
    'not-available-in-local-sandbox',
    undefined,
    `${WHY[feature]} Use api.video's own sandbox (https://sandbox.api.video) for ${feature}.`,
  );
}
