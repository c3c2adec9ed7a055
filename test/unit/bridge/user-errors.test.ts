// The one mapping from failures to what the page is told: every vault refusal code and api.video failure kind to
// its bridge code and field, the errors that stay unknown, and the redacted 'failed' of a crash.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { BridgeErrorShape } from '../../../common/api';
import { ApiVideoError } from '../../../main/apivideo';
import {
  HandlerError,
  asHandlerError,
  envelopeError,
  invalidPayload,
  noClient,
  notAdded,
  uncheckable,
  unknownChannel,
  userFacing,
} from '../../../main/bridge/user-errors';
import { VaultError, type VaultErrorCode } from '../../../main/vault';

describe('user-facing errors', () => {
  it.each<[VaultErrorCode, BridgeErrorShape['code']]>([
    ['invalid', 'invalid-payload'],
    ['not-found', 'not-found'],
    ['check-failed', 'failed'],
    ['unsupported', 'unsupported'],
    ['key-needed', 'failed'],
    ['sandbox-not-running', 'unsupported'],
  ])("shows a vault refusal '%s' as '%s', with its message and field", (vaultCode, bridgeCode) => {
    const mapped = asHandlerError(new VaultError('Say it plainly.', 'auth.apiKey', vaultCode));
    expect(mapped).toBeInstanceOf(HandlerError);
    expect(mapped).toMatchObject({ code: bridgeCode, message: 'Say it plainly.', field: 'auth.apiKey' });
  });

  it('points an api.video 404 or 400 at the field the handler names, and any other failure at none', () => {
    const fields = { 404: 'token', 400: 'ttl' };
    expect(asHandlerError(new ApiVideoError('not-found', 'No such token.'), fields)).toMatchObject({
      code: 'not-found',
      message: 'No such token.',
      field: 'token',
    });
    expect(asHandlerError(new ApiVideoError('bad-request', 'ttl too long'), fields)).toMatchObject({
      code: 'failed',
      field: 'ttl',
    });
    const server = asHandlerError(new ApiVideoError('server', 'Try later.'), fields);
    expect(server).toMatchObject({ code: 'failed', message: 'Try later.' });
    expect((server as HandlerError).field).toBeUndefined();
    expect((asHandlerError(new ApiVideoError('not-found', 'gone')) as HandlerError).field).toBeUndefined();
  });

  it('leaves any other error as it is, for the router to hide', async () => {
    const crash = new TypeError('x is undefined');
    expect(asHandlerError(crash)).toBe(crash);
    await expect(userFacing(() => Promise.reject(crash))).rejects.toBe(crash);
    await expect(userFacing(() => 7)).resolves.toBe(7);
    await expect(userFacing(() => Promise.reject(new VaultError('No.', 'id', 'not-found')))).rejects.toMatchObject({
      name: 'HandlerError',
      code: 'not-found',
      field: 'id',
    });
  });

  it('says what could not be done when a profile has no client, a check cannot start, or files cannot be added', () => {
    const keyNeeded = new VaultError('Profile "A" has no key this session.', 'secret', 'key-needed');
    const refused = noClient(keyNeeded);
    expect(refused).toMatchObject({ code: 'failed', message: 'Profile "A" has no key this session.' });
    expect(refused.field).toBeUndefined();
    expect(uncheckable(keyNeeded)).toEqual({ ok: false, message: keyNeeded.message, summary: keyNeeded.message });
    expect(notAdded(new Error('no such folder'))).toMatchObject({
      code: 'failed',
      message: 'Could not add these files: no such folder',
    });
  });

  it('makes the envelope error: a HandlerError as is, a crash redacted with a log line', () => {
    expect(envelopeError(new HandlerError('not-found', 'No such token.', 'token'), 'tokens.get')).toEqual({
      error: { code: 'not-found', message: 'No such token.', field: 'token' },
    });
    const { error, logLine } = envelopeError(
      new Error('boom with Authorization: Bearer abcdefghijklmnop'),
      'tokens.delete',
    );
    expect(error.code).toBe('failed');
    expect(error.message).toMatch(/^boom with/);
    expect(logLine).toMatch(/^handler tokens\.delete failed: /);
    expect(`${error.message}\n${logLine}`).not.toContain('abcdefghijklmnop');
    expect(envelopeError('thrown text', 'app.info')).toMatchObject({
      error: { code: 'failed', message: 'thrown text' },
      logLine: 'handler app.info failed: thrown text',
    });
  });

  it('names the refused field of a payload and an unknown channel', () => {
    const parsed = z.object({ ttl: z.number() }).strict().safeParse({ ttl: 'soon' });
    expect(parsed.success).toBe(false);
    if (!parsed.success)
      expect(invalidPayload(parsed.error)).toMatchObject({
        code: 'invalid-payload',
        field: 'ttl',
        message: expect.stringMatching(/^Invalid request: ttl: /),
      });
    expect(unknownChannel('x'.repeat(100))).toEqual({
      code: 'unknown-channel',
      message: `Unknown channel "${'x'.repeat(60)}".`,
    });
  });
});
