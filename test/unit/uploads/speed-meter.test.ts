// The speed meter: smoothed bytes per second and the time left.
import { describe, expect, it } from 'vitest';
import { SpeedMeter } from '../../../main/uploads/progress';

describe('speed meter', () => {
  it('smooths bytes per second', () => {
    const meter = new SpeedMeter(1000);
    meter.sample(0, 0);
    expect(meter.sample(1000, 1000)).toBe(1000);
    const next = meter.sample(1000, 2000);
    expect(next).toBeGreaterThan(0);
    expect(next).toBeLessThan(1000);
  });

  it('does not believe the first burst: 4 MB into socket buffers at once on a 2 MB/s link', () => {
    const MB = 1_000_000;
    const meter = new SpeedMeter(3000);
    meter.sample(0, 0);
    expect(meter.sample(4 * MB, 100)).toBeLessThan(2 * MB); // the buffer fill alone: no 40 MB/s
    let bytes = 4 * MB;
    let speed = 0;
    for (let t = 200; t <= 20_000; t += 100) {
      bytes += 0.2 * MB; // 2 MB/s from here on
      speed = meter.sample(bytes, t);
      expect(speed).toBeLessThan(3.5 * MB);
    }
    expect(speed).toBeGreaterThan(1.9 * MB);
    expect(speed).toBeLessThan(2.1 * MB);
  });
});
