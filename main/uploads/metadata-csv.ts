// CSV metadata import: rows of filename,title,description,tags (and the media columns) matched to queued jobs,
// by path relative to what was added ("day1/clip.mp4") or by bare file name, case-insensitive, with or without
// extension. Tags are separated by commas, semicolons or "|" (a cell holding commas is quoted), as in the
// details dialog. Media columns, all optional: captionDefault and chaptersLanguage (BCP 47 tags), thumbnail (an
// image path, relative to the video's folder), thumbnailTimecode (hh:mm:ss[.mmm] or seconds), playerId (pl…),
// watermarkId (watermark_…). Returns matches, unmatched rows, row-by-row errors, and the patches to apply.
import { stat } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { CsvMatch, CsvRowValues, CsvUnmatched } from '../../common/contract/queue';
import { splitTags } from '../../common/tags';
import { withoutExtension } from '../lib/file-name';
import { languageTag, prepareSidecar } from '../media/sidecars';
import { parseCsv } from './csv';
import type { MediaPatch } from './engine-types';

export interface MetadataPatch {
  title?: string;
  description?: string;
  tags?: string[];
}

/** A queued job as the import sees it: its name, where it is, and (when the preflight read it) its duration. */
export interface CsvJob {
  id: string;
  name: string;
  path: string;
  media?: { durationSec?: number | undefined } | undefined;
}

export interface CsvImport {
  matches: CsvMatch[];
  unmatched: CsvUnmatched[];
  errors: string[];
  /** One entry per row (or per folder of a row's files, when a relative thumbnail resolves differently in each). */
  patches: { jobIds: string[]; patch: MetadataPatch; media?: MediaPatch }[];
}

const columns = [
  'filename',
  'title',
  'description',
  'tags',
  'captionDefault',
  'chaptersLanguage',
  'thumbnail',
  'thumbnailTimecode',
  'playerId',
  'watermarkId',
] as const;
type Column = (typeof columns)[number];

/** The one rule for tags, in words (the header error and the docs say it). */
export const TAG_RULE = 'tags separated by commas, semicolons or |';
const MAX_TAG = 100;
const MAX_TAGS = 100;

/** A header cell as a column: case, spaces, dashes and underscores do not matter ("Caption default" works). */
function columnOf(header: string): Column | undefined {
  const squashed = header.toLowerCase().replace(/[\s_-]/g, '');
  return columns.find((c) => c.toLowerCase() === squashed);
}

/** Slashes one way, no "./", lower case: how paths and CSV cells are compared. */
function pathKey(text: string): string {
  return text
    .trim()
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .toLowerCase();
}

/**
 * Every job under every trailing part of its path ("clip.mp4", "day1/clip.mp4", … up to the whole path), each also
 * without its extension: a row's filename is then one lookup, however many folders it names.
 */
function indexJobs(jobs: CsvJob[]): Map<string, string[]> {
  const index = new Map<string, string[]>();
  const put = (key: string, id: string) => {
    const list = index.get(key) ?? [];
    if (!list.includes(id)) list.push(id);
    index.set(key, list);
  };
  for (const job of jobs) {
    const segments = pathKey(job.path).split('/');
    segments[segments.length - 1] = job.name.toLowerCase();
    for (let from = segments.length - 1; from >= 0; from -= 1) {
      const key = segments.slice(from).join('/');
      if (!key) continue;
      put(key, job.id);
      put(withoutExtension(key), job.id);
    }
  }
  return index;
}

/** api.video player ids: "pl" then letters and digits (pl45KFKdlddgk654dspkze). */
const PLAYER_ID = /^pl[A-Za-z0-9]{6,40}$/;
/** api.video watermark ids: "watermark_" then letters and digits (watermark_1BWr2L5MTQwxGkuxKjzh6i). */
const WATERMARK_ID = /^watermark_[A-Za-z0-9]{6,40}$/;

/**
 * A thumbnail timecode as api.video takes it: 'hh:mm:ss' stays, 'hh:mm:ss.m[mm]' gets three decimals, seconds
 * ('12.5', '124') become 'hh:mm:ss.mmm'. Null when it is none of these (or past 99:59:59.999).
 */
