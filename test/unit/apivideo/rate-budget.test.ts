// The request budget read off api.video's X-RateLimit-* headers: requests go while the window has room (less a small
// reserve), wait for the window to turn when it has none, and the lowest count of one window wins.
import { describe, expect, it } from 'vitest';
import { RateBudget, reserveOf } from '../../../main/apivideo/rate-budget';

function reply(limit: number, remaining: number, retryAfter: number) {
  const headers: Record<string, string> = {
    'x-ratelimit-limit': String(limit),
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-retry-after': String(retryAfter),
  };
  return { header: (name: string) => headers[name] ?? null };
}

describe('RateBudget', () => {
  it('lets requests go before any reply named a limit, and while the window has room', () => {
    let now = 0;
    const budget = new RateBudget(() => now);
    expect(budget.waitMs()).toBe(0);
    budget.observe(reply(100, 50, 30));
    expect(budget.limit).toBe(100);
    expect(budget.waitMs()).toBe(0);
    now = 10_000;
    expect(budget.waitMs()).toBe(0);
  });

  it('waits for the window to turn once the remaining requests reach the reserve, counting those on their way', async () => {
    let now = 0;
    const budget = new RateBudget(() => now);
    budget.observe(reply(100, reserveOf(100) + 2, 20));
    expect(budget.waitMs()).toBe(0);
    const first = await budget.reserve();
    expect(budget.waitMs()).toBe(0);
    const second = await budget.reserve();
    expect(budget.waitMs()).toBe(20_000); // two on their way use the last requests above the reserve
    first();
    first(); // releasing twice counts once
    expect(budget.waitMs()).toBe(0);
    second();
    now = 20_000; // the window turned: nothing is known of the new one
    budget.observe(reply(100, 0, 40));
    expect(budget.waitMs()).toBe(40_000);
    now = 60_000;
    expect(budget.current).toBeNull();
    expect(budget.waitMs()).toBe(0);
  });

  it('keeps the lowest remaining count of one window (replies come out of order)', () => {
    const now = 0;
    const budget = new RateBudget(() => now);
    budget.observe(reply(40, 10, 30));
    budget.observe(reply(40, 25, 30));
    expect(budget.current?.remaining).toBe(10);
  });

  it('ignores replies without the headers, and a reservation waiting on a spent window stops on abort', async () => {
    const budget = new RateBudget(() => 0);
    budget.observe({ header: () => null });
    expect(budget.current).toBeNull();
    budget.observe(reply(40, 0, 60));
    const controller = new AbortController();
    const waiting = budget.reserve(controller.signal);
    controller.abort(new Error('paused'));
    await expect(waiting).rejects.toThrow('paused');
  });
});

describe('RateBudget with a longest wait', () => {
  it('does not wait longer than asked: the request goes, and its 429 goes to the caller', async () => {
    const budget = new RateBudget(() => 0);
    budget.observe(reply(40, 0, 30));
    const started = Date.now();
    const release = await budget.reserve(undefined, 10_000);
    expect(Date.now() - started).toBeLessThan(100);
    release();
  });
});
