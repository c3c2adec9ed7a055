// A connection check's outcome as a profile card shows it: only the result, since the card already names the
// profile, its environment and address ("Key works · 2 active upload tokens", "The API key was refused …").

/** main's messages open with `Profile "<name>" on <environment> (<url>)` (apivideo/errors.ts describeContext). */
const whoPrefix = /^(?:Profile "(?:[^"]|"(?! on ))*" on )?(?:.{0,120}? \()?https?:\/\/[^)\s]*\)?/;

const rewrites: [RegExp, (match: RegExpMatchArray) => string][] = [
  [/^the API key works \((\d+) active upload tokens?\)\.?$/i,
    (m) => `Key works · ${m[1]} active upload token${m[1] === '1' ? '' : 's'}`],
  [/^the API key works\.?$/i, () => 'Key works'],
  [/^the upload token is valid(?: \(.*\))?\.?$/i, () => 'Upload token works'],
];

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The result part of a check message: without who was checked, in short words when it is a known success. */
export function checkSummary(message: string): string {
  const who = whoPrefix.exec(message);
  let rest = message;
  if (who) {
    const after = message.slice(who[0].length);
    if (after.startsWith(': ')) rest = after.slice(2);
    else if (after.startsWith(' ')) rest = `The server ${after.slice(1)}`; // "… could not be reached", "… refused …"
  }
  for (const [pattern, short] of rewrites) {
    const match = pattern.exec(rest);
    if (match) return short(match);
  }
  return capitalized(rest);
}
