// What the CSV preview says per matched row: the values it will set on its files (title, description, tags,
// player, watermark, thumbnail…) in words, in the order the details dialog shows them.
import type { CsvRowValues } from '../../../common/api';

/** The values in the order the details dialog shows them, each with the word a person reads. */
const valueLabels: [keyof CsvRowValues, string][] = [
  ['title', 'Title'],
  ['description', 'Description'],
  ['tags', 'Tags'],
  ['playerId', 'Player'],
  ['watermarkId', 'Watermark'],
  ['thumbnail', 'Thumbnail'],
  ['thumbnailTimecode', 'Thumbnail at'],
  ['captionDefault', 'Default captions'],
  ['chaptersLanguage', 'Chapters language'],
];

/** [label, value] per value the row sets, in words ("Tags" → "lake, sunset"). */
export function rowValues(sets: CsvRowValues): [string, string][] {
  const out: [string, string][] = [];
  for (const [key, label] of valueLabels) {
    const value = sets[key];
    if (value === undefined) continue;
    if (key === 'tags') {
      const tags = value as string[];
      if (tags.length > 0) out.push([label, tags.join(', ')]);
    } else if (value !== '') out.push([label, String(value)]);
  }
  return out;
}
