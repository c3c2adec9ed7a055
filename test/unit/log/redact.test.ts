// Secrets never reach a log: known values, headers, token query parameters and JSON fields are masked.
import { describe, expect, it } from 'vitest';
import { usage } from '../../../main/cli/args';
import { redact, registerSecret } from '../../../main/log/redact';

describe('redact', () => {
  it('masks registered secrets wherever they appear', () => {
    registerSecret('my-very-secret-api-key-123');
    expect(redact('failed for key my-very-secret-api-key-123!')).toBe('failed for key [redacted]!');
  });

  it('masks authorization headers, token parameters and token-like JSON fields', () => {
    const line = [
      'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_nature',
      'POST /upload?token=to1tcmSFHeYY5KzyhOqVKMKb&x=1',
      '{"apiKey":"abc123secret","refresh_token":"def456refresh","access_token":"ghi789"}',
      'authorization: Basic YWJjOg==',
    ].join('\n');
    const out = redact(line);
    for (const secret of [
      'eyJhbGciOiJIUzI1NiJ9',
      'to1tcmSFHeYY5KzyhOqVKMKb',
      'abc123secret',
      'def456refresh',
      'ghi789',
      'YWJjOg==',
    ]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('x=1');
  });

  it('masks an upload token and a JWT anywhere, even when nobody registered them', () => {
    const out = redact('sent with to1tcmSFHeYY5KzyhOqVKMKb and eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln');
    expect(out).toBe('sent with to[redacted] and [redacted-jwt]');
  });

  it('masks secret-shaped values of key and token fields in every form', () => {
    expect(redact('token=ab12cd34ef')).toBe('token=[redacted]');
    expect(redact('apiKey: ZmFrZWtleWZha2VrZXlmYWtla2V5')).toBe('apiKey: [redacted]');
    expect(redact("{'secret': 'x9x9x9x9'}")).toBe("{'secret': '[redacted]'}");
    expect(redact('Bearer abcdefgh12345678')).toBe('Bearer [redacted]');
  });

  it('never touches ordinary words, paths or URLs that merely follow "token" or "bearer"', () => {
    const prose = [
      'with an upload token: when it expires (ISO 8601, e.g. 2026-12-01T18:00:00Z)',
      'with an upload token: an API key of the same account',
      'the token: it may be mistyped',
      'profile cli:token:http://127.0.0.1:36413:5f3a9c0d1e2b',
      'Bearer authentication failed; bearer tokens are refreshed',
      '/home/me/Videos/tomorrowsRecordingSession.mp4 and toLowerCaseTransformations',
      'secret: none',
    ];
    for (const line of prose) expect(redact(line)).toBe(line);
  });

  it('leaves the CLI usage text exactly as written', () => {
    expect(redact(usage)).toBe(usage);
  });
});
