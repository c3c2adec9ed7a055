// Sizes say the unit they are counted in (binary: KiB, MiB, GiB), one countdown format ticks everywhere, and
// "No expiry" is the longest lifetime when tokens are sorted by it.
import { describe, expect, it } from 'vitest';
import { formatBytes, formatSpeed } from '../../../renderer/ui/format';
import { describeTtl, orderByLifetime, tokenTimeLeft } from '../../../renderer/features/tokens/ttl';

describe('formatBytes', () => {
  it('labels binary sizes with binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(3_000_000)).toBe('2.9 MiB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GiB');
    expect(formatBytes(150 * 1024)).toBe('150 KiB');
    expect(formatSpeed(87_347)).toBe('85.3 KiB/s');
  });

  it('never shows 1024 of a unit: it steps up instead', () => {
    expect(formatBytes(1024 * 1024 - 10)).toBe('1.0 MiB');
    expect(formatBytes(-1)).toBe('—');
  });
});

describe('token countdowns and lifetimes', () => {
  const created = Date.UTC(2026, 10, 29, 12, 0, 0);
  const token = (ttl: number) => ({
    ttl,
    createdAt: new Date(created).toISOString(),
    expiresAt: new Date(created + ttl * 1000).toISOString(),
  });

  it('count down in one format on both sides of an hour', () => {
    expect(tokenTimeLeft(token(7200), created + 1000).text).toBe('1 h 59 min left');
    expect(tokenTimeLeft(token(3600), created).text).toBe('1 h left');
    expect(tokenTimeLeft(token(3600), created + 1000).text).toBe('59 min 59 s left');
    expect(tokenTimeLeft(token(60), created + 61_000)).toMatchObject({ expired: true, text: 'expired' });
    expect(tokenTimeLeft({ ttl: 0 }, created)).toMatchObject({ fraction: null });
    expect(describeTtl(0)).toBe('No expiry');
  });

  it('sort "No expiry" as the longest lifetime', () => {
    const list = [token(900), token(0), token(3600)];
    expect(orderByLifetime(list, 'desc').map((t) => t.ttl)).toEqual([0, 3600, 900]);
    expect(orderByLifetime(list, 'asc').map((t) => t.ttl)).toEqual([900, 3600, 0]);
  });
});
