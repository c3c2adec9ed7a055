// CORS on the sandbox as api.video grants it: preflights on every API route and /vod/ asset answered 204 with the
// path's methods and api.video's client headers, Access-Control-Allow-Origin on every reply (problems too), the
// rate-limit headers exposed, and none of it on the test controls.
import { describe, expect, it } from 'vitest';
import { sandboxForFile } from '../../support/sandbox';
import { buildRoutes } from '../../../main/sandbox/routes';

const sb = sandboxForFile();
const ORIGIN = 'http://localhost:5173';

function preflight(path: string, method: string, headers = 'authorization, content-range, av-origin-client') {
  return fetch(sb().url + path, {
    method: 'OPTIONS',
    headers: { Origin: ORIGIN, 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': headers },
  });
}

const list = (value: string | null) => (value ?? '').split(',').map((item) => item.trim().toLowerCase());

describe('CORS preflight', () => {
  it.each([
    ['/videos', 'POST'],
    ['/videos/vi0000000000000000000000/source', 'POST'],
    ['/videos/vi0000000000000000000000', 'PATCH'],
    ['/videos/vi0000000000000000000000/status', 'GET'],
    ['/upload', 'POST'],
    ['/upload-tokens/to0000000000000000000000', 'DELETE'],
    ['/auth/api-key', 'POST'],
    ['/auth/refresh', 'POST'],
    ['/vod/vi0000000000000000000000/hls/manifest.m3u8', 'GET'],
    ['/vod/vi0000000000000000000000/token/0000/mp4/source.mp4', 'GET'],
  ])('OPTIONS %s (%s) answers 204 with the methods and headers a browser client needs', async (path, method) => {
    const reply = await preflight(path, method);
    expect(reply.status).toBe(204);
    expect(reply.headers.get('access-control-allow-origin')).toBe('*');
    expect(list(reply.headers.get('access-control-allow-methods'))).toContain(method.toLowerCase());
    expect(list(reply.headers.get('allow'))).toEqual(list(reply.headers.get('access-control-allow-methods')));
    const allowed = list(reply.headers.get('access-control-allow-headers'));
    for (const header of [
      'authorization',
      'content-range',
      'content-type',
      'av-origin-client',
      'av-origin-app',
      'av-origin-sdk',
    ])
      expect(allowed).toContain(header);
    expect(Number(reply.headers.get('access-control-max-age'))).toBeGreaterThan(0);
  });

  it('answers a preflight on every path of the route table with exactly the methods routed there', async () => {
    const routes = buildRoutes({} as Parameters<typeof buildRoutes>[0]).filter((route) => route.access !== 'control');
    let checked = 0;
    for (const route of routes) {
      // A concrete path for the pattern: every capture becomes a plausible id, an alternation its first choice.
      const path = route.pattern.source
        .replace(/^\^|\$$/g, '')
        .replace(/\(\[\^\/\]\+\)/g, 'vi0000000000000000000000')
        .replace(/\(\\d\+\)/g, '0')
        .replace(/\((?:\?:)?(\w+)\|[^)]*\)/g, '$1')
        .replace(/\\(.)/g, '$1');
      if (!route.pattern.test(path)) continue; // a pattern too intricate to fill in this simple way
      checked += 1;
      const reply = await preflight(path, route.methods[0]!);
      expect(reply.status, path).toBe(204);
      const methods = list(reply.headers.get('access-control-allow-methods'));
      for (const method of route.methods) expect(methods, path).toContain(method.toLowerCase());
    }
    expect(checked).toBeGreaterThanOrEqual(Math.min(routes.length, 20));
  });

  it('answers 404 with CORS for a path no route has, and gives the test controls no CORS', async () => {
    const unknown = await preflight('/no/such/route', 'GET');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('access-control-allow-origin')).toBe('*');
    const control = await preflight('/_sandbox/reset', 'POST', 'content-type');
    expect(control.status).toBe(204);
    expect(control.headers.get('access-control-allow-origin')).toBeNull();
    expect(control.headers.get('access-control-allow-methods')).toBeNull();
  });
});

describe('CORS on replies', () => {
  it('every reply carries Access-Control-Allow-Origin, problems included, and exposes the rate-limit headers', async () => {
    const replies = [
      await fetch(`${sb().url}/videos`, { headers: { Origin: ORIGIN, Authorization: sb().basicAuth } }),
      await fetch(`${sb().url}/videos`, { headers: { Origin: ORIGIN } }), // 401
      await fetch(`${sb().url}/videos/viNope`, { headers: { Origin: ORIGIN, Authorization: sb().basicAuth } }), // 404
      await fetch(`${sb().url}/videos`, { method: 'PUT', headers: { Origin: ORIGIN } }), // 405
      await fetch(`${sb().url}/vod/viNope/thumbnail.jpg`, { headers: { Origin: ORIGIN } }),
    ];
    expect(replies.map((r) => r.status)).toEqual([200, 401, 404, 405, 404]);
    for (const reply of replies) {
      expect(reply.headers.get('access-control-allow-origin')).toBe('*');
      const exposed = list(reply.headers.get('access-control-expose-headers'));
      for (const header of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-retry-after'])
        expect(exposed).toContain(header);
    }
    expect(list(replies[3]!.headers.get('allow'))).toEqual(['post', 'get', 'options']);
  });

  it('takes the JSON of /auth/api-key and /auth/refresh whatever its Content-Type, as the browser uploader sends it', async () => {
    const asText = (path: string, body: unknown) =>
      fetch(sb().url + path, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify(body) });
    const login = await asText('/auth/api-key', { apiKey: sb().apiKey });
    expect(login.status).toBe(200);
    const { refresh_token: refreshToken } = (await login.json()) as { refresh_token: string };
    const refreshed = await asText('/auth/refresh', { refreshToken });
    expect(refreshed.status).toBe(200);
    expect(await refreshed.json()).toMatchObject({ token_type: 'Bearer' });
    const garbage = await fetch(`${sb().url}/auth/refresh`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: 'not json',
    });
    expect(garbage.status).toBe(400);
  });
});
