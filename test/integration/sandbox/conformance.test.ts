// Conformance: every reply the sandbox sends is checked against the official OpenAPI schemas (spec.ts),
/* eslint-disable @typescript-eslint/no-explicit-any -- reply bodies are checked against the spec schemas at runtime; re-typing them here would duplicate the spec */
// across auth, upload tokens, videos, every upload mode, delegated windows, and the whole upload error catalogue.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sandboxForFile, startTestSandbox } from '../../support/sandbox';
import { CATALOGUE, UPLOAD_ERROR_SLUGS, type ProblemSlug } from '../../../main/sandbox/problems';
import {
  api,
  createVideoOn,
  form,
  multipartHead,
  multipartTail,
  multipartType,
  randomBytesOf,
  rawRequest,
  videoBytesOf,
  type ApiResult,
} from './spec';

const MiB = 1024 * 1024;
const MIN = 5 * MiB;
const sb = sandboxForFile();

const auth = () => ({ Authorization: sb().basicAuth });
const jsonHeaders = () => ({ ...auth(), 'Content-Type': 'application/json' });

const createVideo = (payload?: Record<string, unknown>): Promise<any> => createVideoOn(sb(), payload);

function sendChunk(
  videoId: string,
  file: Buffer | null,
  range?: string,
  fields: Record<string, string> = {},
): Promise<ApiResult> {
  return api(`${sb().url}/videos/${videoId}/source`, {
    method: 'POST',
    template: '/videos/{videoId}/source',
    headers: { ...auth(), ...(range ? { 'Content-Range': range } : {}) },
    body: form(file, fields),
  });
}

function sendWithToken(
  token: string,
  file: Buffer | null,
  range?: string,
  fields: Record<string, string> = {},
  fieldsFirst = true,
): Promise<ApiResult> {
  return api(`${sb().url}/upload?token=${token}`, {
    method: 'POST',
    template: '/upload',
    headers: range ? { 'Content-Range': range } : {},
    body: form(file, fields, { fieldsFirst }),
  });
}

async function createToken(ttl?: number): Promise<any> {
  const result = await api(`${sb().url}/upload-tokens`, {
    method: 'POST',
    template: '/upload-tokens',
    headers: jsonHeaders(),
    body: JSON.stringify(ttl === undefined ? {} : { ttl }),
  });
  expect(result.status).toBe(200);
  return result.body;
}

async function status(videoId: string): Promise<any> {
  const result = await api(`${sb().url}/videos/${videoId}/status`, {
    method: 'GET',
    template: '/videos/{videoId}/status',
    headers: auth(),
  });
  expect(result.status).toBe(200);
  return result.body;
}

async function expectSource(video: any, expected: Buffer): Promise<void> {
  await sb().advanceClock(10);
  expect((await status(video.videoId)).encoding.playable).toBe(true);
  const got = Buffer.from(await (await fetch(video.assets.mp4)).arrayBuffer());
  expect(got.length).toBe(expected.length);
  expect(got.equals(expected)).toBe(true);
}

function expectProblem(result: ApiResult, slug: ProblemSlug): void {
  const [statusCode, title] = CATALOGUE[slug];
  expect(result.body).toMatchObject({ type: `https://docs.api.video/reference/${slug}`, title, status: statusCode });
  expect(result.status).toBe(statusCode);
}

