// Which files in a watched folder are candidates, as a one-off add of that folder would take them: video
// extensions, no hidden or system files (nor anything in a hidden folder), include/exclude globs on the path below
// the watched folder (a glob without a slash matches the file name); and, for a watch that sends them, the files
// named like a video's captions, chapters or thumbnail (these, as in a one-off add, whatever the globs say).
import { basename, relative, sep } from 'node:path';
import { extensionOf } from '../lib/file-name';
import { videoExtensions } from '../uploads/index';
import { sidecarStems } from '../media/sidecars';
import { globMatcher, isHidden } from '../uploads/scan';

const extensions = new Set<string>(videoExtensions);

export interface WatchFilter {
  /** A file the watch would upload (by its name and place alone). */
  wants(path: string): boolean;
  /** A file that may be a video's caption, chapters or thumbnail, for a watch that sends them (by name and place). */
  sidecar(path: string): boolean;
  /** An entry the OS watcher can skip outright: hidden, or a file that is neither a video nor a sidecar it wants. */
  ignores(path: string, isFile: boolean | undefined): boolean;
}

export function watchFilter(root: string, include: string[], exclude: string[], sidecars = false): WatchFilter {
  const included = globMatcher(include);
  const excluded = globMatcher(exclude);
  const below = (path: string): string | null => {
    const rel = relative(root, path);
    return rel === '' || rel.startsWith('..') ? null : rel;
  };
  const sidecarName = (path: string) => sidecars && sidecarStems(basename(path)).length > 0;
  return {
    wants(path) {
      const rel = below(path);
      if (rel === null) return false;
      if (rel.split(sep).some(isHidden)) return false;
      if (!extensions.has(extensionOf(path))) return false;
      const posix = sep === '/' ? rel : rel.split(sep).join('/');
      if (excluded?.(posix)) return false;
      return included ? included(posix) : true;
    },
    sidecar(path) {
      const rel = below(path);
      return rel !== null && !rel.split(sep).some(isHidden) && sidecarName(path);
    },
    ignores(path, isFile) {
      const rel = below(path);
      if (rel === null) return false; // the watched folder itself
      if (isHidden(basename(path))) return true;
      return isFile === true && !extensions.has(extensionOf(path)) && !sidecarName(path);
    },
  };
}
