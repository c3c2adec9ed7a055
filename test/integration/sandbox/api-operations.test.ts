// operations.md against the spec and the running sandbox: the table lists every operation of the spec exactly once,
// and each answers as the table says (routed for "yes", 501 for "501"), never 404 unrecognized-request-url or 405.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { sandboxForFile } from '../../support/sandbox';
import { SPEC_PATH } from './spec';

const sb = sandboxForFile();
const TABLE = resolve(import.meta.dirname, '../../../main/sandbox/operations.md');

interface Operation {
  operationId: string;
  method: string;
  path: string;
}

const spec = parse(readFileSync(SPEC_PATH, 'utf8'), { schema: 'core' }) as {
  paths: Record<string, Record<string, { operationId?: string }>>;
};
const operations: Operation[] = Object.entries(spec.paths).flatMap(([path, methods]) =>
  Object.entries(methods)
    .filter(([, operation]) => operation.operationId !== undefined)
    .map(([method, operation]) => ({ operationId: operation.operationId!, method: method.toUpperCase(), path })),
);

/** The table's rows: | `operationId` | METHOD | `path` | yes/501/no | note | */
const rows = new Map(
  [...readFileSync(TABLE, 'utf8').matchAll(/^\| `([^`]+)` \| ([A-Z]+) \| `([^`]+)` \| (yes|501|no) \|/gm)].map(
    ([, operationId, method, path, answer]) => [`${method} ${path}`, { operationId, answer }],
  ),
);

/** A concrete URL path for a spec path: unknown but well-formed ids, `en` for a language. */
const concrete = (path: string): string =>
  path
    .replace('{videoId}', 'viUnknownUnknownUnknown00')
    .replace('{language}', 'en')
    .replace('{metric}', 'play')
    .replace(/\{[^}]+\}/g, 'unknown0');

describe('operations.md', () => {
  it('lists every operation of the spec once, with its operationId', () => {
    expect(rows.size).toBe(operations.length);
    for (const { operationId, method, path } of operations)
      expect(rows.get(`${method} ${path}`)?.operationId, `${method} ${path}`).toBe(operationId);
  });

  it.each(operations.map((op) => [op.method, op.path] as const))(
    '%s %s answers as the table says',
    async (method, path) => {
      const reply = await fetch(`${sb().url}${concrete(path)}`, {
        method,
        headers: { Authorization: sb().basicAuth, 'Content-Type': 'application/json' },
        body: method === 'GET' || method === 'DELETE' ? undefined : '{}',
      });
      const body = (await reply.json().catch(() => null)) as { type?: string } | null;
      expect(body?.type ?? '').not.toMatch(/unrecognized-request-url|method-not-allowed/);
      expect(reply.status === 501, `${reply.status} ${JSON.stringify(body)}`).toBe(
        rows.get(`${method} ${path}`)?.answer === '501',
      );
    },
  );
});
