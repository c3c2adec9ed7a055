// Typed errors: problem JSON and statuses map to kinds, slugs and messages naming profile, environment and remedy.
import { describe, expect, it } from 'vitest';
import { ApiVideoError, errorFromResponse, slugOf, withoutWho } from '../../../main/apivideo/errors';
import type { ErrorContext } from '../../../main/apivideo/errors';
import { registerSecret } from '../../../main/log/redact';

const context: ErrorContext = {
  profileName: 'Work',
  environmentLabel: 'Sandbox',
  environmentKind: 'sandbox',
  baseUrl: 'https://sandbox.api.video',
  authKind: 'bearer',
};
const problem = (slug: string, title: string, status: number, extra: object = {}) =>
  JSON.stringify({ type: `https://docs.api.video/reference/${slug}`, title, status, ...extra });

describe('errorFromResponse', () => {
  it('never repeats a live secret the server echoed back, bare or as a bearer token', () => {
    const secret = 'tok_EchoedBack0123456789abcdef';
    registerSecret(secret);
    const body = problem('invalid-attribute', `Unknown token ${secret}`, 400, { detail: `Authorization: ${secret}` });
    const error = errorFromResponse(context, { method: 'GET', path: '/videos' }, 400, body);
    expect(error.message).toContain('The server said:');
    expect(error.message).not.toContain(secret);
  });

  it('explains a refused API key with profile, environment and what to do', () => {
    const body = problem('authentication-invalid-user-credentials', 'The user credentials were incorrect.', 400);
    const error = errorFromResponse(context, { method: 'POST', path: '/auth/api-key' }, 400, body);
    expect(error.kind).toBe('auth');
    expect(error.slug).toBe('authentication-invalid-user-credentials');
    expect(error.message).toContain('Profile "Work" on Sandbox (https://sandbox.api.video)');
    expect(error.message).toContain('API key was refused');
    expect(error.message).toContain('The server said: "The user credentials were incorrect." Check'); // one full stop
    expect(error.message).toContain('sandbox and production keys differ');
    expect(error.retryable).toBe(false);
    const local = errorFromResponse(
      { ...context, environmentKind: 'local', environmentLabel: 'Local sandbox' },
      { method: 'POST', path: '/auth/api-key' },
      400,
      body,
    );
    expect(local.message).toContain("Convoy's built-in profile already uses");
    expect(local.message).not.toContain('sandbox and production keys differ');
  });

  it('drops the opening "who" for a place that already names the profile', () => {
    const refused = errorFromResponse(context, { method: 'POST', path: '/auth/api-key' }, 401, '');
    expect(withoutWho(context, refused.message)).toMatch(/^The API key was refused \(HTTP 401\)\. Check that/);
    const gone = errorFromResponse(
      context,
      { method: 'GET', path: '/nope' },
      404,
      problem('unrecognized-request-url', 'Unrecognized request URL.', 404),
    );
    expect(withoutWho(context, gone.message)).toMatch(/^The server does not know GET \/nope/);
    expect(withoutWho(context, 'Something else.')).toBe('Something else.');
  });

  it('does not blame the key for a 400 on /auth/* that is about something else', () => {
    const body = problem('invalid-payload', 'The payload is invalid.', 400);
    const error = errorFromResponse(context, { method: 'POST', path: '/auth/api-key' }, 400, body);
    expect(error.kind).toBe('bad-request');
    expect(error.message).not.toContain('was refused (HTTP');
    expect(error.message).toContain('The payload is invalid.');
  });

  it('says "upload token" for token profiles', () => {
    const body = problem('authentication-invalid-upload-token', 'The upload token is invalid or expired.', 401);
    const error = errorFromResponse(
      { ...context, authKind: 'uploadToken' },
      { method: 'POST', path: '/upload' },
      401,
      body,
    );
    expect(error.kind).toBe('auth');
    expect(error.message).toMatch(/upload token was refused.*ask its owner for a new one/s);
  });

  it('carries retryAfterSeconds on 429 and is retryable', () => {
    const error = errorFromResponse(
      context,
      { method: 'GET', path: '/videos' },
      429,
      problem('too-many-requests', 'Too many requests.', 429),
      7,
    );
    expect(error.kind).toBe('rate-limit');
    expect(error.retryAfterSeconds).toBe(7);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('wait 7 s');
  });

  it('maps 404, 5xx and other 4xx, keeping the problem', () => {
    const notFound = errorFromResponse(
      context,
      { method: 'GET', path: '/videos/vi1' },
      404,
      problem('resource-not-found', 'The requested resource was not found.', 404, { name: 'videoId' }),
    );
    expect(notFound.kind).toBe('not-found');
    expect(notFound.message).toContain('"The requested resource was not found." (videoId)');
    const server = errorFromResponse(context, { method: 'GET', path: '/videos' }, 503, 'oops');
    expect(server.kind).toBe('server');
    expect(server.retryable).toBe(true);
    expect(server.problem).toBeUndefined();
    const bad = errorFromResponse(
      context,
      { method: 'POST', path: '/videos/vi1/source' },
      400,
      problem('video-content-range-by-part-part-already-sent', 'The "part" value collides.', 400, {
        detail: 'Part 2 was sent.',
      }),
    );
    expect(bad.kind).toBe('bad-request');
    expect(bad.slug).toBe('video-content-range-by-part-part-already-sent');
    expect(bad.problem?.detail).toBe('Part 2 was sent.');
    expect(bad).toBeInstanceOf(ApiVideoError);
  });

  it('takes the slug from the last path segment', () => {
    expect(slugOf({ type: 'https://docs.api.video/reference/uploaded-file-no-file/' })).toBe('uploaded-file-no-file');
    expect(slugOf({})).toBeUndefined();
  });
});
