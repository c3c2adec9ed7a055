// Bad input never crashes the sandbox or answers 500: each case gets its documented 4xx problem JSON,
// and the server keeps serving afterwards.
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sandboxForFile } from '../../support/sandbox';
import { multipartHead, multipartTail, multipartType, rawRequest, randomBytesOf } from './spec';

const sb = sandboxForFile();
let videoId: string;

afterEach(async () => {
  // The server must still answer normally after every bad request.
  expect((await fetch(`${sb().url}/videos`, { headers: { Authorization: sb().basicAuth } })).status).toBe(200);
});

/** POST /videos with the sandbox's key, `body` sent as is under this Content-Type. */
function postVideos(body: string, contentType = 'application/json'): Promise<Response> {
  return fetch(`${sb().url}/videos`, {
    method: 'POST',
    headers: { Authorization: sb().basicAuth, 'Content-Type': contentType },
    body,
  });
}

async function freshVideo(): Promise<string> {
  const reply = await postVideos('{"title":"t"}');
  return ((await reply.json()) as { videoId: string }).videoId;
}

async function expectProblem(response: Response, status: number, slug: string): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/json');
  expect(await response.json()).toMatchObject({ status, type: `https://docs.api.video/reference/${slug}` });
}

/** Sends raw bytes on a socket and returns what came back before the server closed or answered. */
function rawExchange(payload: string, endAfterWrite: boolean): Promise<string> {
  const { port } = new URL(sb().url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => {
      socket.write(payload);
      if (endAfterWrite) socket.end();
    });
    let received = '';
    socket.on('data', (data: Buffer) => {
      received += data.toString('utf8');
      if (received.includes('\r\n\r\n') && /\}$/.test(received)) socket.destroy();
    });
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
  });
}

