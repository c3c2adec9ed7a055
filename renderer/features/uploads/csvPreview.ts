// What the CSV preview says per row: the values a matched row will set on its files (title, description, tags,
// privacy, player, thumbnail…), and why a row matched no queued file.
import type { JobView } from '../../../common/api';
import type { CsvRowValues } from '../../stores/queue';
import { rowFolder } from './rowText';

/** The values in the order the details dialog shows them, each with the word a person reads. */
const valueLabels: [keyof CsvRowValues, string][] = [
  ['title', 'Title'],
  ['description', 'Description'],
  ['tags', 'Tags'],
  ['public', 'Privacy'],
  ['playerId', 'Player'],
  ['watermarkId', 'Watermark'],
  ['thumbnail', 'Thumbnail'],
  ['thumbnailTimecode', 'Thumbnail at'],
  ['captionDefault', 'Default captions'],
  ['chaptersLanguage', 'Chapters language'],
];

/** [label, value] per value the row sets, in words ("Tags" → "lake, sunset"; "Privacy" → "Private"). */
export function rowValues(sets: CsvRowValues): [string, string][] {
  const out: [string, string][] = [];
  for (const [key, label] of valueLabels) {
    const value = sets[key];
    if (value === undefined) continue;
    if (key === 'tags') {
      const tags = value as string[];
      if (tags.length > 0) out.push([label, tags.join(', ')]);
    } else if (key === 'public') out.push([label, value ? 'Public' : 'Private']);
    else if (value !== '') out.push([label, String(value)]);
  }
  return out;
}

const bare = (name: string) => name.replace(/\.[^./]+$/, '').toLowerCase();

/**
 * Why a row's file name matched no queued file, in words: no queued file has that name, or (a row naming folders)
 * files of that name are queued, but from other folders ("clip.mp4 is queued from day2, not B-roll/drone").
 */
export function unmatchedWhy(filename: string, jobs: Iterable<Pick<JobView, 'name' | 'path' | 'addedFrom'>>): string {
  const parts = filename.trim().replace(/\\/g, '/').split('/').filter(Boolean);
  const name = parts.at(-1) ?? filename;
  const asked = parts.slice(0, -1).join('/');
  const namesakes = [...jobs].filter((job) => bare(job.name) === bare(name));
  if (namesakes.length === 0) return `No file in the queue is named ${name}, with or without its extension.`;
  if (!asked) return `No file in the queue matches ${name}.`;
  const folders = [...new Set(namesakes.map((job) => rowFolder(job, job.path) || 'the folder you added'))];
  const where = folders.length > 3 ? `${folders.slice(0, 3).join(', ')}…` : folders.join(', ');
  return `${namesakes[0]!.name} is queued from ${where}, not from ${asked}. Write the folder as it is below the folder you added, or the name alone.`;
}
