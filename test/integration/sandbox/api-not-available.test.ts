// Live streams and analytics: every operation the spec defines for them answers the sandbox's own 501 problem
// (`not-available-in-local-sandbox`, with why) after authentication, never 404 unrecognized-request-url.
import { describe, expect, it } from 'vitest';
import { sandboxForFile } from '../../support/sandbox';
import { validatorFor } from './spec';

const sb = sandboxForFile();

/** Every live-stream and analytics operation of the spec, with a concrete path. */
const OPERATIONS: [method: string, path: string][] = [
  ['GET', '/live-streams'],
  ['POST', '/live-streams'],
  ['GET', '/live-streams/li4pqNqGUkhKfWcBGpZVLRY5'],
  ['PATCH', '/live-streams/li4pqNqGUkhKfWcBGpZVLRY5'],
  ['DELETE', '/live-streams/li4pqNqGUkhKfWcBGpZVLRY5'],
  ['POST', '/live-streams/li4pqNqGUkhKfWcBGpZVLRY5/thumbnail'],
  ['DELETE', '/live-streams/li4pqNqGUkhKfWcBGpZVLRY5/thumbnail'],
  ['PUT', '/live-streams/li4pqNqGUkhKfWcBGpZVLRY5/complete'],
  ['GET', '/data/metrics/play/count?from=2024-01-01'],
  ['GET', '/data/buckets/play/country?from=2024-01-01'],
  ['GET', '/data/timeseries/play?from=2024-01-01'],
];

/** The spec declares no 501: the reply is held to its generic problem shape (bad-request, as for other statuses). */
const problemShape = validatorFor('GET', '/videos', 500).validate;

describe('operations the local sandbox does not provide', () => {
  it.each(OPERATIONS)('%s %s answers 501 not-available-in-local-sandbox', async (method, path) => {
    const reply = await fetch(`${sb().url}${path}`, {
      method,
      headers: { Authorization: sb().basicAuth, 'Content-Type': 'application/json' },
      body: method === 'GET' || method === 'DELETE' ? undefined : JSON.stringify({ name: 'live' }),
    });
    expect(reply.status).toBe(501);
    expect(reply.headers.get('content-type')).toBe('application/json');
    expect(reply.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
    const body = await reply.json();
    expect(problemShape(body), JSON.stringify(problemShape.errors)).toBe(true);
    expect(body).toMatchObject({
      type: 'https://docs.api.video/reference/not-available-in-local-sandbox',
      title: 'This operation is not available in the local sandbox.',
      status: 501,
    });
    expect(body.detail).toMatch(/local sandbox does not .*https:\/\/sandbox\.api\.video/);
  });

  it('authenticates first: no credentials is still 401', async () => {
    const reply = await fetch(`${sb().url}/live-streams`);
    expect(reply.status).toBe(401);
    const wrongMethod = await fetch(`${sb().url}/data/timeseries/play`, {
      method: 'POST',
      headers: { Authorization: sb().basicAuth },
    });
    expect(wrongMethod.status).toBe(405);
  });
});
