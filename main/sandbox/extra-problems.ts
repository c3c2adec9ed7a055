// Problems whose slugs the shared catalogue (problems.ts) does not list: the summary conflict of the spec's examples
// (409) and the sandbox's own 501 for operations it cannot provide. Each is an ApiProblem, answered as problem JSON.
import { ApiProblem } from './problems';

const DOCS = 'https://docs.api.video/reference/';

const EXTRA = {
  'summary-already-exists': [409, 'A summary already exists or is being created on this video.'],
  /** sandbox-specific (main/sandbox/operations.md) */
  'not-available-in-local-sandbox': [501, 'This operation is not available in the local sandbox.'],
} as const satisfies Record<string, readonly [number, string]>;

export type ExtraProblemSlug = keyof typeof EXTRA;

export function extraProblem(slug: ExtraProblemSlug, name?: string, detail?: string): ApiProblem {
  const [status, title] = EXTRA[slug];
  const problem = new ApiProblem('server-error', name, detail, status);
  Object.assign(problem.body, { type: DOCS + slug, title });
  problem.message = `${status} ${slug}${detail ? `: ${detail}` : ''}`;
  return problem;
}