export function thumbnailTimecode(raw: string): string | null {
  const text = raw.trim();
  const clock = /^(\d{2}):([0-5]\d):([0-5]\d)(?:\.(\d{1,3}))?$/.exec(text);
  if (clock) return clock[4] === undefined ? text : `${clock[1]}:${clock[2]}:${clock[3]}.${clock[4].padEnd(3, '0')}`;
  if (!/^\d+(?:\.\d+)?$/.test(text)) return null;
  const ms = Math.round(Number(text) * 1000);
  if (!(ms < 100 * 3600 * 1000)) return null;
  const two = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  return `${two(h)}:${two(m)}:${two(s)}.${String(ms % 1000).padStart(3, '0')}`;
}

function timecodeSeconds(timecode: string): number {
  const [h, m, s] = timecode.split(':').map(Number) as [number, number, number];
  return h * 3600 + m * 60 + s;
}

/** Why the thumbnail at `path` cannot be used (named as the row wrote it), or null when it can. */
async function thumbnailProblem(path: string, written: string): Promise<string | null> {
  const found = await stat(path).catch((error: NodeJS.ErrnoException) => error);
  if (found instanceof Error) {
    return found.code === 'ENOENT'
      ? `thumbnail "${written}" does not exist (looked for ${path})`
      : `thumbnail "${written}" could not be read: ${found.code ?? found.message}`;
  }
  const prepared = await prepareSidecar({ kind: 'thumbnail', path });
  return prepared.ok ? null : `thumbnail "${written}" cannot be used: ${prepared.reason}`;
}

type Cells = (name: Column) => string | undefined;

/** The row's media columns that are the same for every file it matches, with an error per cell that is wrong. */
function mediaOfRow(get: Cells, fail: (message: string) => void): MediaPatch {
  const media: MediaPatch = {};
  for (const column of ['captionDefault', 'chaptersLanguage'] as const) {
    const value = get(column);
    if (!value) continue;
    const tag = languageTag(value);
    if (tag) media[column] = tag;
    else fail(`${column} "${value}" is not a language tag like en, fr-CA or pt-BR`);
  }
  const timecode = get('thumbnailTimecode');
  if (timecode) {
    const normal = thumbnailTimecode(timecode);
    if (normal) media.thumbnailTimecode = normal;
    else fail(`thumbnailTimecode "${timecode}" is not a time like 00:01:02 (hh:mm:ss, hh:mm:ss.mmm, or seconds: 62.5)`);
  }
  const playerId = get('playerId');
  if (playerId) {
    if (PLAYER_ID.test(playerId)) media.playerId = playerId;
    else fail(`playerId "${playerId}" is not an api.video player id (they look like pl45KFKdlddgk654dspkze)`);
  }
  const watermarkId = get('watermarkId');
  if (watermarkId) {
    if (WATERMARK_ID.test(watermarkId)) media.watermarkId = watermarkId;
    else
      fail(
        `watermarkId "${watermarkId}" is not an api.video watermark id (they look like watermark_1BWr2L5MTQwxGkuxKjzh6i)`,
      );
  }
  return media;
}

function clock(seconds: number): string {
  const s = Math.floor(seconds);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(Math.floor(s / 3600))}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
}

