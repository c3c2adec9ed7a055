// Each exit where a server's words become Convoy's own text masks the credentials registered for redaction: a
// failure's verdict (the job's reason), a journal record's free text, and a handler's error envelope.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiVideoError } from '../../../main/apivideo';
import { HandlerError, envelopeError } from '../../../main/bridge/user-errors';
import { registerSecret } from '../../../main/log/redact';
import { classifyFailure } from '../../../main/uploads/failure';
import { Journal } from '../../../main/uploads/journal';
import { job } from '../../support/journal-job';

/** An opaque token (not a JWT, no "Bearer" before it): only its registered value can find it. */
const token = 'Zq8rT3vW9xY2mN5pL7kJ4hG6fD1sA0';
registerSecret(token);
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('redaction at the exits', () => {
  it("masks a bare token in a failure's verdict", () => {
    for (const kind of ['bad-request', 'auth', 'server', 'not-found'] as const) {
      const verdict = classifyFailure(new ApiVideoError(kind, `The server said: token ${token} is not allowed.`));
      expect('message' in verdict && verdict.message).toBe('The server said: token [redacted] is not allowed.');
    }
  });

  it("masks a bare token in a journaled job's reason, details problem and restart reason", () => {
    const dir = mkdtempSync(join(tmpdir(), 'convoy-redaction-journal-'));
    dirs.push(dir);
    const journal = Journal.open({ dir });
    journal.add({ ...job('a', 1), reason: `refused ${token}` }, true);
    journal.set('a', { detailsProblem: `said ${token}`, restartReason: `echo ${token}`, reason: `again ${token}` });
    journal.sync();
    journal.compact();
    journal.set('a', { reason: `later ${token}` });
    journal.close();
    const text = readdirSync(dir)
      .map((name) => readFileSync(join(dir, name), 'utf8'))
      .join('\n');
    expect(text).toContain('refused [redacted]');
    expect(text).toContain('later [redacted]');
    expect(text).not.toContain(token);
  });

  it("masks a bare token in a HandlerError's message", () => {
    const { error } = envelopeError(new HandlerError('failed', `Refused ${token}.`), 'tokens.create');
    expect(error.message).toBe('Refused [redacted].');
  });
});
