// Formatting shared by every screen: sizes, speeds, durations, countdowns and media facts in plain words.
// Sizes are binary (1 KiB = 1024 B) and labelled so: KiB, MiB, GiB, TiB.
import type { MediaFactsView } from '../../common/api';

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

/** A video's length as a clock: 125 -> "2:05", 3725 -> "1:02:05"; anything above zero shows at least "0:01". */
export function formatClock(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = seconds > 0 ? Math.max(1, Math.round(seconds)) : 0;
  const two = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${two(m)}:${two(s % 60)}` : `${m}:${two(s % 60)}`;
}

/** "1920×1080", or '' when either side is unknown. */
export function formatResolution(width: number | undefined, height: number | undefined): string {
  return width && height && width > 0 && height > 0 ? `${width}×${height}` : '';
}

/** The short line a queue row and a result show: "2:05 · 1920×1080 · h264"; '' when nothing is known. */
export function formatMediaFacts(media: MediaFactsView | undefined): string {
  if (!media) return '';
  const duration = media.durationSec !== undefined ? formatClock(media.durationSec) : '';
  return [duration === '—' ? '' : duration, formatResolution(media.width, media.height), media.videoCodec ?? '']
    .filter(Boolean)
    .join(' · ');
}

/** Frames per second as people write them: 25 -> "25", 29.97002997 -> "29.97". */
function formatFps(fps: number): string {
  return String(Number(fps.toFixed(2)));
}

/**
 * Everything the preflight read, in words, for a tooltip and for screen readers: "MP4, 2 min 5 s, 1920×1080 at
 * 29.97 fps, video h264, audio aac". '' when nothing is known.
 */
export function describeMediaFacts(media: MediaFactsView | undefined): string {
  if (!media) return '';
  const resolution = formatResolution(media.width, media.height);
  const picture = [resolution, media.fps && media.fps > 0 ? `${formatFps(media.fps)} fps` : '']
    .filter(Boolean)
    .join(resolution ? ' at ' : '');
  return [
    media.container ? media.container.toUpperCase() : '',
    media.durationSec !== undefined && media.durationSec >= 0 ? formatDuration(media.durationSec) : '',
    picture,
    media.videoCodec ? `video ${media.videoCodec}` : '',
    media.audioCodec ? `audio ${media.audioCodec}` : '',
  ]
    .filter(Boolean)
    .join(', ');
}
