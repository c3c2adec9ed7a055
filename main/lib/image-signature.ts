// Recognises the image formats api.video takes (JPEG, PNG, WebP) by the signature in their first bytes, never by
// the file's name: the one answer for the app's thumbnail sidecars and media checks, and for the local sandbox.

/** The image types api.video takes for a thumbnail (and a watermark, and a player logo). */
export const imageTypes = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type ImageType = (typeof imageTypes)[number];

const JPEG = [0xff, 0xd8, 0xff];
/** The PNG signature: its line-ending and end-of-file bytes catch a copy that changed them in transit. */
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Its first four bytes, `\x89PNG`: what a PNG still starts with when a copy rewrote its line endings. */
const PNG_START = PNG.slice(0, 4);

const startsWith = (bytes: Buffer, signature: readonly number[]) => signature.every((v, i) => bytes[i] === v);
const latin1 = (bytes: Buffer, at: number, text: string) => bytes.toString('latin1', at, at + text.length) === text;
const isWebp = (bytes: Buffer) => latin1(bytes, 0, 'RIFF') && latin1(bytes, 8, 'WEBP');

/** The image type these first bytes are, by its whole signature; null for anything else. */
export function imageType(bytes: Buffer): ImageType | null {
  if (startsWith(bytes, JPEG)) return 'image/jpeg';
  if (startsWith(bytes, PNG)) return 'image/png';
  if (isWebp(bytes)) return 'image/webp';
  return null;
}

/**
 * The image type these first bytes start like, to name what a file is rather than to take it: a PNG by the first
 * four bytes of its signature alone (`\x89PNG`), so a PNG whose line endings were rewritten is still called one.
 */
export function startsLikeImage(bytes: Buffer): ImageType | null {
  if (startsWith(bytes, PNG_START)) return 'image/png';
  return imageType(bytes);
}
