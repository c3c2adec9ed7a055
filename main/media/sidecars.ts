// Finds the files that belong beside a video (NAME.LANG.vtt/.srt captions, NAME.chapters[.LANG].vtt chapters,
// NAME.jpg/.png/.webp thumbnail) and makes each ready to send, or says plainly why it cannot be (never the video's
// problem: the video uploads regardless).
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { z } from 'zod';
import type { ImageType } from '../lib/image-signature';
import { imageType } from '../lib/image-signature';
import { prepareTrack } from './captions';
import { sniff } from './sniff';

export const sidecarSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('caption'),
      path: z.string().min(1),
      language: z.string().min(2),
      format: z.enum(['vtt', 'srt']),
      isDefault: z.boolean(),
    })
    .strict(),
  z.object({ kind: z.literal('chapters'), path: z.string().min(1), language: z.string().min(2) }).strict(),
  z.object({ kind: z.literal('thumbnail'), path: z.string().min(1) }).strict(),
  /** The thumbnail taken from the video itself at a time ('hh:mm:ss.mmm'), as a CSV asked. */
  z.object({ kind: z.literal('frame'), timecode: z.string().min(1) }).strict(),
]);
export type Sidecar = z.infer<typeof sidecarSchema>;
/** A sidecar that is a file beside the video (all but a thumbnail taken from the video at a time). */
export type FileSidecar = Exclude<Sidecar, { kind: 'frame' }>;

export const sidecarProblemSchema = z.object({ path: z.string(), reason: z.string() }).strict();
export type SidecarProblem = z.infer<typeof sidecarProblemSchema>;

export interface FoundSidecars {
  sidecars: FileSidecar[];
  /** Files that look meant for the video but will not be sent, each with why. */
  problems: SidecarProblem[];
}

export interface FindOptions {
  /**
   * The names in the video's folder, when the caller has listed it already (a scan): no second readdir. Pass the
   * same array for every video of the folder (it is indexed once, as it is when first used) and do not change it.
   */
  siblings?: readonly string[];
  /** The caption language to make the default (the CSV's); else the first caption found, by file name. */
  defaultCaption?: string;
  /** The language of NAME.chapters.vtt, which names none (default 'en'). */
  chapterLanguage?: string;
}

/** The journal's key of a sidecar on its video: 'caption:en', 'chapters:fr', 'thumbnail'. */
export function sidecarKey(sidecar: Sidecar): string {
  return sidecar.kind === 'thumbnail' || sidecar.kind === 'frame' ? 'thumbnail' : `${sidecar.kind}:${sidecar.language}`;
}

/**
 * A BCP 47 tag in its usual case (language lower, script title, region upper), or null when `raw` is not one.
 * Underscores are taken for dashes (pt_BR), as api.video accepts only dashes.
 */
export function languageTag(raw: string): string | null {
  const parts = raw.replace(/_/g, '-').split('-');
  if (!/^[a-z]{2,3}$/i.test(parts[0] ?? '')) return null;
  const out = [(parts[0] as string).toLowerCase()];
  for (const part of parts.slice(1)) {
    if (/^[a-z]{4}$/i.test(part) && out.length === 1) out.push(part[0]!.toUpperCase() + part.slice(1).toLowerCase());
    else if (/^([a-z]{2}|\d{3})$/i.test(part)) out.push(part.toUpperCase());
    else if (/^([a-z0-9]{5,8}|\d[a-z0-9]{3})$/i.test(part)) out.push(part.toLowerCase());
    else return null;
  }
  return out.join('-');
}

const THUMBNAIL_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp'];
/** The extensions a sidecar may have: captions and chapters, and a thumbnail image. */
const SIDECAR_EXTENSIONS = new Set(['.vtt', '.srt', ...THUMBNAIL_EXTENSIONS]);

/**
 * The names (without extension) of the videos that `name` would go with: NAME.jpg (.jpeg, .png, .webp) goes with
 * NAME, NAME.*.vtt / NAME.*.srt with every NAME before one of its dots (and NAME.vtt, which findSidecars reports,
 * with NAME); none for a name that is no sidecar's. The one pairing rule for scans, watch folders and findSidecars.
 */
