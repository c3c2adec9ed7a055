// BCP 47 language tags of captions and chapters: the spec's two 400s (not letters and dashes; not a covered
// language), the canonical form used in URIs and file names, and the language's name in its own language.
import { ApiProblem } from './problems';

const LETTERS_AND_DASHES = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/;
const knownLanguages = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });

export interface LanguageTag {
  /** canonical BCP 47 form (`en-us` → `en-US`) */
  tag: string;
  /** the language's own name, e.g. `français canadien` for `fr-CA` */
  nativeName: string;
}

/** Validates a `{language}` path parameter; a language ICU does not know counts as not covered. */
export function parseLanguageTag(raw: string): LanguageTag {
  if (!LETTERS_AND_DASHES.test(raw))
    throw new ApiProblem(
      'invalid-attribute',
      'language',
      'The "language" attribute must contain only letters and dashes (for example "fr", "fr-BE").',
    );
  let tag: string;
  try {
    tag = Intl.getCanonicalLocales(raw)[0]!;
  } catch {
    throw new ApiProblem('invalid-attribute', 'language', 'The "language" attribute is not valid.');
  }
  const primary = tag.split('-')[0]!;
  if (knownLanguages.of(primary) === undefined)
    throw new ApiProblem('invalid-attribute', 'language', 'The "language" attribute is not valid.');
  const nativeName = new Intl.DisplayNames([tag], { type: 'language' }).of(tag) ?? tag;
  return { tag, nativeName };
}
