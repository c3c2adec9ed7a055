// Secrets never reach a log: known values, headers, token query parameters and JSON fields are masked.
import { describe, expect, it } from 'vitest';
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
    for (const secret of ['eyJhbGciOiJIUzI1NiJ9', 'to1tcmSFHeYY5KzyhOqVKMKb', 'abc123secret', 'def456refresh', 'ghi789', 'YWJjOg==']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('x=1');
  });
});