describe('authentication', () => {
  it('exchanges the API key for tokens, uses Bearer, rotates refresh tokens and refuses bad credentials', async () => {
    const login = await api(`${sb().url}/auth/api-key`, {
      method: 'POST',
      template: '/auth/api-key',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ apiKey: sb().apiKey }),
    });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const bearer = { Authorization: `Bearer ${login.body.access_token}` };
    expect((await api(`${sb().url}/videos`, { method: 'GET', template: '/videos', headers: bearer })).status).toBe(200);

    const refreshed = await api(`${sb().url}/auth/refresh`, {
      method: 'POST',
      template: '/auth/refresh',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refreshToken: login.body.refresh_token }),
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(login.body.refresh_token);
    const reused = await api(`${sb().url}/auth/refresh`, {
      method: 'POST',
      template: '/auth/refresh',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refreshToken: login.body.refresh_token }),
    });
    expectProblem(reused, 'authentication-invalid-user-credentials');

    const wrongKey = await api(`${sb().url}/auth/api-key`, {
      method: 'POST',
      template: '/auth/api-key',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ apiKey: 'nope' }),
    });
    expectProblem(wrongKey, 'authentication-invalid-user-credentials');

    await sb().advanceClock(3601);
    const expired = await api(`${sb().url}/videos`, {
      method: 'GET',
      template: '/videos',
      headers: { Authorization: `Bearer ${refreshed.body.access_token}` },
    });
    expectProblem(expired, 'authentication-invalid-access-token');
  });

  it('answers the documented 401 for a missing header, a malformed header and a wrong key', async () => {
    expectProblem(
      await api(`${sb().url}/videos`, { method: 'GET', template: '/videos' }),
      'authentication-missing-authorization-header',
    );
    expectProblem(
      await api(`${sb().url}/videos`, { method: 'GET', template: '/videos', headers: { Authorization: 'Token abc' } }),
      'authentication-invalid-authorization-header-value',
    );
    const wrong = 'Basic ' + Buffer.from('wrong-key:').toString('base64');
    expectProblem(
      await api(`${sb().url}/upload-tokens`, {
        method: 'GET',
        template: '/upload-tokens',
        headers: { Authorization: wrong },
      }),
      'authentication-invalid-api-key',
    );
  });
});

describe('upload tokens', () => {
  it('creates, lists with sorting and pagination, gets and deletes tokens; expired ones leave the list', async () => {
    await sb().reset();
    const forever = await createToken(0);
    expect(forever.expiresAt).toBeUndefined();
    const short = await createToken(60);
    expect(Date.parse(short.expiresAt) - Date.parse(short.createdAt)).toBe(60_000);
    const long = await createToken(7200);

    const page1 = await api(`${sb().url}/upload-tokens?sortBy=ttl&sortOrder=desc&pageSize=2`, {
      method: 'GET',
      template: '/upload-tokens',
      headers: auth(),
    });
    expect(page1.body.data.map((t: any) => t.ttl)).toEqual([7200, 60]);
    expect(page1.body.pagination).toMatchObject({
      itemsTotal: 3,
      pagesTotal: 2,
      pageSize: 2,
      currentPage: 1,
      currentPageItems: 2,
    });
    expect(page1.body.pagination.links.map((l: any) => l.rel)).toEqual(['self', 'first', 'next', 'last']);
    const page2 = await api(`${sb().url}/upload-tokens?sortBy=ttl&sortOrder=desc&pageSize=2&currentPage=2`, {
      method: 'GET',
      template: '/upload-tokens',
      headers: auth(),
    });
    expect(page2.body.data.map((t: any) => t.token)).toEqual([forever.token]);

    const got = await api(`${sb().url}/upload-tokens/${long.token}`, {
      method: 'GET',
      template: '/upload-tokens/{uploadToken}',
      headers: auth(),
    });
    expect(got.body).toEqual(long);
    expect(
      (
        await api(`${sb().url}/upload-tokens/${long.token}`, {
          method: 'DELETE',
          template: '/upload-tokens/{uploadToken}',
          headers: auth(),
        })
      ).status,
    ).toBe(204);
    expectProblem(
      await api(`${sb().url}/upload-tokens/${long.token}`, {
        method: 'GET',
        template: '/upload-tokens/{uploadToken}',
        headers: auth(),
      }),
      'resource-not-found',
    );

    await sb().advanceClock(61);
    const after = await api(`${sb().url}/upload-tokens`, {
      method: 'GET',
      template: '/upload-tokens',
      headers: auth(),
    });
    expect(after.body.data.map((t: any) => t.token)).toEqual([forever.token]);
    expectProblem(await sendWithToken(short.token, randomBytesOf(1000)), 'authentication-invalid-upload-token');
  });

  it('refuses a ttl outside 0..2147483647 and page sizes outside 1..100', async () => {
    for (const ttl of [-1, 2147483648, 1.5, 'soon']) {
      const result = await api(`${sb().url}/upload-tokens`, {
        method: 'POST',
        template: '/upload-tokens',
        headers: jsonHeaders(),
        body: JSON.stringify({ ttl }),
      });
      expectProblem(result, 'invalid-attribute');
      expect(result.body.name).toBe('ttl');
    }
    expect((await createToken(2147483647)).ttl).toBe(2147483647);
    for (const query of ['pageSize=0', 'pageSize=101', 'currentPage=0', 'sortBy=size', 'sortOrder=up']) {
      expectProblem(
        await api(`${sb().url}/upload-tokens?${query}`, { method: 'GET', template: '/upload-tokens', headers: auth() }),
        'request-invalid-query-parameter',
      );
    }
  });
});

