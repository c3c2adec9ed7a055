// Handlers for the folders namespace: listing folders on this machine for the page's folder browser (browser
// mode, where the page cannot see the disk and no native dialog exists).
import { readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, extname, isAbsolute, join, resolve } from 'node:path';
import type { FolderListing } from '../../../common/api';
import { videoExtensions } from '../../uploads/index';
import type { HandlersOf } from '../router';
import { HandlerError } from '../user-errors';

const videos = new Set(videoExtensions.map((e) => `.${e.toLowerCase()}`));

/** Lists `path`: its visible sub-folders (sorted, at most `limit`) and how many video files sit directly in it. */
export async function listFolder(path: string, limit = 1000): Promise<FolderListing> {
  if (!isAbsolute(path)) throw new HandlerError('invalid-payload', `"${path}" is not a full path.`, 'path');
  const folder = resolve(path);
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'ENOTDIR'
          ? 'is a file, not a folder'
          : code === 'EACCES' || code === 'EPERM'
            ? 'cannot be read with your permissions'
            : `cannot be listed (${code ?? String(error)})`;
    throw new HandlerError(code === 'ENOENT' ? 'not-found' : 'failed', `The folder ${folder} ${why}.`, 'path');
  }
  const names = entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' }));
  const videoFiles = entries.filter((e) => e.isFile() && videos.has(extname(e.name).toLowerCase())).length;
  const parent = dirname(folder);
  return {
    path: folder,
    ...(parent !== folder ? { parent } : {}),
    folders: names.slice(0, limit).map((name) => ({ name, path: join(folder, name) })),
    moreFolders: Math.max(0, names.length - limit),
    videoFiles,
  };
}

export function folderHandlers(): HandlersOf<'folders'> {
  return {
    'folders.list': ({ path, limit }) => listFolder(path ?? homedir(), limit),
  };
}
