// How a video's length, picture and codecs read on a queue row and in Results: a clock, width×height, and the
// whole of what the preflight read for a tooltip; nothing is said about what was not read.
import { describe, expect, it } from 'vitest';
import { describeMediaFacts, formatClock, formatMediaFacts, formatResolution } from '../../../renderer/ui/format';

describe('media facts', () => {
  it('writes a length as a clock, hours only when there are some', () => {
    expect(formatClock(125)).toBe('2:05');
    expect(formatClock(3725)).toBe('1:02:05');
    expect(formatClock(59.6)).toBe('1:00');
    expect(formatClock(36_000)).toBe('10:00:00');
    expect(formatClock(0)).toBe('0:00');
  });

  it('never calls a short clip zero seconds long, and says nothing of a length it does not know', () => {
    expect(formatClock(0.2)).toBe('0:01');
    expect(formatClock(undefined)).toBe('—');
    expect(formatClock(Number.NaN)).toBe('—');
    expect(formatClock(-3)).toBe('—');
  });

  it('writes the picture as width×height, only when both sides are known', () => {
    expect(formatResolution(1920, 1080)).toBe('1920×1080');
    expect(formatResolution(1920, undefined)).toBe('');
    expect(formatResolution(0, 0)).toBe('');
  });

  it('gives the row its short line: length · picture · codec, leaving out what is unknown', () => {
    const full = { container: 'mp4', durationSec: 125.04, width: 1920, height: 1080, fps: 25, videoCodec: 'h264' };
    expect(formatMediaFacts(full)).toBe('2:05 · 1920×1080 · h264');
    expect(formatMediaFacts({ container: 'mpeg-ts', width: 1280, height: 720 })).toBe('1280×720');
    expect(formatMediaFacts({ container: 'avi', durationSec: 2 })).toBe('0:02');
    expect(formatMediaFacts({ container: 'mkv' })).toBe('');
    expect(formatMediaFacts(undefined)).toBe('');
  });

  it('describes everything read, in words, for the tooltip', () => {
    expect(
      describeMediaFacts({
        container: 'mov',
        durationSec: 125,
        width: 1920,
        height: 1080,
        fps: 29.97002997,
        videoCodec: 'hevc',
        audioCodec: 'aac',
      }),
    ).toBe('MOV, 2 min 5 s, 1920×1080 at 29.97 fps, video hevc, audio aac');
    expect(describeMediaFacts({ container: 'webm', fps: 30 })).toBe('WEBM, 30 fps');
    expect(describeMediaFacts(undefined)).toBe('');
  });
});
