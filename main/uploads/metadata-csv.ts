// CSV metadata import: rows of filename,title,description,tags matched to queued jobs by file name
// (case-insensitive, with or without extension). Returns matches, unmatched rows, and the patches to apply.
import { extname } from 'node:path';
import type { CsvMatch } from '../../common/contract/queue';
import { parseCsv } from './csv';

export interface MetadataPatch {
  title?: string;
  description?: string;
  tags?: string[];
}

export interface CsvImport {
  matches: CsvMatch[];
  unmatched: { row: number; filename: string }[];
  errors: string[];
  patches: { jobIds: string[]; patch: MetadataPatch }[];
}

const columns = ['filename', 'title', 'description', 'tags'] as const;

export function withoutExtension(name: string): string {
  const ext = extname(name);
  return ext ? name.slice(0, -ext.length) : name;
}

function indexJobs(jobs: { id: string; name: string }[]): Map<string, string[]> {
  const index = new Map<string, string[]>();
  const put = (key: string, id: string) => {
    const list = index.get(key) ?? [];
    if (!list.includes(id)) list.push(id);
    index.set(key, list);
  };
  for (const job of jobs) {
    const name = job.name.toLowerCase();
    put(name, job.id);
    put(withoutExtension(name), job.id);
  }
  return index;
}

export function splitTags(value: string): string[] {
  return [
    ...new Set(
      value
        .split(/[;|]/)
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ].slice(0, 100);
}

export function importMetadataCsv(csv: string, jobs: { id: string; name: string }[]): CsvImport {
  const result: CsvImport = { matches: [], unmatched: [], errors: [], patches: [] };
  const rows = parseCsv(csv);
  const header = rows[0]?.map((h) => h.trim().toLowerCase());
  if (!header || !header.includes('filename')) {
    result.errors.push(
      'The CSV needs a header row with at least a "filename" column (filename,title,description,tags).',
    );
    return result;
  }
  const unknown = header.filter((h) => h && !(columns as readonly string[]).includes(h));
  if (unknown.length) result.errors.push(`Ignored unknown column(s): ${unknown.join(', ')}.`);
  const at = (name: (typeof columns)[number]) => header.indexOf(name);
  const index = indexJobs(jobs);
  rows.slice(1).forEach((cells, i) => {
    const row = i + 2;
    const get = (name: (typeof columns)[number]) => (at(name) >= 0 ? cells[at(name)]?.trim() : undefined);
    const filename = get('filename') ?? '';
    if (!filename) {
      result.errors.push(`Row ${row}: the filename is empty.`);
      return;
    }
    const key = filename.toLowerCase();
    const jobIds = index.get(key) ?? index.get(withoutExtension(key)) ?? [];
    if (jobIds.length === 0) {
      result.unmatched.push({ row, filename });
      return;
    }
    const patch: MetadataPatch = {};
    const title = get('title');
    if (title) {
      if (title.length > 256) result.errors.push(`Row ${row}: the title is longer than 256 characters; it was cut.`);
      patch.title = title.slice(0, 256);
    }
    const description = get('description');
    if (description !== undefined && description !== '') patch.description = description.slice(0, 5000);
    const tags = get('tags');
    if (tags !== undefined && tags !== '') patch.tags = splitTags(tags);
    result.matches.push({ row, filename, jobIds });
    result.patches.push({ jobIds, patch });
  });
  return result;
}
