// The poster served as a video's thumbnail.jpg: a 160×90 JPEG drawn from the videoId (a gradient in a hue of its
// own and a white play triangle), so different videos get visibly different thumbnails.
import { createHash } from 'node:crypto';
import { encodeJpeg, type Rgb } from './jpeg';

const THUMBNAIL_WIDTH = 160;
const THUMBNAIL_HEIGHT = 90;
const WHITE: Rgb = [255, 255, 255];

/** HSL (hue in degrees, saturation and lightness 0–1) to RGB 0–255. */
function hsl(hue: number, saturation: number, lightness: number): Rgb {
  const chroma = (1 - Math.abs(2 * lightness - 1)) * saturation;
  const channel = (n: number) => {
    const k = (n + hue / 30) % 12;
    return Math.round(255 * (lightness - (chroma / 2) * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [channel(0), channel(8), channel(4)];
}

/** Whether the point lies inside the right-pointing play triangle centred on the picture (on the block grid). */
function inPlayTriangle(x: number, y: number): boolean {
  const [cx, cy, half] = [THUMBNAIL_WIDTH / 2, 44, 20];
  if (x < cx - half || x > cx + half) return false;
  return Math.abs(y - cy) <= (cx + half - x) * 0.55;
}

export function thumbnailJpeg(videoId: string): Buffer {
  const hue = createHash('sha256').update(videoId).digest().readUInt16BE(0) % 360;
  const rows = Math.ceil(THUMBNAIL_HEIGHT / 8);
  return encodeJpeg({
    width: THUMBNAIL_WIDTH,
    height: THUMBNAIL_HEIGHT,
    colorAt: (bx, by) => (inPlayTriangle(bx * 8 + 4, by * 8 + 4) ? WHITE : hsl(hue, 0.6, 0.25 + (0.4 * by) / rows)),
  });
}
