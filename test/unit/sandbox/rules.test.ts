// Unit tests of the chunk protocol: Content-Range parsing and the validation state machine.
import { describe, expect, it } from 'vitest';
import { parseContentRange } from '../../../main/sandbox/upload/content-range';
import { applyChunk, MIN_CHUNK_BYTES, planChunk } from '../../../main/sandbox/upload/rules';
import { SandboxClock } from '../../../main/sandbox/clock';
import type { SandboxContext } from '../../../main/sandbox/context';
import type { VideoRecord } from '../../../main/sandbox/state';
import { newVideoRecord } from '../../../main/sandbox/videos';

// A fresh video as the sandbox makes one, at time 0 with a fixed id (newVideoRecord reads only the clock).
const video = (): VideoRecord => ({
  ...newVideoRecord({ clock: new SandboxClock() } as unknown as SandboxContext, 't'),
  videoId: 'vi0000000000000000000000',
  createdAt: 0,
  updatedAt: 0,
});

const slugOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    return (error as { body: { type: string } }).body.type.split('/').pop()!;
  }
  return 'accepted';
};

describe('Content-Range parsing', () => {
  it('reads the three forms and refuses the rest', () => {
    expect(parseContentRange(undefined)).toEqual({ kind: 'none' });
    expect(parseContentRange('bytes 0-9/10')).toEqual({ kind: 'bytes', from: 0, to: 9, total: 10 });
    expect(parseContentRange('part 2/*')).toEqual({ kind: 'part', part: 2, total: null });
    expect(parseContentRange('part 3/3')).toEqual({ kind: 'part', part: 3, total: 3 });
    for (const bad of ['bytes 0-9', 'part%201%2F3', 'bytes a-b/c', 'part -1/3', '']) {
      expect(slugOf(() => parseContentRange(bad))).toBe('video-content-range-malformed');
    }
  });
});

describe('chunk rules', () => {
  it('completes a part upload only when every part up to the total is in, in any order', () => {
    const v = video();
    for (const [range, done] of [
      ['part 3/3', false],
      ['part 1/3', false],
      ['part 2/3', true],
    ] as const) {
      const parsed = parseContentRange(range);
      const size = range === 'part 3/3' ? 10 : MIN_CHUNK_BYTES;
      const plan = planChunk(v, parsed, size);
      expect(plan.completes).toBe(done);
      applyChunk(v.upload, parsed, size, plan, 1);
    }
    expect(v.upload.filesize).toBe(2 * MIN_CHUNK_BYTES + 10);
  });

  it('lets a small chunk through only when it is the final one', () => {
    expect(slugOf(() => planChunk(video(), parseContentRange('part 1/*'), 10))).toBe(
      'video-content-range-by-part-uploaded-file-too-small',
    );
    expect(slugOf(() => planChunk(video(), parseContentRange('part 1/1'), 10))).toBe('accepted');
    expect(slugOf(() => planChunk(video(), parseContentRange('bytes 0-9/20'), 10))).toBe(
      'video-content-range-by-bytes-range-too-small',
    );
    expect(slugOf(() => planChunk(video(), parseContentRange('bytes 10-19/20'), 10))).toBe('accepted');
  });
});
