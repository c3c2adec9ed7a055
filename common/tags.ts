// One rule for typing several tags in one field, shared by the details dialog and the CSV import: tags are
// separated by commas, semicolons or vertical bars, trimmed, without empties or repeats, at most 100.
export function splitTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,;|]/)
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ].slice(0, 100);
}