describe('videos', () => {
  it('creates, filters, sorts, gets, patches and deletes videos', async () => {
    await sb().reset();
    const a = await createVideo({
      title: 'Alpha trip',
      description: 'd',
      tags: ['x', 'y'],
      metadata: [{ key: 'hash', value: '1' }],
      public: true,
    });
    const b = await createVideo({ title: 'Beta', tags: ['x'], metadata: [{ key: 'hash', value: '2' }] });
    const list = (query: string) =>
      api(`${sb().url}/videos?${query}`, { method: 'GET', template: '/videos', headers: auth() });
    expect((await list('title=alpha')).body.data.map((v: any) => v.videoId)).toEqual([a.videoId]);
    expect((await list('tags[]=x&tags[]=y')).body.data.map((v: any) => v.videoId)).toEqual([a.videoId]);
    expect((await list('metadata[hash]=2')).body.data.map((v: any) => v.videoId)).toEqual([b.videoId]);
    expect((await list('sortBy=title&sortOrder=desc')).body.data.map((v: any) => v.title)).toEqual([
      'Beta',
      'Alpha trip',
    ]);
    expectProblem(await list('sortBy=size'), 'request-invalid-query-parameter');

    const path = `${sb().url}/videos/${a.videoId}`;
    expect((await api(path, { method: 'GET', template: '/videos/{videoId}', headers: auth() })).body.title).toBe(
      'Alpha trip',
    );
    const patched = await api(path, {
      method: 'PATCH',
      template: '/videos/{videoId}',
      headers: jsonHeaders(),
      body: JSON.stringify({ title: 'Renamed', tags: ['z'] }),
    });
    expect(patched.body).toMatchObject({ title: 'Renamed', tags: ['z'], description: 'd' });
    expectProblem(
      await api(path, {
        method: 'PATCH',
        template: '/videos/{videoId}',
        headers: jsonHeaders(),
        body: JSON.stringify({ language: 'xx' }),
      }),
      'invalid-attribute',
    );
    expect((await api(path, { method: 'DELETE', template: '/videos/{videoId}', headers: auth() })).status).toBe(204);
    const gone = await api(path, { method: 'GET', template: '/videos/{videoId}', headers: auth() });
    expectProblem(gone, 'resource-not-found');
    expect(gone.body.name).toBe('videoId');
  });

  it('requires a title', async () => {
    const result = await api(`${sb().url}/videos`, {
      method: 'POST',
      template: '/videos',
      headers: jsonHeaders(),
      body: JSON.stringify({ tags: 'x' }),
    });
    expectProblem(result, 'attribute-required');
    expect(result.body.name).toBe('title');
  });

  it('mints a new single-use private token on every retrieval of a private video', async () => {
    const video = await createVideo({ title: 'secret', public: false });
    const bytes = await videoBytesOf(1000);
    await sendChunk(video.videoId, bytes);
    const get = () =>
      api(`${sb().url}/videos/${video.videoId}`, { method: 'GET', template: '/videos/{videoId}', headers: auth() });
    const first = (await get()).body.assets;
    const second = (await get()).body.assets;
    const tokenOf = (url: string) => /\/token\/([0-9a-f-]{36})\//.exec(url)?.[1];
    expect(tokenOf(first.mp4)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(tokenOf(first.mp4)).not.toBe(tokenOf(second.mp4));
    const once = await fetch(first.mp4);
    expect(Buffer.from(await once.arrayBuffer()).equals(bytes)).toBe(true);
    expect((await fetch(first.mp4)).status).toBe(404);
  });
});

describe('source upload modes', () => {
  it('single request', async () => {
    const video = await createVideo();
    const bytes = await videoBytesOf(300_000);
    const reply = await sendChunk(video.videoId, bytes);
    expect(reply.status).toBe(201);
    expect((await status(video.videoId)).ingest).toMatchObject({ status: 'uploaded', filesize: bytes.length });
    await expectSource(reply.body, bytes);
  });

  it('Content-Range bytes, chunks out of order and concurrent; encoding becomes playable with the clock', async () => {
    const video = await createVideo();
    const bytes = await videoBytesOf(2 * MIN + 1234);
    const t = bytes.length;
    const ranges: [number, number][] = [
      [MIN, 2 * MIN - 1],
      [2 * MIN, t - 1],
      [0, MIN - 1],
    ];
    await sendChunk(
      video.videoId,
      bytes.subarray(ranges[0]![0], ranges[0]![1] + 1),
      `bytes ${ranges[0]![0]}-${ranges[0]![1]}/${t}`,
    );
    const partial = await status(video.videoId);
    expect(partial.ingest.status).toBe('uploading');
    expect(partial.ingest.receivedBytes).toEqual([{ from: MIN, to: 2 * MIN - 1, total: t }]);
    const replies = await Promise.all(
      ranges
        .slice(1)
        .map(([from, to]) => sendChunk(video.videoId, bytes.subarray(from, to + 1), `bytes ${from}-${to}/${t}`)),
    );
    expect(replies.map((r) => r.status)).toEqual([201, 201]);
    const done = await status(video.videoId);
    expect(done.ingest.status).toBe('uploaded');
    expect(done.encoding.playable).toBe(false);
    await expectSource(video, bytes);
  });

  it('Content-Range part n/total, concurrently', async () => {
    const video = await createVideo();
    const bytes = await videoBytesOf(2 * MIN + 10);
    const parts = [bytes.subarray(0, MIN), bytes.subarray(MIN, 2 * MIN), bytes.subarray(2 * MIN)];
    await Promise.all(parts.map((part, i) => sendChunk(video.videoId, part, `part ${i + 1}/3`)));
    expect((await status(video.videoId)).ingest.receivedParts).toEqual({ parts: [1, 2, 3], total: 3 });
    await expectSource(video, bytes);
  });

  it('progressive part n/* closed by part N/N', async () => {
    const video = await createVideo();
    const bytes = await videoBytesOf(2 * MIN + 77);
    await sendChunk(video.videoId, bytes.subarray(0, MIN), 'part 1/*');
    await sendChunk(video.videoId, bytes.subarray(MIN, 2 * MIN), 'part 2/*');
    expect((await status(video.videoId)).ingest.receivedParts).toEqual({ parts: [1, 2], total: null });
    await sendChunk(video.videoId, bytes.subarray(2 * MIN), 'part 3/3');
    await expectSource(video, bytes);
  });

  it('delegated: the first chunk creates the video, later chunks carry videoId before or after the file', async () => {
    const { token } = await createToken(3600);
    const bytes = await videoBytesOf(2 * MIN + 5);
    const first = await sendWithToken(token, bytes.subarray(0, MIN), 'part 1/3');
    expect(first.status).toBe(201);
    expect(first.body.title).toBe('clip.mp4');
    const videoId = first.body.videoId;
    await Promise.all([
      sendWithToken(token, bytes.subarray(MIN, 2 * MIN), 'part 2/3', { videoId }, true),
      sendWithToken(token, bytes.subarray(2 * MIN), 'part 3/3', { videoId }, false),
    ]);
    await expectSource(first.body, bytes);
  });

  it('delegated: a first chunk may carry the videoId of an existing container', async () => {
    const { token } = await createToken(0);
    const video = await createVideo({ title: 'made with the key' });
    const bytes = await videoBytesOf(4000);
    const reply = await sendWithToken(token, bytes, undefined, { videoId: video.videoId });
    expect(reply.body).toMatchObject({ videoId: video.videoId, title: 'made with the key' });
    await expectSource(video, bytes);
  });

  it('serves assets.mp4 with HTTP Range support', async () => {
    const video = await createVideo();
    const bytes = await videoBytesOf(10_000);
    await sendChunk(video.videoId, bytes);
    const partial = await fetch(video.assets.mp4, { headers: { Range: 'bytes=100-199' } });
    expect(partial.status).toBe(206);
    expect(partial.headers.get('content-range')).toBe(`bytes 100-199/${bytes.length}`);
    expect(Buffer.from(await partial.arrayBuffer()).equals(bytes.subarray(100, 200))).toBe(true);
  });
});

describe('delegated and container windows', () => {
  it('refuses a first chunk after the token expired, continues an upload until 24 h after expiry, then refuses', async () => {
    const { token } = await createToken(60);
    const bytes = randomBytesOf(3 * MIN);
    const first = await sendWithToken(token, bytes.subarray(0, MIN), 'part 1/3');
    const videoId = first.body.videoId;
    await sb().advanceClock(120);
    expectProblem(await sendWithToken(token, bytes.subarray(0, 1000)), 'authentication-invalid-upload-token');
    expect((await sendWithToken(token, bytes.subarray(MIN, 2 * MIN), 'part 2/3', { videoId })).status).toBe(201);
    await sb().advanceClock(24 * 3600);
    const late = await sendWithToken(token, bytes.subarray(2 * MIN), 'part 3/3', { videoId });
    expectProblem(late, 'authentication-invalid-upload-token');
    expect(late.body.detail).toMatch(/24 hours/);
  });

  it('refuses the source of an API-key container after 7 days', async () => {
    const video = await createVideo();
    await sb().advanceClock(7 * 24 * 3600 + 1);
    const result = await sendChunk(video.videoId, randomBytesOf(100));
    expect(result.status).toBe(400);
    expect(result.body.type).toBe('https://docs.api.video/reference/video-upload-window-expired');
  });
});

describe('upload error catalogue (NOTES.md §7.5)', () => {
  const triggered = new Set<string>();
  const T = 3 * MIN;
  const small = () => randomBytesOf(100);
  const chunk = () => randomBytesOf(MIN);
  const scenarios: Record<string, (id: string) => Promise<ApiResult>> = {
    'video-content-range-malformed': (id) => sendChunk(id, small(), 'bytes 0-5242879'),
    'video-content-range-started-with-part': async (id) => {
      await sendChunk(id, chunk(), 'part 1/3');
      return sendChunk(id, chunk(), `bytes ${MIN}-${2 * MIN - 1}/${T}`);
    },
    'video-content-range-started-with-bytes': async (id) => {
      await sendChunk(id, chunk(), `bytes 0-${MIN - 1}/${T}`);
      return sendChunk(id, chunk(), 'part 2/3');
    },
    'video-content-range-already-initiated': async (id) => {
      await sendChunk(id, chunk(), `bytes 0-${MIN - 1}/${T}`);
      return sendChunk(id, small());
    },
    'video-content-range-by-bytes-different-total-bytes': async (id) => {
      await sendChunk(id, chunk(), `bytes 0-${MIN - 1}/${T}`);
      return sendChunk(id, chunk(), `bytes ${MIN}-${2 * MIN - 1}/${T + 1}`);
    },
    'video-content-range-by-bytes-from-byte-too-high': (id) => sendChunk(id, small(), 'bytes 10-5/100'),
    'video-content-range-by-bytes-range-mismatch': (id) => sendChunk(id, small(), 'bytes 0-199/200'),
    'video-content-range-by-bytes-range-overlap': async (id) => {
      await sendChunk(id, chunk(), `bytes 0-${MIN - 1}/${T}`);
      return sendChunk(id, chunk(), `bytes 100-${MIN + 99}/${T}`);
    },
    'video-content-range-by-bytes-range-too-small': (id) => sendChunk(id, small(), `bytes 0-99/${T}`),
    'video-content-range-by-bytes-range-too-large': (id) => sendChunk(id, small(), `bytes 0-${200 * MiB}/${300 * MiB}`),
    'video-content-range-by-bytes-to-byte-too-high-allowed': (id) =>
      sendChunk(id, small(), 'bytes 0-52428800000/52428800000'),
    'video-content-range-by-bytes-to-byte-too-high-total': (id) => sendChunk(id, small(), 'bytes 0-199/100'),
    'video-content-range-by-bytes-total-bytes-too-high': (id) => sendChunk(id, small(), 'bytes 0-99/52428800001'),
    'video-content-range-by-bytes-total-bytes-too-low': async (id) => {
      await sendChunk(id, chunk(), `bytes 0-${MIN - 1}/${T}`);
      return sendChunk(id, small(), `bytes 0-99/${MIN - 1}`);
    },
    'video-content-range-by-bytes-total-bytes-zero': (id) => sendChunk(id, small(), 'bytes 0-0/0'),
    'video-content-range-by-part-different-total-parts': async (id) => {
      await sendChunk(id, chunk(), 'part 1/3');
      return sendChunk(id, chunk(), 'part 2/4');
    },
    'video-content-range-by-part-part-already-sent': async (id) => {
      await sendChunk(id, chunk(), 'part 1/3');
      return sendChunk(id, chunk(), 'part 1/3');
    },
    'video-content-range-by-part-part-too-high-allowed': (id) => sendChunk(id, small(), 'part 10001/*'),
    'video-content-range-by-part-part-too-high-total': (id) => sendChunk(id, small(), 'part 4/3'),
    'video-content-range-by-part-part-zero': (id) => sendChunk(id, small(), 'part 0/3'),
    'video-content-range-by-part-total-parts-too-high': (id) => sendChunk(id, small(), 'part 1/10001'),
    'video-content-range-by-part-total-parts-too-low': async (id) => {
      await sendChunk(id, chunk(), 'part 1/*');
      await sendChunk(id, chunk(), 'part 2/*');
      return sendChunk(id, small(), 'part 3/1');
    },
    'video-content-range-by-part-total-parts-zero': (id) => sendChunk(id, small(), 'part 1/0'),
    'video-content-range-by-part-uploaded-file-too-small': (id) => sendChunk(id, small(), 'part 1/3'),
    'uploaded-file-empty': (id) => sendChunk(id, Buffer.alloc(0)),
    'uploaded-file-invalid-file': async (id) => {
      const body = [multipartHead(), small()]; // closing boundary missing
      const length = body.reduce((n, b) => n + b.length, 0);
      const raw = await rawRequest(`${sb().url}/videos/${id}/source`, {
        headers: { ...auth(), 'Content-Type': multipartType, 'Content-Length': length },
        body,
      });
      expect(raw.contentType).toBe('application/json');
      return { status: raw.status, body: raw.body, headers: new Headers() };
    },
    'uploaded-file-multiple-files': (id) => {
      const data = form(small());
      data.append('second', new Blob([small() as Uint8Array<ArrayBuffer>]), 'b.mp4');
      return api(`${sb().url}/videos/${id}/source`, {
        method: 'POST',
        template: '/videos/{videoId}/source',
        headers: auth(),
        body: data,
      });
    },
    'uploaded-file-no-file': (id) => sendChunk(id, null, undefined, { note: 'no file here' }),
    'uploaded-file-too-large': async (id) => {
      const block = randomBytesOf(MiB);
      async function* body() {
        yield multipartHead();
        for (let i = 0; i < 200; i += 1) yield block;
        yield Buffer.from('x');
        yield multipartTail();
      }
      const length = multipartHead().length + 200 * MiB + 1 + multipartTail().length;
      const raw = await rawRequest(`${sb().url}/videos/${id}/source`, {
        headers: { ...auth(), 'Content-Type': multipartType, 'Content-Length': length },
        body: body(),
      });
      return { status: raw.status, body: raw.body, headers: new Headers() };
    },
    'video-source-already-uploaded': async (id) => {
      await sendChunk(id, small());
      return sendChunk(id, small());
    },
    'video-source-already-copied': async () => {
      const original = await createVideo();
      await sendChunk(original.videoId, small());
      const copy = await api(`${sb().url}/videos`, {
        method: 'POST',
        template: '/videos',
        headers: jsonHeaders(),
        body: JSON.stringify({ title: 'copy', source: original.videoId }),
      });
      expect(copy.status).toBe(202);
      return sendChunk(copy.body.videoId, small());
    },
    'video-source-already-downloaded': async () => {
      const copy = await api(`${sb().url}/videos`, {
        method: 'POST',
        template: '/videos',
        headers: jsonHeaders(),
        body: JSON.stringify({ title: 'url', source: 'https://example.com/a.mp4' }),
      });
      return sendChunk(copy.body.videoId, small());
    },
  };

  for (const [slug, scenario] of Object.entries(scenarios)) {
    it(slug, async () => {
      const video = await createVideo();
      const before = (await sb().stats()).chunksRejected;
      const result = await scenario(video.videoId);
      expectProblem(result, slug as ProblemSlug);
      expect(result.body.name).toEqual(expect.any(String));
      expect((await sb().stats()).chunksRejected).toBe(before + 1);
      triggered.add(slug);
    });
  }

  it('covers every slug of the catalogue', () => {
    expect([...triggered].sort()).toEqual([...UPLOAD_ERROR_SLUGS].sort());
  });
});

describe('rate limits, routing and test controls', () => {
  it('sends rate-limit headers and answers 429 past the sandbox preset (40 uploads/min)', async () => {
    await sb().reset();
    await sb().setRateLimit('sandbox');
    try {
      const { token } = await createToken(0);
      let last: ApiResult | null = null;
      for (let i = 0; i < 41; i += 1) last = await sendWithToken(token, randomBytesOf(10));
      expect(last!.status).toBe(429);
      expect(last!.body).toEqual({
        type: 'https://docs.api.video/reference/too-many-requests',
        title: 'Too many requests.',
        status: 429,
      });
      expect(last!.headers.get('x-ratelimit-limit')).toBe('40');
      expect(last!.headers.get('x-ratelimit-remaining')).toBe('0');
      await sb().advanceClock(61);
      expect((await sendWithToken(token, randomBytesOf(10))).status).toBe(201);
    } finally {
      await sb().setRateLimit('off');
    }
  });

  it('ignores trailing slashes, answers 404 for unknown routes and 405 for wrong methods', async () => {
    expect((await api(`${sb().url}/videos/`, { method: 'GET', template: '/videos', headers: auth() })).status).toBe(
      200,
    );
    const unknown = await fetch(`${sb().url}/nothing/here`, { headers: auth() });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      type: 'https://docs.api.video/reference/unrecognized-request-url',
      title: 'Unrecognized request URL.',
      status: 404,
    });
    const wrong = await fetch(`${sb().url}/upload-tokens`, { method: 'PUT', headers: auth() });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('content-type')).toBe('application/json');
  });

  it('injects failures, latency and outages while /_sandbox stays reachable', async () => {
    await sb().setFaults({ failRate: 1, failStatus: 503 });
    const failed = await fetch(`${sb().url}/videos`, { headers: auth() });
    expect(failed.status).toBe(503);
    await sb().setFaults({ outage: true });
    await expect(fetch(`${sb().url}/videos`, { headers: auth() })).rejects.toThrow();
    expect((await sb().stats()).requests).toBeGreaterThan(0);
    await sb().setFaults({ resetRate: 1 });
    const video = await createVideo().catch(() => null);
    expect(video).toBeNull();
    await sb().setFaults({ latencyMs: 300 });
    const started = Date.now();
    await fetch(`${sb().url}/videos`, { headers: auth() });
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    await sb().clearFaults();
    expect((await fetch(`${sb().url}/videos`, { headers: auth() })).status).toBe(200);
  });

  it('caps request-body bandwidth per connection', async () => {
    const video = await createVideo();
    await sb().setFaults({ connectionBytesPerSec: 2 * MiB });
    const started = Date.now();
    await sendChunk(video.videoId, randomBytesOf(3 * MiB));
    await sb().clearFaults();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('refuses test controls with 404 when they are not enabled', async () => {
    const plain = await startTestSandbox({ testControls: false });
    try {
      expect((await fetch(`${plain.url}/_sandbox/stats`)).status).toBe(404);
      expect(
        (await fetch(`${plain.url}/_sandbox/clock`, { method: 'POST', body: '{"advanceSeconds":5}' })).status,
      ).toBe(404);
    } finally {
      await plain.close();
    }
  });
});

