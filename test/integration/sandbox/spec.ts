// Conformance helpers: loads the official api.video OpenAPI spec (YAML 1.2 core schema) and validates every
/* eslint-disable @typescript-eslint/no-explicit-any -- reply bodies are checked against the spec schemas at runtime; re-typing them here would duplicate the spec */
// response the sandbox sends against the schema declared for its operation and status (ajv, $refs resolved).
import { readFileSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { expect } from 'vitest';
import { tempDir } from '../../support/temp-dirs';
import { makeClip } from '../../support/media-clips';

const here = dirname(fileURLToPath(import.meta.url));
/** test/integration/sandbox → repo root → ../shared/apivideo/openapi.yaml */
export const SPEC_PATH = resolve(here, '../../../../shared/apivideo/openapi.yaml');

interface Spec {
  paths: Record<
    string,
    Record<string, { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }>
  >;
}

const spec = parse(readFileSync(SPEC_PATH, 'utf8'), { schema: 'core' }) as Spec;
const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => void;
addFormats(ajv);
ajv.addFormat('binary', true);
ajv.addSchema(spec as object, 'openapi');

const cache = new Map<string, ValidateFunction>();
const pointer = (...segments: string[]) => segments.map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** Statuses the spec leaves undeclared use the documented problem shape (docs' error tables, NOTES §2.5, §3.2). */
const FALLBACK: Record<number, string> = {
  400: 'bad-request',
  401: 'bad-request',
  403: '403-error-schema',
  404: 'not-found',
  405: 'bad-request',
  431: 'bad-request',
  500: 'bad-request',
  503: 'bad-request',
  429: 'too-many-requests',
};

export function validatorFor(
  method: string,
  template: string,
  status: number,
): { validate: ValidateFunction; source: string } {
  const key = `${method} ${template} ${status}`;
  const operation = spec.paths[template]?.[method.toLowerCase()];
  if (!operation) throw new Error(`The spec has no operation ${method} ${template}`);
  const declared = operation.responses?.[String(status)]?.content?.['application/json']?.schema;
  let ref: string;
  let source: string;
  if (declared) {
    ref = `openapi#/${pointer('paths', template, method.toLowerCase(), 'responses', String(status), 'content', 'application/json', 'schema')}`;
    source = `spec ${key}`;
  } else if (FALLBACK[status]) {
    ref = `openapi#/components/schemas/${FALLBACK[status]}`;
    source = `fallback ${FALLBACK[status]} for undeclared ${key}`;
  } else {
    throw new Error(`The spec declares no JSON body for ${key}`);
  }
  let validate = cache.get(ref);
  if (!validate) {
    validate = ajv.compile({ $ref: ref });
    cache.set(ref, validate);
  }
  return { validate, source };
}

export interface ApiResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** Every validated response, so a test can assert which operations were covered. */
export const validated: string[] = [];

/** Sends a request and checks the reply against the spec: JSON content type, rate-limit headers, schema. */
export async function api<T = any>(
  url: string,
  init: RequestInit & { template: string; method: string },
): Promise<ApiResult<T>> {
  const response = await fetch(url, init);
  const text = await response.text();
  for (const header of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-retry-after']) {
    expect(response.headers.get(header), `${header} on ${init.method} ${url}`).toMatch(/^\d+$/);
  }
  if (response.status === 204) {
    expect(text).toBe('');
    return { status: 204, body: null as T, headers: response.headers };
  }
  expect(response.headers.get('content-type')).toBe('application/json');
  const body = JSON.parse(text) as T;
  const { validate, source } = validatorFor(init.method, init.template, response.status);
  const ok = validate(body);
  expect(ok, `${source}: ${JSON.stringify(validate.errors)} body=${text.slice(0, 300)}`).toBe(true);
  if (response.status >= 400) {
    const problem = body as { type?: string; title?: string; status?: number };
    expect(problem.status).toBe(response.status);
    expect(problem.title).toEqual(expect.any(String));
    expect(problem.type).toMatch(/^https:\/\/docs\.api\.video\/reference\/[a-z0-9-]+$/);
  }
  validated.push(`${init.method} ${init.template} ${response.status}`);
  return { status: response.status, body, headers: response.headers };
}

export function randomBytesOf(size: number): Buffer {
  return randomBytes(size);
}

const clipDir = tempDir('spec-clips');

/**
 * `size` bytes of a real MP4 clip (ffmpeg, test/support/media-clips.ts), padded by a trailing `free` box so that
 * chunk and segment counts follow from the size as before; a size below the smallest clip gets that clip (~2 KB).
 */
export async function videoBytesOf(size: number): Promise<Buffer> {
  const small = { container: 'mp4', seconds: 0.04, width: 32, height: 32 } as const;
  const shape = size >= 32 * 1024 ? ({ container: 'mp4', seconds: 1, width: 320, height: 180 } as const) : small;
  const name = `exact-${size}.mp4`;
  const clip = await makeClip(clipDir, { ...shape, name });
  if (statSync(clip).size >= size) return readFileSync(clip);
  return readFileSync(await makeClip(clipDir, { ...shape, name, exactBytes: size }));
}

export function form(
  file: Buffer | null,
  fields: Record<string, string> = {},
  options: { filename?: string; fieldName?: string; fieldsFirst?: boolean } = {},
): FormData {
  const data = new FormData();
  const addFields = () => {
    for (const [k, v] of Object.entries(fields)) data.append(k, v);
  };
  if (options.fieldsFirst !== false) addFields();
  if (file)
    data.append(
      options.fieldName ?? 'file',
      new Blob([file as Uint8Array<ArrayBuffer>]),
      options.filename ?? 'clip.mp4',
    );
  if (options.fieldsFirst === false) addFields();
  return data;
}

/** Sends a hand-built multipart body (for bodies fetch cannot produce: truncated, huge, odd parts). */
export async function rawRequest(
  url: string,
  options: {
    method?: string;
    headers: Record<string, string | number>;
    body: Iterable<Buffer> | AsyncIterable<Buffer>;
  },
): Promise<{ status: number; body: any; text: string; contentType: string | undefined }> {
  const { request } = await import('node:http');
  return new Promise((resolvePromise, rejectPromise) => {
    const req = request(url, { method: options.method ?? 'POST', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = null;
        }
        resolvePromise({ status: res.statusCode ?? 0, body, text, contentType: res.headers['content-type'] });
      });
    });
    req.on('error', rejectPromise);
    void (async () => {
      for await (const chunk of options.body) if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
      req.end();
    })().catch(rejectPromise);
  });
}

export const BOUNDARY = 'convoyTestBoundary42';
export function multipartHead(name = 'file', filename = 'clip.mp4'): Buffer {
  return Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
}
export const multipartTail = (): Buffer => Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
export const multipartType = `multipart/form-data; boundary=${BOUNDARY}`;

/** POST /videos with Basic auth, checked against the spec; the created video's body. */
export async function createVideoOn(
  sb: { url: string; basicAuth: string },
  payload: Record<string, unknown> = { title: 'clip' },
): Promise<any> {
  const result = await api(`${sb.url}/videos`, {
    method: 'POST',
    template: '/videos',
    headers: { Authorization: sb.basicAuth, 'Content-Type': 'application/json' },
    body: JSON.stringify(payload),
  });
  if (result.status !== 201) throw new Error(`POST /videos answered ${result.status}: ${JSON.stringify(result.body)}`);
  return result.body;
}