export function sidecarStems(name: string): string[] {
  const ext = extname(name).toLowerCase();
  if (!SIDECAR_EXTENSIONS.has(ext)) return [];
  const stem = name.slice(0, name.length - ext.length);
  const stems = [stem];
  if (ext !== '.vtt' && ext !== '.srt') return stems;
  for (let at = stem.indexOf('.'); at > 0; at = stem.indexOf('.', at + 1)) stems.push(stem.slice(0, at));
  return stems;
}

/** Folder listings already indexed: by each name before one of a file's dots, the sidecar-like files so named. */
const indexed = new WeakMap<readonly string[], Map<string, string[]>>();

/**
 * The names in `siblings` that may be sidecars of a video called `name` (NAME and a dot, with a sidecar's
 * extension), sorted. The listing is indexed once, so the videos of a folder of thousands cost one pass over it
 * together, not one pass each.
 */
function sidecarNames(siblings: readonly string[], name: string): string[] {
  let index = indexed.get(siblings);
  if (!index) {
    index = new Map();
    for (const file of siblings) {
      for (const stem of sidecarStems(file)) {
        const names = index.get(stem);
        if (names) names.push(file);
        else index.set(stem, [file]);
      }
    }
    indexed.set(siblings, index);
  }
  return [...(index.get(name) ?? [])].sort();
}

/** The sidecars of `videoPath` among the names in its folder. */
export async function findSidecars(videoPath: string, options: FindOptions = {}): Promise<FoundSidecars> {
  const folder = dirname(videoPath);
  const video = basename(videoPath);
  const name = video.slice(0, video.length - extname(video).length);
  const siblings = options.siblings ?? (await readdir(folder).catch(() => [] as string[]));
  const candidates = sidecarNames(siblings, name).filter((s) => s !== video);
  const captions: Extract<Sidecar, { kind: 'caption' }>[] = [];
  const chapters: Extract<Sidecar, { kind: 'chapters' }>[] = [];
  const thumbnails: string[] = [];
  const problems: SidecarProblem[] = [];
  for (const file of candidates) {
    const ext = extname(file).toLowerCase();
    const middle = file.slice(name.length + 1, file.length - ext.length);
    const path = join(folder, file);
    if (THUMBNAIL_EXTENSIONS.includes(ext)) {
      if (middle === '') thumbnails.push(path);
      continue;
    }
    if (ext !== '.vtt' && ext !== '.srt') continue;
    const chapterMatch = /^chapters(?:\.(.+))?$/i.exec(middle);
    if (chapterMatch && ext === '.vtt') {
      const language =
        chapterMatch[1] === undefined ? languageTag(options.chapterLanguage ?? 'en') : languageTag(chapterMatch[1]);
      if (!language)
        problems.push({ path, reason: `${file}: "${chapterMatch[1]}" is not a language tag (like en or fr-CA)` });
      else if (chapters.some((c) => c.language === language))
        problems.push({ path, reason: `${file}: chapters in ${language} come from another file already` });
      else chapters.push({ kind: 'chapters', path, language });
      continue;
    }
    if (middle === '') {
      problems.push({ path, reason: `${file} names no language: call it ${name}.en${ext} (or another language tag)` });
      continue;
    }
    const language = languageTag(middle);
    if (!language) {
      problems.push({ path, reason: `${file}: "${middle}" is not a language tag (like en or fr-CA)` });
      continue;
    }
    const twin = captions.find((c) => c.language === language);
    if (twin) {
      // NAME.en.srt and NAME.en.vtt: the WebVTT one wins.
      if (twin.format === 'srt' && ext === '.vtt') {
        problems.push({
          path: twin.path,
          reason: `${basename(twin.path)}: captions in ${language} come from ${file} instead`,
        });
        Object.assign(twin, { path, format: 'vtt' });
      } else
        problems.push({ path, reason: `${file}: captions in ${language} come from ${basename(twin.path)} already` });
      continue;
    }
    captions.push({ kind: 'caption', path, language, format: ext === '.vtt' ? 'vtt' : 'srt', isDefault: false });
  }
  const wanted = options.defaultCaption === undefined ? undefined : languageTag(options.defaultCaption);
  const defaultCaption = wanted ? captions.find((c) => c.language === wanted) : captions[0];
  if (defaultCaption) defaultCaption.isDefault = true;
  if (wanted && !defaultCaption && captions.length > 0)
    problems.push({ path: videoPath, reason: `No ${wanted} captions were found beside ${video} to make the default` });
  const sidecars: FileSidecar[] = [...captions, ...chapters];
  const [thumbnail, ...others] = thumbnails.sort(byThumbnailPreference);
  if (thumbnail) sidecars.push({ kind: 'thumbnail', path: thumbnail });
  for (const other of others)
    problems.push({
      path: other,
      reason: `${basename(other)}: the thumbnail comes from ${basename(thumbnail!)} instead`,
    });
  return { sidecars, problems };
}

