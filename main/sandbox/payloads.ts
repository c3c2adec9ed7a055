// Request bodies held to a zod schema: a failure becomes the spec's bad-request problem (attribute-required for a
// missing attribute, invalid-attribute otherwise; the first on top, all of them in `problems`).
import type { z } from 'zod';
import { ApiProblem } from './problems';

/** Turns a zod failure into the spec's bad-request body (first problem on top, all of them in `problems`). */
function payloadProblem(error: z.ZodError, body: object): ApiProblem {
  /** zod reports no input by default: an attribute is missing when the body has nothing at the issue's path */
  const valueAt = (path: PropertyKey[]) =>
    path.reduce<unknown>((value, key) => (value as Record<PropertyKey, unknown> | undefined)?.[key], body);
  const problems = error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '');
    const missing = issue.path.length > 0 && valueAt(issue.path) === undefined;
    return new ApiProblem(
      missing ? 'attribute-required' : 'invalid-attribute',
      name,
      missing ? undefined : `"${issue.path.join('.')}": ${issue.message}`,
    ).body;
  });
  const first = problems[0]!;
  const problem = new ApiProblem(
    first.type.endsWith('attribute-required') ? 'attribute-required' : 'invalid-attribute',
    first.name,
    first.detail,
  );
  if (problems.length > 1)
    (problem.body as { problems?: unknown }).problems = problems.map(({ type, title, name }) => ({
      type,
      title,
      name,
    }));
  return problem;
}

export function parseOrThrow<T>(schema: z.ZodType<T>, body: unknown): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ApiProblem('invalid-payload', undefined, 'The body must be a JSON object.');
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw payloadProblem(parsed.error, body);
  return parsed.data;
}
