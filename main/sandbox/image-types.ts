// Reads the size a PNG or JPEG states in its header (the image's type by its signature: main/lib/image-signature).
import { imageType } from '../lib/image-signature';

/** Width and height a PNG (IHDR) or baseline/progressive JPEG (SOFn) states; null when it states none. */
export function imageSize(bytes: Buffer): { width: number; height: number } | null {
  const type = imageType(bytes);
  if (type === 'image/png' && bytes.length >= 24 && bytes.toString('latin1', 12, 16) === 'IHDR')
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  if (type !== 'image/jpeg') return null;
  let offset = 2;
  while (offset + 9 <= bytes.length && bytes[offset] === 0xff) {
    const marker = bytes[offset + 1]!;
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) return { height: bytes.readUInt16BE(offset + 5), width: bytes.readUInt16BE(offset + 7) };
    offset += 2 + bytes.readUInt16BE(offset + 2);
  }
  return null;
}
