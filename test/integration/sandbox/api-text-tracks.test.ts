// Captions and chapters against the spec: WebVTT per language uploaded, fetched, listed, made default and deleted,
// every status the spec declares (200, 204, 400, 404), and the stored file served at the track's `src`.
/* eslint-disable @typescript-eslint/no-explicit-any -- reply bodies are checked against the spec schemas at runtime */
import { describe, expect, it } from 'vitest';
import { sandboxForFile } from '../../support/sandbox';
import { api, createVideoOn, type ApiResult } from './spec';
import { captionsVtt, chaptersVtt, expectProblem, fileForm } from './api-media';

const sb = sandboxForFile();
const auth = () => ({ Authorization: sb().basicAuth });
const UNKNOWN = 'viUnknownUnknownUnknown00';

type Kind = 'captions' | 'chapters';
const TRACK = (kind: Kind) => `/videos/{videoId}/${kind}/{language}`;

function upload(kind: Kind, videoId: string, language: string, text: string | Buffer, filename = 'track.vtt') {
  return api(`${sb().url}/videos/${videoId}/${kind}/${language}`, {
    method: 'POST',
    template: TRACK(kind),
    headers: auth(),
    body: fileForm(text, filename),
  });
}

const get = (kind: Kind, videoId: string, language: string) =>
  api(`${sb().url}/videos/${videoId}/${kind}/${language}`, { method: 'GET', template: TRACK(kind), headers: auth() });

const remove = (kind: Kind, videoId: string, language: string) =>
  api(`${sb().url}/videos/${videoId}/${kind}/${language}`, {
    method: 'DELETE',
    template: TRACK(kind),
    headers: auth(),
  });

const list = (kind: Kind, videoId: string) =>
  api(`${sb().url}/videos/${videoId}/${kind}`, {
    method: 'GET',
    template: `/videos/{videoId}/${kind}`,
    headers: auth(),
  });

