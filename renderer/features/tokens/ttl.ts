// Upload-token lifetimes: the presets offered, the custom "number + unit" input and its validation, and
// how a TTL reads in plain words. api.video accepts 0 (never expires) to 2147483647 seconds.
import { formatCountdown, formatDuration } from '../../ui/format';

export const MAX_TTL_SECONDS = 2_147_483_647;

export interface TtlPreset {
  id: string;
  label: string;
  seconds: number;
}

export const ttlPresets: TtlPreset[] = [
  { id: 'none', label: 'No expiry', seconds: 0 },
  { id: '15m', label: '15 min', seconds: 15 * 60 },
  { id: '1h', label: '1 h', seconds: 3600 },
  { id: '24h', label: '24 h', seconds: 24 * 3600 },
  { id: '7d', label: '7 days', seconds: 7 * 24 * 3600 },
];

export const ttlUnits = [
  { id: 's', label: 'seconds', seconds: 1 },
  { id: 'min', label: 'minutes', seconds: 60 },
  { id: 'h', label: 'hours', seconds: 3600 },
  { id: 'd', label: 'days', seconds: 86400 },
] as const;

export type TtlUnit = (typeof ttlUnits)[number]['id'];

/** The custom TTL in seconds, or the reason it cannot be used. */
export function parseCustomTtl(amount: string, unit: TtlUnit): { seconds: number } | { error: string } {
  const text = amount.trim();
  if (!text) return { error: 'Enter how long the token should last.' };
  if (!/^\d+$/.test(text)) return { error: 'Use a whole number of 0 or more (0 means it never expires).' };
  const perUnit = ttlUnits.find((u) => u.id === unit)?.seconds ?? 1;
  const seconds = Number(text) * perUnit;
  if (!Number.isSafeInteger(seconds) || seconds > MAX_TTL_SECONDS) {
    return {
      error: `That is too long: the most api.video accepts is ${MAX_TTL_SECONDS.toLocaleString('en-US')} seconds (about 68 years).`,
    };
  }
  return { seconds };
}

/** "No expiry", or "1 h (3,600 s)". */
export function describeTtl(ttl: number): string {
  if (ttl === 0) return 'No expiry';
  return ttl < 60 ? `${ttl} s` : `${formatDuration(ttl)} (${ttl.toLocaleString('en-US')} s)`;
}

/** Short form for the table: "1 h", "7 d", "No expiry". */
export function shortTtl(ttl: number): string {
  return ttl === 0 ? 'No expiry' : formatDuration(ttl);
}

export interface TimeLeft {
  expired: boolean;
  /** "14 min 59 s left", "23 h 59 min left", "expired", or "Never expires" (the one countdown format: ui/format). */
  text: string;
  /** Share of the lifetime still left (1 -> 0); null for a token that never expires. */
  fraction: number | null;
}

/** How long a token has left at `serverNowMs` (the server's clock, see the tokens store's skew). */
export function tokenTimeLeft(token: { ttl: number; expiresAt?: string }, serverNowMs: number): TimeLeft {
  if (!token.expiresAt || token.ttl === 0) return { expired: false, text: 'Never expires', fraction: null };
  const expiry = Date.parse(token.expiresAt);
  const leftMs = expiry - serverNowMs;
  return {
    expired: leftMs <= 0,
    text: formatCountdown(expiry, serverNowMs),
    fraction: Math.max(0, Math.min(1, leftMs / (token.ttl * 1000))),
  };
}

/** A lifetime as a sort key: "No expiry" (0) is the longest of all. */
export function lifetimeRank(ttl: number): number {
  return ttl === 0 ? Number.POSITIVE_INFINITY : ttl;
}

/** Tokens ordered by lifetime, "No expiry" last when ascending and first when descending; ties by creation, newest first. */
export function orderByLifetime<T extends { ttl: number; createdAt: string }>(
  tokens: readonly T[],
  order: 'asc' | 'desc',
): T[] {
  const sign = order === 'asc' ? 1 : -1;
  return [...tokens].sort((a, b) => {
    const byTtl = lifetimeRank(a.ttl) - lifetimeRank(b.ttl);
    if (byTtl !== 0 && !Number.isNaN(byTtl)) return sign * byTtl;
    return Date.parse(b.createdAt) - Date.parse(a.createdAt);
  });
}
