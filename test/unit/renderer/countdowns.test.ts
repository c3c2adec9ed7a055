// Countdowns and states in plain words: the token and window labels share one notion of "time left"; encoding is what Convoy follows.
import { describe, expect, it } from 'vitest';
import { formatCountdown, timeLeft } from '../../../renderer/ui/format';
import { isEncoding, windowLabel } from '../../../renderer/features/uploads/jobStatus';

const now = Date.UTC(2026, 10, 29, 12, 0, 0);
const in_ = (seconds: number) => now + seconds * 1000;

describe('countdowns', () => {
  it('say how long is left, and nothing once it has passed', () => {
    expect(timeLeft(in_(250), now)).toBe('4 min 10 s');
    expect(timeLeft(in_(0), now)).toBeNull();
    expect(formatCountdown(in_(3725), now)).toBe('1 h 2 min left');
    expect(formatCountdown(in_(-5), now)).toBe('expired');
  });

  it('show the resume window only where it matters', () => {
    // Uploading with a day or more to spare: nothing to say; stopped, or under a day left: the deadline shows.
    expect(windowLabel({ state: 'uploading', windowEndsAt: in_(26 * 3600) }, now)).toBeNull();
    expect(windowLabel({ state: 'paused', windowEndsAt: in_(26 * 3600) }, now)).toBe('Can resume for 26 h');
    expect(windowLabel({ state: 'failed', windowEndsAt: in_(26 * 3600) }, now)).toBe('Can resume for 26 h');
    expect(windowLabel({ state: 'uploading', windowEndsAt: in_(23 * 3600) }, now)).toBe('Can resume for 23 h');
    expect(windowLabel({ state: 'paused', windowEndsAt: in_(7 * 86400 - 3600) }, now)).toBe('Can resume for 6 d 23 h');
    expect(windowLabel({ state: 'queued', windowEndsAt: in_(-1) }, now)).toBe('Can no longer resume');
    expect(windowLabel({ state: 'done', windowEndsAt: in_(100) }, now)).toBeNull();
    expect(windowLabel({ state: 'uploading' }, now)).toBeNull();
    expect(windowLabel({ state: 'uploading', windowEndsAt: in_(52 * 60 + 6) }, now)).toBe('Can resume for 52 min');
    expect(windowLabel({ state: 'uploading', windowEndsAt: in_(9 * 60 + 6) }, now)).toBe('Can resume for 9 min 6 s');
  });
});

describe('encoding', () => {
  it('is "encoding" only while Convoy follows it; a video nobody followed is not', () => {
    expect(isEncoding({ state: 'finalizing' })).toBe(true);
    expect(isEncoding({ state: 'done', encoding: 'encoding' })).toBe(true);
    expect(isEncoding({ state: 'done', encoding: 'pending' })).toBe(false);
    expect(isEncoding({ state: 'done', encoding: 'playable' })).toBe(false);
  });
});
