// File names taken apart and ordered: a name without its extension ("talk.en.vtt" -> "talk.en"), the extension as
// the scans compare it (lower case, no dot), and the order a file manager shows. Pure string work; nothing is read.
import { extname } from 'node:path';

/** The name (or path) without its last extension: "clip.mp4" -> "clip"; a name without one is returned whole. */
export function withoutExtension(name: string): string {
  const ext = extname(name);
  return ext ? name.slice(0, -ext.length) : name;
}

/** The last extension of a name or path, lower case and without its dot: "Clip.MP4" -> "mp4"; "" when none. */
export function extensionOf(name: string): string {
  return extname(name).slice(1).toLowerCase();
}

const natural = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/**
 * Names or paths in the order a file manager lists them: numbers by value ("clip 7" before "clip 10"), letters
 * regardless of case; names that compare equal that way (A.mp4, a.mp4) fall back to their code units, so the order
 * is total and the same on every machine.
 */
export function byNaturalName(a: string, b: string): number {
  return natural.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
