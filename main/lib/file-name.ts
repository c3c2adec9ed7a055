// File names taken apart: a name without its extension ("talk.en.vtt" -> "talk.en"), and the extension as the
// scans compare it (lower case, no dot). Pure string work on names and paths; nothing is read from disk.
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
