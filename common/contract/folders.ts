// Contract: browsing folders on the machine Convoy runs on, for browser mode where no native dialog exists.
// Channels are named `folders.*`; common/api.ts merges them into the bridge.
import { z } from 'zod';
import { request } from './define';

/** One folder inside the listed one. */
export interface FolderEntry {
  name: string;
  /** Absolute path. */
  path: string;
}

export interface FolderListing {
  /** The folder listed, absolute (the home folder when none was asked for). */
  path: string;
  /** Its parent, absent at a root. */
  parent?: string;
  /** Its sub-folders, by name (hidden ones left out), at most `limit`. */
  folders: FolderEntry[];
  /** How many sub-folders there were beyond `limit`. */
  moreFolders: number;
  /** Video files directly in it (not in sub-folders): what adding it would take from this level. */
  videoFiles: number;
}

const list = z
  .object({
    /** Absolute path; absent: the home folder. */
    path: z.string().min(1).max(4096).optional(),
    limit: z.number().int().min(1).max(5000).optional(),
  })
  .strict();

export const folderRequests = {
  /** A folder's sub-folders and how many video files it holds. */
  'folders.list': request<typeof list, FolderListing>(list),
};
