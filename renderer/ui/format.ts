// Formatting shared by every screen: sizes, speeds, durations and countdowns in plain words.
const units = ['B', 'KB', 'MB', 'GB', 'TB'];

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

export function formatSpeed(bytesPerSecond: number): string {
  return bytesPerSecond > 0 ? `${formatBytes(bytesPerSecond)}/s` : '—';
}

/** 3725 -> "1 h 2 min"; 42 -> "42 s". */
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

/** Time left until an epoch-ms moment, in whole seconds rounded up ("4 min 10 s"), or null once it has passed. */
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
  return Number.isNaN(date.getTime()) ? '—' : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
