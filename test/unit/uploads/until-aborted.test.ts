// Giving up on a promise once a signal aborts (closing must not wait for a slow server), and not before.
import { describe, expect, it } from 'vitest';
import { untilAborted } from '../../../main/lib/sleep';

describe('untilAborted', () => {
  it('settles with the promise when the signal stays quiet', async () => {
    await expect(untilAborted(Promise.resolve(7), new AbortController().signal)).resolves.toBe(7);
    await expect(untilAborted(Promise.reject(new Error('no')), new AbortController().signal)).rejects.toThrow('no');
  });

  it('rejects with the reason as soon as the signal aborts, however long the promise takes', async () => {
    const stop = new AbortController();
    const never = new Promise<number>(() => {});
    const waiting = untilAborted(never, stop.signal);
    stop.abort(new Error('closing'));
    await expect(waiting).rejects.toThrow('closing');
    await expect(untilAborted(never, stop.signal)).rejects.toThrow('closing'); // already aborted
  });
});
