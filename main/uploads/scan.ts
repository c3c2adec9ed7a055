// Turns dropped files and folders into the list of video files to upload: recursive walk, extension and
// glob filters, hidden/system files skipped; every problem (loop, unreadable, empty, not a video, a special file, a
// broken link) is reported per path.
import type { Stats } from 'node:fs';
import { lstat, opendir, readlink, realpath, stat } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import picomatch from 'picomatch';
import type { ScanSkip } from '../../common/contract/queue';
import { byNaturalName, extensionOf, withoutExtension } from '../lib/file-name';
import { sidecarStems } from '../media/sidecars';

export const videoExtensions = [
  'mp4',
  'mov',
  'mkv',
  'avi',
  'webm',
  'm4v',
  'mpg',
  'mpeg',
  'wmv',
  'flv',
  '3gp',
  'ts',
  'mts',
  'm2ts',
  'ogv',
  'mxf',
] as const;

const systemFiles = new Set([
  '.ds_store',
  'thumbs.db',
  'desktop.ini',
  'ehthumbs.db',
  '$recycle.bin',
  'system volume information',
]);

export interface ScannedFile {
  path: string;
  size: number;
  mtimeMs: number;
  /** The names in the file's folder when the scan listed it (shared by its files): its sidecars are among them. */
  siblings?: readonly string[];
  /** The path given to the scan that this file was found under (the file itself when given alone). */
  root: string;
}

export interface ScanOptions {
  include?: string[];
  exclude?: string[];
  /** Overrides the default video extensions (lower case, no dot). */
  extensions?: readonly string[];
  /**
   * Whether captions, chapters and thumbnails named after a video in the same folder go with it (default true):
   * they are then not reported as skipped non-videos.
   */
  sidecars?: boolean;
}

/** Whether `name` goes with one of the folder's videos (`stems`, their names without extension). */
function namedAfterVideo(name: string, stems: ReadonlySet<string>): boolean {
  return sidecarStems(name).some((stem) => stems.has(stem));
}

export interface ScanResult {
  files: ScannedFile[];
  skipped: ScanSkip[];
}

export type Matcher = (path: string) => boolean;

/** Include/exclude globs as a matcher (null: no globs); shared with watch folders, which filter the same way. */
export function globMatcher(globs: string[] | undefined): Matcher | null {
  if (!globs || globs.length === 0) return null;
  const match = picomatch(globs, { dot: true, nocase: true });
  // A glob with no slash ('*.mov') matches the base name; one with a slash matches the path below the root.
  return (path) => match(path) || match(basename(path));
}

/** Hidden or system files and folders, which a scan (and a watch) leaves out. */
export function isHidden(name: string): boolean {
  return name.startsWith('.') || systemFiles.has(name.toLowerCase());
}

const nothingThere = 'Nothing is there: no file or folder at this path (check it for typos, or whether it was moved).';

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Why `path` cannot be read, in plain words; a path that is a link to nothing is named as a broken link. */
async function errorReason(path: string, error: unknown): Promise<string> {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'Permission denied: Convoy cannot read it.';
  if (isMissing(error)) {
    const target = await readlink(path).catch(() => null);
    return target === null
      ? nothingThere
      : `A broken link to ${target}: nothing is there (the file it pointed to was moved or deleted).`;
  }
  if (code === 'ELOOP') return 'A symbolic link loop.';
  return `It cannot be read (${code ?? (error instanceof Error ? error.message : String(error))}).`;
}

/** What a path that is neither a regular file nor a folder is, and why it is not uploaded. */
function specialReason(info: Stats): string {
  const what = info.isFIFO()
    ? 'A named pipe (FIFO)'
    : info.isSocket()
      ? 'A socket'
      : info.isBlockDevice()
        ? 'A block device'
        : info.isCharacterDevice()
          ? 'A character device'
          : 'A special file';
  return `${what}, not a regular file: skipped (only files and folders are uploaded).`;
}

/**
 * The given paths that do not exist (or are links to nothing), each with why: a command line checks these before
 * queuing anything, since a mistyped path is a mistake to fix, not a file to skip.
 */
export async function missingPaths(paths: string[]): Promise<ScanSkip[]> {
  const missing: ScanSkip[] = [];
  for (const path of paths) {
    const absolute = resolve(path);
    try {
      await stat(absolute);
    } catch (error) {
      if (
        isMissing(error) ||
        (await lstat(absolute).then(
          (info) => info.isSymbolicLink(),
          () => false,
        ))
      ) {
        missing.push({ path: absolute, reason: await errorReason(absolute, error) });
      }
    }
  }
  return missing;
}

class Scanner {
  readonly files: ScannedFile[] = [];
  readonly skipped: ScanSkip[] = [];
  private readonly seen = new Set<string>();
  private readonly visitedDirs = new Set<string>();
  private readonly include: Matcher | null;
  private readonly exclude: Matcher | null;
  private readonly extensions: Set<string>;
  private readonly sidecars: boolean;

