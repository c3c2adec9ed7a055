// Formatting shared by every screen: sizes, speeds, durations and countdowns in plain words.
// Sizes are binary (1 KiB = 1024 B) and labelled so: KiB, MiB, GiB, TiB.
const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  // 1023.96 KiB would print as "1024.0 KiB": round first, then step up a unit if the rounding reached 1024.
  const shown = value >= 100 || unit === 0 ? Math.round(value) : Number(value.toFixed(1));
  if (shown >= 1024 && unit < units.length - 1) return `1.0 ${units[unit + 1]}`;
  return `${unit === 0 || shown >= 100 ? shown : shown.toFixed(1)} ${units[unit]}`;
}

export function formatSpeed(bytesPerSecond: number): string {
  return bytesPerSecond > 0 ? `${formatBytes(bytesPerSecond)}/s` : '—';
}

/** 3725 -> "1 h 2 min"; 42 -> "42 s"; 899 -> "14 min 59 s"; 180000 -> "2 d 2 h". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60 ? `${s % 60} s` : ''}`.trim();
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60 ? `${m % 60} min` : ''}`.trim();
  return `${Math.floor(h / 24)} d ${h % 24 ? `${h % 24} h` : ''}`.trim();
}

/**
 * Time left until an epoch-ms moment, in whole seconds rounded up ("4 min 10 s"), or null once it has passed.
 * The one countdown format of the app: seconds tick under an hour, minutes under two days, hours beyond.
 */
export function timeLeft(targetMs: number, nowMs: number = Date.now()): string | null {
  const left = Math.ceil((targetMs - nowMs) / 1000);
  return left > 0 ? formatDuration(left) : null;
}

/** Countdown to an epoch-ms moment: "4 min 10 s left", or "expired". */
export function formatCountdown(targetMs: number, nowMs: number = Date.now()): string {
  const left = timeLeft(targetMs, nowMs);
  return left === null ? 'expired' : `${left} left`;
}

export function formatDate(iso: string | number): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? '—'
    : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
