// Turns dropped files and folders into the list of video files to upload: recursive walk, extension and
// glob filters, hidden/system files skipped; every problem (loop, unreadable, empty, not a video) is reported per path.
import { opendir, realpath, stat } from 'node:fs/promises';
import { basename, extname, join, relative, resolve } from 'node:path';
import picomatch from 'picomatch';
import type { ScanSkip } from '../../common/contract/queue';

export const videoExtensions = [
  'mp4', 'mov', 'mkv', 'avi', 'webm', 'm4v', 'mpg', 'mpeg', 'wmv', 'flv', '3gp', 'ts', 'mts', 'm2ts', 'ogv', 'mxf',
] as const;

const systemFiles = new Set(['.ds_store', 'thumbs.db', 'desktop.ini', 'ehthumbs.db', '$recycle.bin', 'system volume information']);

export interface ScannedFile {
  path: string;
  size: number;
  mtimeMs: number;
}

export interface ScanOptions {
  include?: string[];
  exclude?: string[];
  /** Overrides the default video extensions (lower case, no dot). */
  extensions?: readonly string[];
}

export interface ScanResult {
  files: ScannedFile[];
  skipped: ScanSkip[];
}

type Matcher = (path: string) => boolean;

function globMatcher(globs: string[] | undefined): Matcher | null {
  if (!globs || globs.length === 0) return null;
  const match = picomatch(globs, { dot: true, nocase: true });
  // A glob with no slash ('*.mov') matches the base name; one with a slash matches the path below the root.
  return (path) => match(path) || match(basename(path));
}

function isHidden(name: string): boolean {
  return name.startsWith('.') || systemFiles.has(name.toLowerCase());
}

function errorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'Permission denied: Convoy cannot read it.';
  if (code === 'ENOENT') return 'Nothing is there: no file or folder at this path (check it for typos, or whether it was moved).';
  if (code === 'ELOOP') return 'A symbolic link loop.';
  return `It cannot be read (${code ?? (error instanceof Error ? error.message : String(error))}).`;
}

class Scanner {
  readonly files: ScannedFile[] = [];
  readonly skipped: ScanSkip[] = [];
  private readonly seen = new Set<string>();
  private readonly visitedDirs = new Set<string>();
  private readonly include: Matcher | null;
  private readonly exclude: Matcher | null;
  private readonly extensions: Set<string>;

  constructor(options: ScanOptions) {
    this.include = globMatcher(options.include);
    this.exclude = globMatcher(options.exclude);
    this.extensions = new Set((options.extensions ?? videoExtensions).map((e) => e.toLowerCase()));
  }

  /** A path given explicitly by the user: reported when it is not something we can upload. */
  async root(path: string): Promise<void> {
    const absolute = resolve(path);
    let info;
    try {
      info = await stat(absolute);
    } catch (error) {
      this.skip(absolute, errorReason(error));
      return;
    }
    if (info.isDirectory()) await this.directory(absolute, absolute);
    else if (info.isFile()) this.file(absolute, absolute, info.size, info.mtimeMs, true);
    else this.skip(absolute, 'Not a regular file or folder.');
  }

  private skip(path: string, reason: string): void {
    this.skipped.push({ path, reason });
  }

  private async directory(dir: string, root: string): Promise<void> {
    let real: string;
    try {
      real = await realpath(dir);
    } catch (error) {
      this.skip(dir, errorReason(error));
      return;
    }
    if (this.visitedDirs.has(real)) {
      this.skip(dir, 'A symbolic link loop (this folder was already scanned): skipped.');
      return;
    }
    this.visitedDirs.add(real);
    let handle;
    try {
      handle = await opendir(dir, { bufferSize: 256 });
    } catch (error) {
      this.skip(dir, errorReason(error));
      return;
    }
    const subdirs: string[] = [];
    const files: string[] = [];
    const links: string[] = [];
    try {
      for await (const entry of handle) {
        if (isHidden(entry.name)) continue;
        const path = join(dir, entry.name);
        if (entry.isDirectory()) subdirs.push(path);
        else if (entry.isFile()) files.push(path);
        else if (entry.isSymbolicLink()) links.push(path);
      }
    } catch (error) {
      this.skip(dir, errorReason(error));
    }
    for (const path of links.sort()) await this.symlink(path, root, subdirs, files);
    const wanted = files.sort().filter((path) => this.wanted(path, root));
    const infos = await Promise.all(wanted.map((path) => stat(path).then((info) => ({ info }), (error: unknown) => ({ error }))));
    wanted.forEach((path, i) => {
      const result = infos[i]!;
      if ('info' in result) this.file(path, root, result.info.size, result.info.mtimeMs, false);
      else this.skip(path, errorReason(result.error));
    });
    for (const sub of subdirs.sort()) await this.directory(sub, root);
  }

  private async symlink(path: string, root: string, subdirs: string[], files: string[]): Promise<void> {
    try {
      const info = await stat(path);
      if (info.isDirectory()) subdirs.push(path);
      else if (info.isFile()) files.push(path);
    } catch (error) {
      this.skip(path, errorReason(error));
    }
  }

  private wanted(path: string, root: string): boolean {
    const rel = relative(root, path) || basename(path);
    if (this.exclude?.(rel)) return false;
    if (this.include) return this.include(rel);
    return true;
  }

  private file(path: string, root: string, size: number, mtimeMs: number, explicit: boolean): void {
    const ext = extname(path).slice(1).toLowerCase();
    if (explicit && !this.wanted(path, root)) {
      this.skip(path, 'Excluded by the include/exclude filters.');
      return;
    }
    if (!this.extensions.has(ext)) {
      // Inside folders, non-video files are common (subtitles, thumbnails): report them, never fail.
      this.skip(path, `Not a video file (.${ext || 'no extension'}).`);
      return;
    }
    if (size === 0) {
      this.skip(path, 'The file is empty (0 bytes).');
      return;
    }
    if (this.seen.has(path)) return;
    this.seen.add(path);
    this.files.push({ path, size, mtimeMs });
  }
}

/** Scans the given paths; never throws for a single bad entry. Files come out in a stable, sorted order per folder. */
export async function scanPaths(paths: string[], options: ScanOptions = {}): Promise<ScanResult> {
  const scanner = new Scanner(options);
  for (const path of paths) await scanner.root(path);
  return { files: scanner.files, skipped: scanner.skipped };
}
