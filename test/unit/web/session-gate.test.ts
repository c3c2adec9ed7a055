// Browser mode's sessions: a code is good once and only for its time, a cookie is good only on the key that
// signed it, and a cookie of an earlier run is told apart from none at all.
import { describe, expect, it } from 'vitest';
import { cookieValue, createSessionGate } from '../../../main/web/session';

const pairOf = (setCookie: string | null) => setCookie!.split(';')[0]!;

describe('session gate', () => {
  it('spends a code on first use and forgets it when its time is up', () => {
    let now = 1_000;
    const gate = createSessionGate({ port: 4100, now: () => now });
    const spent: string[] = [];
    const code = gate.issueCode(60_000, () => spent.push('a'));
    expect(gate.redeem(code)).toMatch(/^convoy-session-4100=[^;]+; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(spent).toEqual(['a']);
    expect(gate.redeem(code)).toBeNull();

    const late = gate.issueCode(60_000);
    now += 60_001;
    expect(gate.redeem(late)).toBeNull();
    expect(gate.redeem('')).toBeNull();
    gate.close();
  });

  it('runs onSpent for codes never used when it closes', () => {
    const gate = createSessionGate({ port: 1 });
    const spent: string[] = [];
    const code = gate.issueCode(null, () => spent.push('file removed'));
    gate.close();
    expect(spent).toEqual(['file removed']);
    expect(gate.redeem(code)).toBeNull();
  });

  it('accepts its own cookies; says "restarted" for another run\'s and "invalid" for a forged one', () => {
    const gate = createSessionGate({ port: 4100 });
    const cookie = pairOf(gate.redeem(gate.issueCode(1000)));
    expect(gate.check(`theme=dark; ${cookie}`)).toEqual({ ok: true });
    expect(gate.check(undefined)).toEqual({ ok: false, reason: 'no-session' });
    expect(gate.check('theme=dark')).toEqual({ ok: false, reason: 'no-session' });

    const [boot, random] = cookieValue(cookie, gate.cookieName)!.split('.');
    expect(gate.check(`${gate.cookieName}=${boot}.${random}.forged`)).toEqual({ ok: false, reason: 'invalid' });
    expect(gate.check(`${gate.cookieName}=garbage`)).toEqual({ ok: false, reason: 'invalid' });

    const restarted = createSessionGate({ port: 4100 });
    expect(restarted.check(cookie)).toEqual({ ok: false, reason: 'restarted' });
  });

  it('keeps sessions across a restart only on the same given key (end-to-end tests)', () => {
    const first = createSessionGate({ port: 4100, key: 'test-key' });
    const cookie = pairOf(first.redeem(first.issueCode(1000)));
    expect(createSessionGate({ port: 4100, key: 'test-key' }).check(cookie)).toEqual({ ok: true });
    expect(createSessionGate({ port: 4100, key: 'other-key' }).check(cookie)).toEqual({
      ok: false,
      reason: 'restarted',
    });
  });
});
