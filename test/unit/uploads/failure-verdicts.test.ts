// The failure classifier: what each failure means for an upload (retry, wait offline, fail, start over, already
// there); a reply fault spends retries (never "offline"), a lost connection does not; a wait over MAX_SERVER_WAIT_MS
// is cut and said.
import { describe, expect, it } from 'vitest';
import { ApiVideoError, waitText } from '../../../main/apivideo/index';
import { MAX_SERVER_WAIT_MS, cappedServerWait } from '../../../main/uploads/backoff';
import { classifyFailure } from '../../../main/uploads/failure';

describe('classifyFailure, connection or reply', () => {
  it.each([
    ['network', undefined, 'network'],
    ['timeout', undefined, 'network'],
    ['network', 'cut-reply', 'retry'],
    ['timeout', 'no-reply', 'retry'],
    ['timeout', 'slow-body', 'retry'],
    ['invalid-response', 'html', 'retry'],
    ['redirect', 'redirect', 'retry'],
  ] as const)('%s with replyFault %s → %s', (kind, replyFault, verdict) => {
    const error = new ApiVideoError(kind, 'm', replyFault ? { replyFault } : {});
    expect(classifyFailure(error)).toMatchObject({ kind: verdict, message: 'm' });
  });
});

describe('server-requested waits', () => {
  it('keeps a wait under the cap as asked', () => {
    const error = new ApiVideoError('rate-limit', 'Too many. The server asks to wait 30 s.', { retryAfterSeconds: 30 });
    expect(classifyFailure(error)).toEqual({
      kind: 'retry',
      message: error.message,
      rateLimited: true,
      retryAfterSeconds: 30,
    });
  });

  it('cuts a longer one to the cap and says both, in the sentence the error had or after it', () => {
    const said = new ApiVideoError('rate-limit', 'Too many. The server asks to wait 24 h. Fewer help.', {
      retryAfterSeconds: 86_400,
    });
    expect(classifyFailure(said)).toEqual({
      kind: 'retry',
      message: 'Too many. The server asked to wait 24 h; retrying in 5 min. Fewer help.',
      rateLimited: true,
      retryAfterSeconds: 300,
      requestedWaitSeconds: 86_400,
    });
    const unsaid = new ApiVideoError('server', 'Down.', { retryAfterSeconds: 3600 });
    expect(classifyFailure(unsaid)).toMatchObject({
      message: 'Down. The server asked to wait 1 h; retrying in 5 min.',
      rateLimited: false,
      retryAfterSeconds: 300,
    });
  });

  it('caps at MAX_SERVER_WAIT_MS', () => {
    expect(cappedServerWait(86_400)).toBe(MAX_SERVER_WAIT_MS / 1000);
    expect(cappedServerWait(299)).toBe(299);
  });

  it('reads waits as a person does', () => {
    expect([waitText(45), waitText(300), waitText(3599), waitText(5400), waitText(86_400)]).toEqual([
      '45 s',
      '5 min',
      '60 min',
      '1.5 h',
      '24 h',
    ]);
  });
});

describe('failure verdicts', () => {
  it('treats already-sent parts as done and network loss as a reason to probe', () => {
    const problem = (slug: string) => ({ type: `https://docs.api.video/reference/${slug}`, title: 't', status: 400 });
    expect(
      classifyFailure(
        new ApiVideoError('bad-request', 'x', {
          status: 400,
          problem: problem('video-content-range-by-part-part-already-sent'),
        }),
      ).kind,
    ).toBe('already-have');
    expect(classifyFailure(new ApiVideoError('network', 'x')).kind).toBe('network');
    expect(classifyFailure(new ApiVideoError('rate-limit', 'x', { retryAfterSeconds: 3 }))).toMatchObject({
      kind: 'retry',
      rateLimited: true,
      retryAfterSeconds: 3,
    });
    expect(classifyFailure(new ApiVideoError('auth', 'x')).kind).toBe('fail');
    expect(classifyFailure(Object.assign(new Error('gone'), { code: 'ENOENT' })).kind).toBe('fail');
  });
});