export async function importMetadataCsv(csv: string, jobs: CsvJob[]): Promise<CsvImport> {
  const result: CsvImport = { matches: [], unmatched: [], errors: [], patches: [] };
  const rows = parseCsv(csv);
  const header = rows[0]?.map((h) => h.trim());
  const known = header?.map(columnOf);
  if (!header || !known?.includes('filename')) {
    result.errors.push(
      `The CSV needs a header row with at least a "filename" column (filename,title,description,tags; ${TAG_RULE}).`,
    );
    return result;
  }
  const unknown = header.filter((h, i) => h && !known[i]);
  if (unknown.length) result.errors.push(`Ignored unknown column(s): ${unknown.join(', ')}.`);
  const index = indexJobs(jobs);
  const byId = new Map(jobs.map((job) => [job.id, job]));
  for (const [i, cells] of rows.slice(1).entries()) {
    const row = i + 2;
    const get: Cells = (name) => {
      const at = known.indexOf(name);
      return at >= 0 ? cells[at]?.trim() : undefined;
    };
    const fail = (message: string) => result.errors.push(`Row ${row}: ${message}.`);
    const filename = get('filename') ?? '';
    if (!filename) {
      fail('the filename is empty');
      continue;
    }
    const key = pathKey(filename);
    const jobIds = index.get(key) ?? index.get(withoutExtension(key)) ?? [];
    if (jobIds.length === 0) {
      const name = key.split('/').pop()!;
      const namesakes = (index.get(name) ?? index.get(withoutExtension(name)) ?? []).map((id) => byId.get(id)!);
      const why = !key.includes('/')
        ? `no queued file is named ${filename}, with or without its extension`
        : namesakes.length > 0
          ? `no queued file is at ${filename}; ${namesakes.length === 1 ? 'the file' : 'files'} of that name ${namesakes.length === 1 ? 'is' : 'are'} at ${namesakes.map((job) => relativeHint(job, job.name)).join(', ')}`
          : `no queued file is at ${filename} (below the folder it was added from) or named ${name}`;
      result.unmatched.push({ row, filename, why });
      continue;
    }
    const matched = jobIds.map((id) => byId.get(id)!);
    if (matched.length > 1 && !key.includes('/'))
      fail(
        `"${filename}" matches ${matched.length} queued files; the row applies to each. To pick one, write its folder too (${relativeHint(matched[0]!, filename)})`,
      );
    const patch: MetadataPatch = {};
    const title = get('title');
    if (title) {
      if (title.length > 256) fail('the title is longer than 256 characters; it was cut');
      patch.title = title.slice(0, 256);
    }
    const description = get('description');
    if (description) patch.description = description.slice(0, 5000);
    const tags = get('tags');
    if (tags) {
      const all = splitTags(tags);
      for (const tag of all.filter((t) => t.length > MAX_TAG))
        fail(`the tag "${tag.slice(0, 40)}…" is longer than ${MAX_TAG} characters; it was left out`);
      const kept = all.filter((t) => t.length <= MAX_TAG);
      if (kept.length > MAX_TAGS) fail(`more than ${MAX_TAGS} tags; the first ${MAX_TAGS} were kept (${TAG_RULE})`);
      patch.tags = kept.slice(0, MAX_TAGS);
    }
    const media = mediaOfRow(get, fail);
    const thumbnail = get('thumbnail');
    if (thumbnail && media.thumbnailTimecode) {
      fail('give a thumbnail image or a thumbnailTimecode, not both; the image is used');
      delete media.thumbnailTimecode;
    }
    if (media.thumbnailTimecode) {
      const at = timecodeSeconds(media.thumbnailTimecode);
      const short = matched.find((job) => job.media?.durationSec !== undefined && at > job.media.durationSec);
      if (short) {
        fail(
          `thumbnailTimecode ${media.thumbnailTimecode} is past the end of ${short.name} (${clock(short.media!.durationSec!)} long)`,
        );
        delete media.thumbnailTimecode;
      }
    }
    // A relative thumbnail is looked for in each matched file's own folder: one patch per folder.
    const groups = new Map<string, string[]>();
    for (const job of matched) {
      const where = thumbnail ? (isAbsolute(thumbnail) ? thumbnail : resolve(dirname(job.path), thumbnail)) : '';
      groups.set(where, [...(groups.get(where) ?? []), job.id]);
    }
    let thumbnailUsed = false;
    for (const [where, ids] of groups) {
      const own: MediaPatch = { ...media };
      if (where) {
        const problem = await thumbnailProblem(where, thumbnail!);
        if (problem) fail(problem);
        else [own.thumbnail, thumbnailUsed] = [where, true];
      }
      result.patches.push({ jobIds: ids, patch, ...(Object.keys(own).length ? { media: own } : {}) });
    }
    const sets: CsvRowValues = { ...patch, ...media, ...(thumbnailUsed ? { thumbnail } : {}) };
    result.matches.push({ row, filename, jobIds, sets });
  }
  return result;
}

/** "day1/clip.mp4" for a job at /…/day1/clip.mp4: the shortest path that names it apart from its namesakes. */
function relativeHint(job: CsvJob, filename: string): string {
  const segments = job.path.replace(/\\/g, '/').split('/');
  return [segments[segments.length - 2], filename].filter(Boolean).join('/');
}
