// What a queue row says besides its state: the folder a file sits in, relative to the folder (or file) it was added
// from, whether its file name says anything its title does not, a path's file name, and what a file the
// media preflight refused is.
import type { JobView } from '../../../common/api';

const separator = /[\\/]/;

/** Where the last separator of `path` is, either kind (-1: none). */
function lastSeparator(path: string): number {
  return Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
}

/** The folder holding `path` ("/a/b/c.mp4" -> "/a/b"), in the path's own separators. */
function folderOf(path: string): string {
  const at = lastSeparator(path);
  return at <= 0 ? path.slice(0, at + 1) : path.slice(0, at);
}

/** The file name at the end of `path` ("/a/b/c.en.vtt" -> "c.en.vtt", "C:\\v\\d.mp4" -> "d.mp4"). */
export function fileName(path: string): string {
  return path.slice(lastSeparator(path) + 1);
}

/**
 * The deepest folder holding every path: where the files were added from. One file: its own folder. (The queue
 * does not say which folder each add named; the common folder of what is queued stands in for it.)
 */
export function commonFolder(paths: Iterable<string>): string {
  let common: string[] | null = null;
  for (const path of paths) {
    const parts = folderOf(path).split(separator);
    if (common === null) {
      common = parts;
      continue;
    }
    let i = 0;
    while (i < common.length && i < parts.length && common[i] === parts[i]) i++;
    common = common.slice(0, i);
  }
  return common ? common.join('/') : '';
}

/**
 * Where each file was added from, as far as the paths tell: files are grouped by their first folder below the
 * common folder of all of them (one group per add of a different folder), and each group's own common folder is
 * its root. Two adds from /tmp/a and /tmp/b then show folders relative to a and b, not "a/…" and "b/…". (Main
 * does not say which folder each add named; a folder added with only sub-folders in it reads as several adds.)
 */
export function addRoots(paths: string[]): Map<string, string> {
  const top = commonFolder(paths);
  // A file directly in the common folder: that folder was added itself, and everything is relative to it.
  if (paths.some((path) => relativeFolder(path, top) === '')) return new Map(paths.map((path) => [path, top]));
  const groups = new Map<string, string[]>();
  for (const path of paths) {
    const key = relativeFolder(path, top).split('/')[0] ?? '';
    groups.set(key, [...(groups.get(key) ?? []), path]);
  }
  const roots = new Map<string, string>();
  for (const [key, members] of groups) {
    const root = key === '' ? top : commonFolder(members);
    for (const path of members) roots.set(path, root);
  }
  return roots;
}

/** The folder of `path` relative to `root` ("B-roll/drone"), '' when it sits in the root itself. */
export function relativeFolder(path: string, root: string): string {
  const folder = folderOf(path).split(separator).join('/');
  // Either separator in the root; a trailing one ("/", "C:\\") does not count.
  const base = root.split(separator).join('/').replace(/\/+$/, '');
  if (folder === base || folder === root) return '';
  return folder.startsWith(`${base}/`) ? folder.slice(base.length + 1) : folder;
}

/**
 * The folder a row shows: the path below what the user added (`addedFrom`), exactly; '' for a file added by
 * itself. A job from an engine that does not say (`addedFrom` absent) falls back to `guessedRoot` (`addRoots`).
 */
export function rowFolder(job: Pick<JobView, 'path' | 'addedFrom'>, guessedRoot: string): string {
  if (job.addedFrom === undefined) return relativeFolder(job.path, guessedRoot);
  if (job.addedFrom === job.path) return '';
  return relativeFolder(job.path, job.addedFrom);
}

/** Whether the file name adds anything to the title: not when the title is the name, with or without extension. */
export function nameDiffers(job: Pick<JobView, 'name' | 'title'>): boolean {
  const bare = job.name.replace(/\.[^.]+$/, '');
  return job.title !== job.name && job.title !== bare;
}

const refusedLabels: Record<NonNullable<JobView['refused']>, string> = {
  'not-video': 'Not a video',
  truncated: 'Cut short',
  unknown: 'Not recognised',
};

/**
 * The state badge of a file the media preflight refused before a byte was sent ("Not a video", "Cut short", "Not
 * recognised"; the reason beside it says what the file is); null for any other job.
 */
export function refusedLabel(job: Pick<JobView, 'state' | 'refused'>): string | null {
  return job.state === 'skipped' && job.refused ? refusedLabels[job.refused] : null;
}

/** Only a file no parser recognised may be sent on the user's word ("Upload anyway"): the others say what they are. */
export function canUploadAnyway(job: Pick<JobView, 'state' | 'refused'>): boolean {
  return job.state === 'skipped' && job.refused === 'unknown';
}
