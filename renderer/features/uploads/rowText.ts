// What a queue row says besides its state: the folder a file sits in, relative to where the queue's files were
// added from, and whether its file name says anything its title does not.
import type { JobView } from '../../../common/api';

const separator = /[\\/]/;

/** The folder holding `path` ("/a/b/c.mp4" -> "/a/b"), in the path's own separators. */
function folderOf(path: string): string {
  const at = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return at <= 0 ? path.slice(0, at + 1) : path.slice(0, at);
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

/** The folder of `path` relative to `root` ("B-roll/drone"), '' when it sits in the root itself. */
export function relativeFolder(path: string, root: string): string {
  const folder = folderOf(path).split(separator).join('/');
  if (folder === root) return '';
  return folder.startsWith(`${root}/`) ? folder.slice(root.length + 1) : folder;
}

/** Whether the file name adds anything to the title: not when the title is the name, with or without extension. */
export function nameDiffers(job: Pick<JobView, 'name' | 'title'>): boolean {
  const bare = job.name.replace(/\.[^.]+$/, '');
  return job.title !== job.name && job.title !== bare;
}
