// Identifier minting and validation: videos vi…, upload tokens to… (24 chars), opaque secrets, UUIDs.
import { randomBytes, randomUUID } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomAlphanumeric(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
  return out;
}

export const newVideoId = (): string => 'vi' + randomAlphanumeric(22);
export const newUploadToken = (): string => 'to' + randomAlphanumeric(22);
export const newApiKey = (): string => randomAlphanumeric(43);
export const newSecret = (): string => randomBytes(32).toString('base64url');
export const newPrivateToken = (): string => randomUUID();

export const isVideoId = (value: string): boolean => /^vi[A-Za-z0-9]{22}$/.test(value);
export const isUploadToken = (value: string): boolean => /^to[A-Za-z0-9]{22}$/.test(value);
