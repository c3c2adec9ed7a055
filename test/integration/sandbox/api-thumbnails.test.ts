// Video thumbnails against the spec: an uploaded JPEG or PNG becomes what assets.thumbnail serves, a picked timecode
// brings back the generated poster (the sandbox decodes no frames), with every declared status (200, 400, 404).
import { describe, expect, it } from 'vitest';
import { sandboxForFile } from '../../support/sandbox';
import { thumbnailJpeg } from '../../../main/sandbox/thumbnail';
import { api, createVideoOn } from './spec';
import { captionsVtt, expectProblem, fileForm, makeImage, videoWithClip } from './api-media';

const sb = sandboxForFile();
const auth = () => ({ Authorization: sb().basicAuth });
const UNKNOWN = 'viUnknownUnknownUnknown00';
const TEMPLATE = '/videos/{videoId}/thumbnail';

const upload = (videoId: string, bytes: Buffer | string, filename: string) =>
  api(`${sb().url}/videos/${videoId}/thumbnail`, {
    method: 'POST',
    template: TEMPLATE,
    headers: auth(),
    body: fileForm(bytes, filename),
  });

const pick = (videoId: string, body: unknown) =>
  api(`${sb().url}/videos/${videoId}/thumbnail`, {
    method: 'PATCH',
    template: TEMPLATE,
    headers: { ...auth(), 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

async function served(url: string): Promise<{ bytes: Buffer; type: string | null }> {
  const reply = await fetch(url);
  expect(reply.status).toBe(200);
  return { bytes: Buffer.from(await reply.arrayBuffer()), type: reply.headers.get('content-type') };
}

describe('thumbnail upload', () => {
  it('serves an uploaded JPEG, then an uploaded PNG, as the video thumbnail', async () => {
    const video = await videoWithClip(sb());
    expect((await served(video.assets.thumbnail)).bytes.equals(thumbnailJpeg(video.videoId))).toBe(true);

    const jpeg = await makeImage('jpg', { color: 'teal' });
    const uploaded = await upload(video.videoId, jpeg.bytes, 'poster.jpg');
    expect(uploaded.status).toBe(200);
    expect(uploaded.body.videoId).toBe(video.videoId);
    expect(await served(uploaded.body.assets.thumbnail)).toEqual({ bytes: jpeg.bytes, type: 'image/jpeg' });

    const png = await makeImage('png', { color: 'purple', width: 32, height: 18 });
    expect((await upload(video.videoId, png.bytes, 'poster.png')).status).toBe(200);
    expect(await served(video.assets.thumbnail)).toEqual({ bytes: png.bytes, type: 'image/png' });
  });

  it("serves a private video's uploaded thumbnail through its private token", async () => {
    const video = await videoWithClip(sb(), { title: 'private', public: false });
    const jpeg = await makeImage('jpg', { color: 'navy' });
    const uploaded = await upload(video.videoId, jpeg.bytes, 'poster.jpg');
    expect(uploaded.body.assets.thumbnail).toMatch(/\/token\/[0-9a-f-]{36}\/thumbnail\.jpg$/);
    expect((await served(uploaded.body.assets.thumbnail)).bytes.equals(jpeg.bytes)).toBe(true);
  });

  it('refuses what is not a JPEG, PNG or WebP, an empty or missing file, and more than 8 MiB (400)', async () => {
    const video = await createVideoOn(sb());
    expectProblem(await upload(video.videoId, captionsVtt('Hi'), 'poster.jpg'), 'uploaded-file-invalid-file', 'file');
    expectProblem(await upload(video.videoId, Buffer.alloc(0), 'poster.jpg'), 'uploaded-file-empty', 'file');
    const noFile = await api(`${sb().url}/videos/${video.videoId}/thumbnail`, {
      method: 'POST',
      template: TEMPLATE,
      headers: auth(),
      body: new FormData(),
    });
    expectProblem(noFile, 'uploaded-file-no-file', 'file');
    const jpeg = await makeImage('jpg');
    const huge = Buffer.concat([jpeg.bytes, Buffer.alloc(8 * 1024 * 1024)]);
    expectProblem(await upload(video.videoId, huge, 'huge.jpg'), 'uploaded-file-too-large', 'file');
  });

  it('answers 404 for an unknown video', async () => {
    const jpeg = await makeImage('jpg');
    expectProblem(await upload(UNKNOWN, jpeg.bytes, 'poster.jpg'), 'resource-not-found', 'videoId');
  });
});

describe('thumbnail pick', () => {
  it('records the timecode and serves the generated poster, the sandbox decoding no frames', async () => {
    const video = await videoWithClip(sb());
    const jpeg = await makeImage('jpg', { color: 'olive' });
    await upload(video.videoId, jpeg.bytes, 'poster.jpg');
    for (const timecode of ['00:00:00.50', '00:00:01', '00:00:00:12', '1']) {
      const picked = await pick(video.videoId, { timecode });
      expect(picked.status).toBe(200);
      expect(picked.body.videoId).toBe(video.videoId);
    }
    expect(await served(video.assets.thumbnail)).toEqual({ bytes: thumbnailJpeg(video.videoId), type: 'image/jpeg' });
  });

  it('refuses a missing or malformed timecode (400) and an unknown video (404)', async () => {
    const video = await videoWithClip(sb());
    expectProblem(await pick(video.videoId, {}), 'attribute-required', 'timecode');
    expectProblem(await pick(video.videoId, { timecode: 'one minute' }), 'invalid-attribute', 'timecode');
    expectProblem(await pick(video.videoId, { timecode: 60 }), 'invalid-attribute', 'timecode');
    expectProblem(await pick(UNKNOWN, { timecode: '00:00:01' }), 'resource-not-found', 'videoId');
  });
});