describe('bad input', () => {
  it('malformed JSON → 400 invalid-payload', async () => {
    await expectProblem(await postVideos('{"title": '), 400, 'invalid-payload');
  });

  it('JSON that is not an object → 400 invalid-payload', async () => {
    await expectProblem(await postVideos('[1,2]'), 400, 'invalid-payload');
  });

  it('wrong content type on a JSON endpoint → 400 invalid-payload', async () => {
    await expectProblem(await postVideos('{"title":"x"}', 'text/plain'), 400, 'invalid-payload');
  });

  it('wrong content type on an upload endpoint → 400 uploaded-file-no-file', async () => {
    videoId = await freshVideo();
    await expectProblem(
      await fetch(`${sb().url}/videos/${videoId}/source`, {
        method: 'POST',
        headers: { Authorization: sb().basicAuth, 'Content-Type': 'application/json' },
        body: '{}',
      }),
      400,
      'uploaded-file-no-file',
    );
  });

  it('missing file part → 400 uploaded-file-no-file', async () => {
    videoId = await freshVideo();
    const body = new FormData();
    body.append('videoId', videoId);
    await expectProblem(
      await fetch(`${sb().url}/videos/${videoId}/source`, {
        method: 'POST',
        headers: { Authorization: sb().basicAuth },
        body,
      }),
      400,
      'uploaded-file-no-file',
    );
  });

  it('oversized headers → 431 problem JSON', async () => {
    const reply = await rawExchange(`GET /videos HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`, false);
    expect(reply).toMatch(/^HTTP\/1\.1 431 /);
    expect(reply).toContain('Content-Type: application/json');
    expect(reply).toContain('request-header-fields-too-large');
  });

  it('garbage instead of HTTP → 400 problem JSON', async () => {
    const reply = await rawExchange('THIS IS NOT HTTP\r\n\r\n', false);
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect(reply).toContain('invalid-payload');
  });

  it('video id with ../ path tricks → 404, nothing outside the data dir touched', async () => {
    for (const path of [
      '/videos/..%2F..%2Fetc%2Fpasswd',
      '/videos/..%2F..%2Fstate.json/source',
      '/videos/%2e%2e/status',
    ]) {
      const reply = await fetch(sb().url + path, {
        method: path.endsWith('source') ? 'POST' : 'GET',
        headers: { Authorization: sb().basicAuth },
      });
      expect([404]).toContain(reply.status);
      expect(reply.headers.get('content-type')).toBe('application/json');
    }
    const normalized = await fetch(`${sb().url}/videos/../../etc/passwd`, {
      headers: { Authorization: sb().basicAuth },
    });
    expect(normalized.status).toBe(404);
  });

  it('token id with path tricks → 404 / 401, never a file path', async () => {
    await expectProblem(
      await fetch(`${sb().url}/upload-tokens/..%2F..%2Fapi-key`, { headers: { Authorization: sb().basicAuth } }),
      404,
      'resource-not-found',
    );
    const body = new FormData();
    body.append('file', new Blob([randomBytesOf(10) as Uint8Array<ArrayBuffer>]), 'x.mp4');
    await expectProblem(
      await fetch(`${sb().url}/upload?token=..%2Fapi-key`, { method: 'POST', body }),
      401,
      'authentication-invalid-upload-token',
    );
  });

  it('truncated multipart body (no closing boundary) → 400 uploaded-file-invalid-file', async () => {
    videoId = await freshVideo();
    const body = [multipartHead(), randomBytesOf(1000)];
    const reply = await rawRequest(`${sb().url}/videos/${videoId}/source`, {
      headers: {
        Authorization: sb().basicAuth,
        'Content-Type': multipartType,
        'Content-Length': 1000 + body[0]!.length,
      },
      body,
    });
    expect(reply.status).toBe(400);
    expect(reply.body.type).toBe('https://docs.api.video/reference/uploaded-file-invalid-file');
  });

  it('body cut off by the client mid-upload → no crash, no chunk committed', async () => {
    videoId = await freshVideo();
    const head = multipartHead();
    const { port } = new URL(sb().url);
    const request = `POST /videos/${videoId}/source HTTP/1.1\r\nHost: x\r\nAuthorization: ${sb().basicAuth}\r\nContent-Type: ${multipartType}\r\nContent-Range: part 1/2\r\nContent-Length: ${head.length + 6 * 1024 * 1024 + multipartTail().length}\r\n\r\n`;
    await new Promise<void>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(request);
        socket.write(head);
        socket.write(randomBytesOf(1024 * 1024), () => socket.destroy());
      });
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    await new Promise((r) => setTimeout(r, 100));
    const status = await fetch(`${sb().url}/videos/${videoId}/status`, { headers: { Authorization: sb().basicAuth } });
    expect(
      ((await status.json()) as { ingest: { receivedParts: { parts: number[] } } }).ingest.receivedParts.parts,
    ).toEqual([]);
  });

  it('multipart with a boundary but no parts at all → 400 uploaded-file-no-file', async () => {
    videoId = await freshVideo();
    const body = [Buffer.from(`--convoyTestBoundary42--\r\n`)];
    const reply = await rawRequest(`${sb().url}/videos/${videoId}/source`, {
      headers: { Authorization: sb().basicAuth, 'Content-Type': multipartType, 'Content-Length': body[0]!.length },
      body,
    });
    expect(reply.status).toBe(400);
    expect(reply.body.type).toMatch(/uploaded-file-(no-file|invalid-file)$/);
  });

  it('multipart content type without a boundary → 400', async () => {
    videoId = await freshVideo();
    await expectProblem(
      await fetch(`${sb().url}/videos/${videoId}/source`, {
        method: 'POST',
        headers: { Authorization: sb().basicAuth, 'Content-Type': 'multipart/form-data' },
        body: 'abc',
      }),
      400,
      'uploaded-file-no-file',
    );
  });

  it('upload without a token → 401 authentication-missing-upload-token', async () => {
    const body = new FormData();
    body.append('file', new Blob([randomBytesOf(10) as Uint8Array<ArrayBuffer>]), 'x.mp4');
    await expectProblem(
      await fetch(`${sb().url}/upload`, { method: 'POST', body }),
      401,
      'authentication-missing-upload-token',
    );
  });

  it('delegated chunk with an unknown videoId → 404 resource-not-found', async () => {
    const token = await fetch(`${sb().url}/upload-tokens`, {
      method: 'POST',
      headers: { Authorization: sb().basicAuth, 'Content-Type': 'application/json' },
      body: '{}',
    });
    const { token: value } = (await token.json()) as { token: string };
    const body = new FormData();
    body.append('videoId', 'vi0000000000000000000000');
    body.append('file', new Blob([randomBytesOf(10) as Uint8Array<ArrayBuffer>]), 'x.mp4');
    await expectProblem(
      await fetch(`${sb().url}/upload?token=${value}`, { method: 'POST', body }),
      404,
      'resource-not-found',
    );
  });

  it('invalid faults payload on the test controls → 400, faults unchanged', async () => {
    const reply = await fetch(`${sb().url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"failRate": 7}',
    });
    expect(reply.status).toBe(400);
  });
});
