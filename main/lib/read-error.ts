// A file's read error in plain words for the user (the OS reason, what to do), shared by the preflight worker and
// the upload engine. Kept free of other imports: the preflight worker loads it, and its start is on every run's path.

/** What went wrong reading a file, for the user: the OS reason in plain words. */
export function describeReadError(error: NodeJS.ErrnoException, name: string): string {
  switch (error.code) {
    case 'EACCES':
    case 'EPERM':
      return `Permission denied reading ${name}. Make it readable, then retry.`;
    case 'ENOENT':
      return `${name} is no longer there (moved, renamed or deleted).`;
    case 'EISDIR':
      return `${name} is now a folder, not a file.`;
    case 'EBUSY':
    case 'ETXTBSY':
      return `${name} is locked by another program. Close it there, then retry.`;
    case 'EIO':
      return `The disk could not read ${name} (input/output error). Check the disk, then retry.`;
    case 'EMFILE':
    case 'ENFILE':
      return `Too many files are open to read ${name}; retry in a moment.`;
    default:
      return `Could not read ${name}: ${error.message}`;
  }
}
