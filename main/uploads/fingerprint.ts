// A cheap content fingerprint of a file: SHA-256 over its size and its first, middle and last 64 KiB
// (the whole file when it is small). Used for dedupe and to notice a file that changed between runs.
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

const sample = 64 * 1024;

function sampleRanges(size: number): [number, number][] {
  if (size <= 3 * sample) return [[0, size]];
  return [
    [0, sample],
    [Math.floor(size / 2 - sample / 2), sample],
    [size - sample, sample],
  ];
}

export async function fingerprintFile(path: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  hash.update(`convoy-v1:${size}:`);
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(3 * sample);
    for (const [offset, length] of sampleRanges(size)) {
      const { bytesRead } = await handle.read(buffer, 0, length, offset);
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex').slice(0, 32);
}