  constructor(options: ScanOptions) {
    this.include = globMatcher(options.include);
    this.exclude = globMatcher(options.exclude);
    this.extensions = new Set((options.extensions ?? videoExtensions).map((e) => e.toLowerCase()));
    this.sidecars = options.sidecars ?? true;
  }

  /** A path given explicitly by the user: reported when it is not something we can upload. */
  async root(path: string): Promise<void> {
    const absolute = resolve(path);
    let info;
    try {
      info = await stat(absolute);
    } catch (error) {
      this.skip(absolute, await errorReason(absolute, error));
      return;
    }
    if (info.isDirectory()) await this.directory(absolute, absolute);
    else if (info.isFile()) this.file(absolute, absolute, info.size, info.mtimeMs, true);
    else this.skip(absolute, specialReason(info));
  }

  private skip(path: string, reason: string): void {
    this.skipped.push({ path, reason });
  }

  private async directory(dir: string, root: string): Promise<void> {
    let real: string;
    try {
      real = await realpath(dir);
    } catch (error) {
      this.skip(dir, await errorReason(dir, error));
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
      this.skip(dir, await errorReason(dir, error));
      return;
    }
    const subdirs: string[] = [];
    const files: string[] = [];
    const links: string[] = [];
    const others: string[] = [];
    try {
      for await (const entry of handle) {
        if (isHidden(entry.name)) continue;
        const path = join(dir, entry.name);
        if (entry.isDirectory()) subdirs.push(path);
        else if (entry.isFile()) files.push(path);
        else if (entry.isSymbolicLink()) links.push(path);
        else others.push(path);
      }
    } catch (error) {
      this.skip(dir, await errorReason(dir, error));
    }
    const special: [string, string][] = [];
    // Pipes, sockets, devices, and entries whose type the file system did not say: looked at, never opened.
    for (const path of others) await this.classify(path, lstat, subdirs, files, special, links);
    for (const path of links.sort()) await this.classify(path, stat, subdirs, files, special);
    // Never opened (a pipe would block a read forever); reported unless the filters leave them out anyway.
    for (const [path, reason] of special.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      if (this.wanted(path, root)) this.skip(path, reason);
    const names = files.map((path) => basename(path)).sort();
    const stems = new Set(names.filter((name) => this.isVideoName(name)).map((name) => withoutExtension(name)));
    // A video's captions, chapters and thumbnail go with it (its row shows them): not skipped files.
    const alongside = (path: string) => this.sidecars && namedAfterVideo(basename(path), stems);
    const wanted = files.sort(byNaturalName).filter((path) => this.wanted(path, root) && !alongside(path));
    const infos = await Promise.all(
      wanted.map((path) =>
        stat(path).then(
          (info) => ({ info }),
          (error: unknown) => ({ error }),
        ),
      ),
    );
    for (const [i, path] of wanted.entries()) {
      const result = infos[i]!;
      if ('info' in result) this.file(path, root, result.info.size, result.info.mtimeMs, false, names);
      else this.skip(path, await errorReason(path, result.error));
    }
    for (const sub of subdirs.sort(byNaturalName)) await this.directory(sub, root);
  }

  /** Sorts an entry by what `look` (stat through a link, or lstat) finds; a link to nothing is reported as one. */
  private async classify(
    path: string,
    look: (path: string) => Promise<Stats>,
    subdirs: string[],
    files: string[],
    special: [string, string][],
    links?: string[],
  ): Promise<void> {
    try {
      const info = await look(path);
      if (info.isDirectory()) subdirs.push(path);
      else if (info.isFile()) files.push(path);
      else if (info.isSymbolicLink() && links) links.push(path);
      else special.push([path, specialReason(info)]);
    } catch (error) {
      this.skip(path, await errorReason(path, error));
    }
  }

  private wanted(path: string, root: string): boolean {
    const rel = relative(root, path) || basename(path);
    if (this.exclude?.(rel)) return false;
    if (this.include) return this.include(rel);
    return true;
  }

  private isVideoName(name: string): boolean {
    return this.extensions.has(extensionOf(name));
  }

  private file(
    path: string,
    root: string,
    size: number,
    mtimeMs: number,
    explicit: boolean,
    siblings?: readonly string[],
  ): void {
    const ext = extensionOf(path);
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
    this.files.push({ path, size, mtimeMs, root, ...(siblings ? { siblings } : {}) });
  }
}

/** Scans the given paths; never throws for a single bad entry. Files come out per folder in the order a file manager lists them (byNaturalName). */
export async function scanPaths(paths: string[], options: ScanOptions = {}): Promise<ScanResult> {
  const scanner = new Scanner(options);
  for (const path of paths) await scanner.root(path);
  return { files: scanner.files, skipped: scanner.skipped };
}