function byThumbnailPreference(a: string, b: string): number {
  const rank = (p: string) => THUMBNAIL_EXTENSIONS.indexOf(extname(p).toLowerCase());
  return rank(a) - rank(b);
}

/** api.video's limit for an uploaded thumbnail (openapi video-thumbnail-upload-payload): 8 MiB. */
export const MAX_THUMBNAIL_BYTES = 8 * 1024 * 1024;
/** A caption or chapter file larger than this is not read (api.video documents no limit; 10 MiB is already absurd). */
export const MAX_TRACK_BYTES = 10 * 1024 * 1024;

export type PreparedSidecar =
  | { ok: true; body: Buffer; fileName: string; contentType: ImageType | 'text/vtt'; changes: string[] }
  | { ok: false; reason: string };

/** Reads a sidecar from disk and makes it what api.video takes, or says why it cannot be sent. */
export async function prepareSidecar(sidecar: FileSidecar): Promise<PreparedSidecar> {
  const file = basename(sidecar.path);
  const limit = sidecar.kind === 'thumbnail' ? MAX_THUMBNAIL_BYTES : MAX_TRACK_BYTES;
  let bytes: Buffer;
  try {
    const info = await stat(sidecar.path);
    if (!info.isFile()) return { ok: false, reason: `${file} is not a regular file` };
    if (info.size === 0) return { ok: false, reason: `${file} is empty` };
    if (info.size > limit) {
      const what =
        sidecar.kind === 'thumbnail' ? "api.video's limit for a thumbnail" : 'what Convoy sends as a text track';
      return { ok: false, reason: `${file} is too large: ${mib(info.size)}, over ${what} (${mib(limit)})` };
    }
    bytes = await readFile(sidecar.path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException)?.code;
    const why =
      code === 'ENOENT'
        ? 'it is no longer there'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : (code ?? String(error));
    return { ok: false, reason: `${file} could not be read: ${why}` };
  }
  if (sidecar.kind === 'thumbnail') {
    const type = imageType(bytes);
    if (!type) {
      const seen = sniff(bytes.subarray(0, 4096));
      const like = seen.kind === 'not-video' ? `: it starts like ${seen.what}` : '';
      return { ok: false, reason: `${file} is not a JPEG, PNG or WebP image${like}` };
    }
    const ext = type === 'image/jpeg' ? 'jpg' : type.slice('image/'.length);
    return { ok: true, body: bytes, fileName: `thumbnail.${ext}`, contentType: type, changes: [] };
  }
  const kind = sidecar.kind === 'caption' ? 'captions' : 'chapters';
  const format = sidecar.kind === 'caption' ? sidecar.format : 'vtt';
  try {
    const track = prepareTrack(bytes, format, kind);
    return {
      ok: true,
      body: track.body,
      fileName: `${sidecar.language}.vtt`,
      contentType: 'text/vtt',
      changes: track.changes,
    };
  } catch (error) {
    const what = format === 'srt' ? 'SRT' : 'WebVTT';
    return {
      ok: false,
      reason: `${file} is not valid ${what}: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/** Every found sidecar checked (read and validated, as before sending), so the row can show problems at scan. */
export async function checkSidecars(found: FoundSidecars): Promise<FoundSidecars> {
  const sidecars: FileSidecar[] = [];
  const problems = [...found.problems];
  for (const sidecar of found.sidecars) {
    const prepared = await prepareSidecar(sidecar);
    if (prepared.ok) sidecars.push(sidecar);
    else problems.push({ path: sidecar.path, reason: prepared.reason });
  }
  // A default caption that failed its check hands the default on to the next one.
  const captions = sidecars.filter((s): s is Extract<Sidecar, { kind: 'caption' }> => s.kind === 'caption');
  if (captions.length > 0 && !captions.some((c) => c.isDefault)) captions[0]!.isDefault = true;
  return { sidecars, problems };
}

function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