function setDefault(videoId: string, language: string, body: unknown): Promise<ApiResult> {
  return api(`${sb().url}/videos/${videoId}/captions/${language}`, {
    method: 'PATCH',
    template: TRACK('captions'),
    headers: { ...auth(), 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function servedText(src: string): Promise<{ text: string; type: string | null }> {
  const reply = await fetch(src);
  expect(reply.status).toBe(200);
  return { text: await reply.text(), type: reply.headers.get('content-type') };
}

describe('captions', () => {
  it('uploads WebVTT per language, serves it at src, and replaces it on a second upload', async () => {
    const video = await createVideoOn(sb());
    const english = captionsVtt('Hello', 'World');
    const created = await upload('captions', video.videoId, 'en', english);
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      uri: `/videos/${video.videoId}/captions/en`,
      src: `${sb().url}/vod/${video.videoId}/captions/en.vtt`,
      srclang: 'en',
      languageName: 'English',
      default: false,
    });
    expect(await servedText(created.body.src)).toEqual({ text: english, type: 'text/vtt; charset=utf-8' });

    const replaced = captionsVtt('Hello again');
    expect((await upload('captions', video.videoId, 'en', replaced)).status).toBe(200);
    expect((await servedText(created.body.src)).text).toBe(replaced);
    expect((await list('captions', video.videoId)).body.data).toHaveLength(1);
  });

  it('takes BCP 47 tags in any case, answers in canonical form with the native language name', async () => {
    const video = await createVideoOn(sb());
    const canadian = await upload('captions', video.videoId, 'fr-ca', captionsVtt('Bonjour'));
    expect(canadian.body).toMatchObject({ srclang: 'fr-CA', languageName: 'français canadien' });
    const serbian = await upload(
      'captions',
      video.videoId,
      'sr-Cyrl',
      '\uFEFFWEBVTT\n\n00:00.000 --> 00:01.000\nЗдраво\n',
    );
    expect(serbian.body).toMatchObject({ srclang: 'sr-Cyrl', languageName: 'српски (ћирилица)' });
    expect((await get('captions', video.videoId, 'FR-CA')).body.srclang).toBe('fr-CA');
  });

  it('refuses a file that is not WebVTT, a missing file, and bad language tags (400)', async () => {
    const video = await createVideoOn(sb());
    const srt = '1\n00:00:00,000 --> 00:00:01,000\nHello\n';
    expectProblem(
      await upload('captions', video.videoId, 'en', srt, 'track.srt'),
      'uploaded-file-invalid-file',
      'file',
    );
    expectProblem(await upload('captions', video.videoId, 'en', 'WEBVTTX\n'), 'uploaded-file-invalid-file', 'file');
    expectProblem(
      await upload('captions', video.videoId, 'en', Buffer.from([0x57, 0x45, 0x42, 0x56, 0x54, 0x54, 0x0a, 0xff])),
      'uploaded-file-invalid-file',
    );
    const noFile = await api(`${sb().url}/videos/${video.videoId}/captions/en`, {
      method: 'POST',
      template: TRACK('captions'),
      headers: auth(),
      body: new FormData(),
    });
    expect(noFile.status).toBe(400);
    expect(noFile.body.name).toBe('file');

    const underscore = await upload('captions', video.videoId, 'en_US', captionsVtt('Hi'));
    expectProblem(underscore, 'invalid-attribute', 'language');
    expect(underscore.body.detail).toBe(
      'The "language" attribute must contain only letters and dashes (for example "fr", "fr-BE").',
    );
    const unknown = await upload('captions', video.videoId, 'xx', captionsVtt('Hi'));
    expectProblem(unknown, 'invalid-attribute', 'language');
    expect(unknown.body.detail).toBe('The "language" attribute is not valid.');
    expectProblem(await get('captions', video.videoId, 'en_US'), 'invalid-attribute', 'language');
    expectProblem(await remove('captions', video.videoId, 'xx'), 'invalid-attribute', 'language');
    expectProblem(await setDefault(video.videoId, 'en_US', { default: true }), 'invalid-attribute', 'language');
    expect((await list('captions', video.videoId)).body.data).toEqual([]);
  });

  it('lists with pagination, makes exactly one caption the default, and deletes', async () => {
    const video = await createVideoOn(sb());
    await upload('captions', video.videoId, 'en', captionsVtt('Hello'));
    await upload('captions', video.videoId, 'de', captionsVtt('Hallo'));
    const listed = await list('captions', video.videoId);
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((c: any) => c.srclang)).toEqual(['en', 'de']);
    expect(listed.body.pagination).toMatchObject({ itemsTotal: 2, currentPage: 1, currentPageItems: 2 });

    expect((await setDefault(video.videoId, 'en', { default: true })).body.default).toBe(true);
    expect((await setDefault(video.videoId, 'de', { default: true })).body.default).toBe(true);
    expect((await get('captions', video.videoId, 'en')).body.default).toBe(false);
    expect((await setDefault(video.videoId, 'de', { default: false })).body.default).toBe(false);
    expectProblem(await setDefault(video.videoId, 'de', { default: 'yes' }), 'invalid-attribute', 'default');
    expectProblem(await setDefault(video.videoId, 'fr', { default: true }), 'resource-not-found');

    const deleted = await remove('captions', video.videoId, 'en');
    expect(deleted.status).toBe(204);
    expectProblem(await get('captions', video.videoId, 'en'), 'resource-not-found', 'language');
    expectProblem(await remove('captions', video.videoId, 'en'), 'resource-not-found');
    expect((await fetch(`${sb().url}/vod/${video.videoId}/captions/en.vtt`)).status).toBe(404);
    expect((await list('captions', video.videoId)).body.data.map((c: any) => c.srclang)).toEqual(['de']);
  });

  it('answers 404 for an unknown video on every captions operation', async () => {
    expectProblem(await upload('captions', UNKNOWN, 'en', captionsVtt('Hi')), 'resource-not-found', 'videoId');
    expectProblem(await get('captions', UNKNOWN, 'en'), 'resource-not-found', 'videoId');
    expectProblem(await list('captions', UNKNOWN), 'resource-not-found', 'videoId');
    expectProblem(await setDefault(UNKNOWN, 'en', { default: true }), 'resource-not-found', 'videoId');
    expectProblem(await remove('captions', UNKNOWN, 'en'), 'resource-not-found', 'videoId');
  });
});

describe('chapters', () => {
  it('uploads, gets, lists and deletes chapters per language, served at src', async () => {
    const video = await createVideoOn(sb());
    const french = chaptersVtt('Introduction', 'Conclusion');
    const created = await upload('chapters', video.videoId, 'fr', french);
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      uri: `/videos/${video.videoId}/chapters/fr`,
      src: `${sb().url}/vod/${video.videoId}/chapters/fr.vtt`,
      language: 'fr',
    });
    expect(await servedText(created.body.src)).toEqual({ text: french, type: 'text/vtt; charset=utf-8' });
    await upload('chapters', video.videoId, 'en-GB', chaptersVtt('Start'));
    expect((await get('chapters', video.videoId, 'en-gb')).body.language).toBe('en-GB');
    const listed = await list('chapters', video.videoId);
    expect(listed.body.data.map((c: any) => c.language)).toEqual(['fr', 'en-GB']);
    expect(listed.body.pagination.itemsTotal).toBe(2);

    expect((await remove('chapters', video.videoId, 'fr')).status).toBe(204);
    expectProblem(await get('chapters', video.videoId, 'fr'), 'resource-not-found', 'language');
    expectProblem(await remove('chapters', video.videoId, 'fr'), 'resource-not-found');
    expect((await fetch(created.body.src)).status).toBe(404);
  });

  it('refuses what is not WebVTT and bad languages (400), unknown videos (404)', async () => {
    const video = await createVideoOn(sb());
    expectProblem(await upload('chapters', video.videoId, 'fr', 'Chapitre 1\n'), 'uploaded-file-invalid-file', 'file');
    expectProblem(await upload('chapters', video.videoId, 'fr_FR', chaptersVtt('A')), 'invalid-attribute', 'language');
    expectProblem(await upload('chapters', UNKNOWN, 'fr', chaptersVtt('A')), 'resource-not-found', 'videoId');
    expectProblem(await get('chapters', UNKNOWN, 'fr'), 'resource-not-found', 'videoId');
    expectProblem(await list('chapters', UNKNOWN), 'resource-not-found', 'videoId');
    expectProblem(await remove('chapters', UNKNOWN, 'fr'), 'resource-not-found', 'videoId');
  });
});