describe('persistence', () => {
  it('keeps state and received parts across a restart mid-upload, with state written atomically', async () => {
    let current = await startTestSandbox();
    try {
      const bytes = await videoBytesOf(MIN + 500);
      const created = await fetch(`${current.url}/videos`, {
        method: 'POST',
        headers: { Authorization: current.basicAuth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ title: 'resume me' }),
      });
      const video = (await created.json()) as any;
      const first = await fetch(`${current.url}/videos/${video.videoId}/source`, {
        method: 'POST',
        headers: { Authorization: current.basicAuth, 'Content-Range': 'part 1/2' },
        body: form(bytes.subarray(0, MIN)),
      });
      expect(first.status).toBe(201);
      const state = JSON.parse(readFileSync(`${current.dataDir}/state.json`, 'utf8'));
      expect(state.videos[video.videoId].upload.parts).toEqual([{ n: 1, size: MIN }]);
      current = await current.restart();
      const statusReply = await fetch(`${current.url}/videos/${video.videoId}/status`, {
        headers: { Authorization: current.basicAuth },
      });
      expect(((await statusReply.json()) as any).ingest.receivedParts).toEqual({ parts: [1], total: 2 });
      const last = await fetch(`${current.url}/videos/${video.videoId}/source`, {
        method: 'POST',
        headers: { Authorization: current.basicAuth, 'Content-Range': 'part 2/2' },
        body: form(bytes.subarray(MIN)),
      });
      expect(last.status).toBe(201);
      await current.advanceClock(10);
      const mp4 = ((await last.json()) as any).assets.mp4 as string;
      expect(Buffer.from(await (await fetch(mp4)).arrayBuffer()).equals(bytes)).toBe(true);
    } finally {
      await current.close();
    }
  });
});
