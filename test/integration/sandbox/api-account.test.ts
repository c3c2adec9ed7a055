// The account's resources against the spec: watermarks (and `watermark` on video creation), player themes with
// their logo (and `playerId` on videos), tags with counts, webhooks and summaries, every declared status.
/* eslint-disable @typescript-eslint/no-explicit-any -- reply bodies are checked against the spec schemas at runtime */
import { describe, expect, it } from 'vitest';
import { sandboxForFile } from '../../support/sandbox';
import { api, createVideoOn } from './spec';
import { captionsVtt, expectProblem, fileForm, makeImage } from './api-media';

const sb = sandboxForFile();
const auth = () => ({ Authorization: sb().basicAuth });
const jsonHeaders = () => ({ ...auth(), 'Content-Type': 'application/json' });

const call = (method: string, template: string, path: string, body?: unknown) =>
  api(`${sb().url}${path}`, {
    method,
    template,
    headers: body === undefined ? auth() : jsonHeaders(),
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const upload = (template: string, path: string, form: FormData) =>
  api(`${sb().url}${path}`, { method: 'POST', template, headers: auth(), body: form });

describe('watermarks', () => {
  it('uploads JPEG and PNG watermarks, lists them by creation time, and deletes', async () => {
    const jpeg = await makeImage('jpg', { color: 'white' });
    const png = await makeImage('png', { color: 'black' });
    const first = await upload('/watermarks', '/watermarks', fileForm(jpeg.bytes, 'mark.jpg'));
    expect(first.status).toBe(200);
    expect(first.body.watermarkId).toMatch(/^watermark_[A-Za-z0-9]{22}$/);
    await sb().advanceClock(1);
    const second = await upload('/watermarks', '/watermarks', fileForm(png.bytes, 'mark.png'));
    expect(second.status).toBe(200);

    const ascending = await call('GET', '/watermarks', '/watermarks?sortBy=createdAt&sortOrder=asc');
    const ids = ascending.body.data.map((w: any) => w.watermarkId);
    expect(ids.slice(-2)).toEqual([first.body.watermarkId, second.body.watermarkId]);
    const descending = await call('GET', '/watermarks', '/watermarks?sortOrder=desc');
    expect(descending.body.data[0].watermarkId).toBe(second.body.watermarkId);
    expectProblem(await call('GET', '/watermarks', '/watermarks?sortOrder=up'), 'request-invalid-query-parameter');

    const deleted = await call('DELETE', '/watermarks/{watermarkId}', `/watermarks/${first.body.watermarkId}`);
    expect(deleted.status).toBe(204);
    expectProblem(
      await call('DELETE', '/watermarks/{watermarkId}', `/watermarks/${first.body.watermarkId}`),
      'resource-not-found',
      'watermarkId',
    );
  });

  it('refuses what is not a JPEG or PNG (400)', async () => {
    const text = await upload('/watermarks', '/watermarks', fileForm(captionsVtt('no'), 'mark.png'));
    expectProblem(text, 'uploaded-file-invalid-file', 'file');
    expectProblem(await upload('/watermarks', '/watermarks', new FormData()), 'uploaded-file-no-file', 'file');
  });

  it('creates a video with a watermark that exists, and refuses one that does not', async () => {
    const png = await makeImage('png', { color: 'gray' });
    const mark = (await upload('/watermarks', '/watermarks', fileForm(png.bytes, 'mark.png'))).body;
    const video = await createVideoOn(sb(), {
      title: 'marked',
      watermark: { id: mark.watermarkId, top: '10px', left: '10px', width: '20%', opacity: '70%' },
    });
    expect(video.videoId).toMatch(/^vi/);
    const unknown = await call('POST', '/videos', '/videos', {
      title: 'marked',
      watermark: { id: 'watermark_000000000000000000000' },
    });
    expectProblem(unknown, 'invalid-attribute', 'watermark');
    expectProblem(
      await call('POST', '/videos', '/videos', { title: 'marked', watermark: { top: '10px' } }),
      'attribute-required',
      'watermark',
    );
  });
});

describe('player themes', () => {
  it('creates with defaults, gets, lists sorted, updates and deletes a theme', async () => {
    const created = await call('POST', '/players', '/players', { name: 'Night', link: 'rgba(255, 0, 0, .95)' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Night',
      link: 'rgba(255, 0, 0, .95)',
      text: 'rgba(255, 255, 255, 1)',
      enableApi: true,
      enableControls: true,
      forceAutoplay: false,
      hideTitle: false,
      forceLoop: false,
    });
    expect(created.body.playerId).toMatch(/^pl[A-Za-z0-9]{22}$/);
    const id = created.body.playerId;
    const other = (await call('POST', '/players', '/players', { name: 'Day' })).body;

    expect((await call('GET', '/players/{playerId}', `/players/${id}`)).body).toEqual(created.body);
    const byName = await call('GET', '/players', '/players?sortBy=name&sortOrder=asc');
    const names = byName.body.data.map((t: any) => t.name);
    expect(names.indexOf('Day')).toBeLessThan(names.indexOf('Night'));
    expectProblem(await call('GET', '/players', '/players?sortBy=colour'), 'request-invalid-query-parameter');

    await sb().advanceClock(2);
    const updated = await call('PATCH', '/players/{playerId}', `/players/${id}`, { hideTitle: true, name: 'Dusk' });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'Dusk', hideTitle: true, link: 'rgba(255, 0, 0, .95)' });
    expect(updated.body.updatedAt).not.toBe(created.body.updatedAt);
    expectProblem(
      await call('PATCH', '/players/{playerId}', `/players/${id}`, { hideTitle: 'yes' }),
      'invalid-attribute',
      'hideTitle',
    );
    expectProblem(await call('POST', '/players', '/players', { name: 'x'.repeat(101) }), 'invalid-attribute', 'name');

    expect((await call('DELETE', '/players/{playerId}', `/players/${other.playerId}`)).status).toBe(204);
    for (const [method, body] of [['GET'], ['PATCH', { name: 'gone' }], ['DELETE']] as const)
      expectProblem(
        await call(method, '/players/{playerId}', `/players/${other.playerId}`, body),
        'resource-not-found',
        'playerId',
      );
  });

  it('uploads a logo with a link, serves it, replaces and deletes it', async () => {
    const theme = (await call('POST', '/players', '/players', {})).body;
    const png = await makeImage('png', { width: 200, height: 100, color: 'red' });
    const logoPath = `/players/${theme.playerId}/logo`;
    const withLogo = await upload(
      '/players/{playerId}/logo',
      logoPath,
      fileForm(png.bytes, 'logo.png', { link: 'https://example.com/home' }),
    );
    expect(withLogo.status).toBe(201);
    expect(withLogo.body.assets).toEqual({
      logo: `${sb().url}/player/${theme.playerId}/logo.png`,
      link: 'https://example.com/home',
    });
    const served = await fetch(withLogo.body.assets.logo);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer()).equals(png.bytes)).toBe(true);

    const jpeg = await makeImage('jpg', { width: 120, height: 60, color: 'blue' });
    const replaced = await upload('/players/{playerId}/logo', logoPath, fileForm(jpeg.bytes, 'logo.jpg'));
    expect(replaced.body.assets).toEqual({ logo: `${sb().url}/player/${theme.playerId}/logo.jpg` });

    expect((await call('DELETE', '/players/{playerId}/logo', logoPath)).status).toBe(204);
    expect((await call('GET', '/players/{playerId}', `/players/${theme.playerId}`)).body.assets).toBeUndefined();
    expect((await fetch(replaced.body.assets.logo)).status).toBe(404);
  });

  it('refuses logos that are too wide, too heavy or not JPEG/PNG (400), and unknown themes (404)', async () => {
    const theme = (await call('POST', '/players', '/players', {})).body;
    const logoPath = `/players/${theme.playerId}/logo`;
    const wide = await makeImage('png', { width: 240, height: 50 });
    expectProblem(
      await upload('/players/{playerId}/logo', logoPath, fileForm(wide.bytes, 'logo.png')),
      'uploaded-file-invalid-file',
      'file',
    );
    const small = await makeImage('jpg', { width: 20, height: 20 });
    const heavy = Buffer.concat([small.bytes, Buffer.alloc(100 * 1024)]);
    expectProblem(
      await upload('/players/{playerId}/logo', logoPath, fileForm(heavy, 'logo.jpg')),
      'uploaded-file-too-large',
      'file',
    );
    expectProblem(
      await upload('/players/{playerId}/logo', logoPath, fileForm(captionsVtt('x'), 'logo.png')),
      'uploaded-file-invalid-file',
    );
    expectProblem(
      await upload('/players/{playerId}/logo', logoPath, fileForm(small.bytes, 'logo.jpg', { link: 'nope' })),
      'invalid-attribute',
      'link',
    );
    const gone = '/players/pl0000000000000000000000/logo';
    expectProblem(
      await upload('/players/{playerId}/logo', gone, fileForm(small.bytes, 'logo.jpg')),
      'resource-not-found',
      'playerId',
    );
    expectProblem(await call('DELETE', '/players/{playerId}/logo', gone), 'resource-not-found', 'playerId');
  });

  it("validates a video's playerId on creation and update, and detaches a deleted theme", async () => {
    const theme = (await call('POST', '/players', '/players', {})).body;
    const video = await createVideoOn(sb(), { title: 'themed', playerId: theme.playerId });
    expect(video.playerId).toBe(theme.playerId);
    expectProblem(
      await call('POST', '/videos', '/videos', { title: 'x', playerId: 'pl0000000000000000000000' }),
      'invalid-attribute',
      'playerId',
    );
    const plain = await createVideoOn(sb(), { title: 'plain' });
    expectProblem(
      await call('PATCH', '/videos/{videoId}', `/videos/${plain.videoId}`, { playerId: 'plNope' }),
      'invalid-attribute',
      'playerId',
    );
    const patched = await call('PATCH', '/videos/{videoId}', `/videos/${plain.videoId}`, {
      playerId: theme.playerId,
    });
    expect(patched.body.playerId).toBe(theme.playerId);
    await call('DELETE', '/players/{playerId}', `/players/${theme.playerId}`);
    const after = await call('GET', '/videos/{videoId}', `/videos/${video.videoId}`);
    expect(after.body.playerId).toBeUndefined();
  });
});

describe('tags', () => {
  it('lists every tag with its video count, searched without case or accents, sorted', async () => {
    await createVideoOn(sb(), { title: 'a', tags: ['Éclair', 'tag-common'] });
    await createVideoOn(sb(), { title: 'b', tags: ['eclairage', 'tag-common'] });
    await createVideoOn(sb(), { title: 'c', tags: ['tag-common', 'zebra'] });
    const all = await call('GET', '/tags', '/tags');
    expect(all.status).toBe(200);
    expect(all.body.data).toEqual(
      expect.arrayContaining([
        { value: 'tag-common', videoCount: 3 },
        { value: 'zebra', videoCount: 1 },
      ]),
    );
    const search = await call('GET', '/tags', '/tags?value=ECLAIR');
    expect(search.body.data).toEqual([
      { value: 'Éclair', videoCount: 1 },
      { value: 'eclairage', videoCount: 1 },
    ]);
    const byCount = await call('GET', '/tags', '/tags?sortBy=videoCount&sortOrder=desc&pageSize=1');
    expect(byCount.body.data).toEqual([{ value: 'tag-common', videoCount: 3 }]);
    expect(byCount.body.pagination).toMatchObject({ pageSize: 1, currentPageItems: 1 });
    expectProblem(await call('GET', '/tags', '/tags?sortBy=count'), 'request-invalid-query-parameter', 'sortBy');
  });
});

describe('webhooks', () => {
  it('creates, lists by event, gets and deletes webhooks (no delivery)', async () => {
    const created = await call('POST', '/webhooks', '/webhooks', {
      events: ['video.encoding.quality.completed'],
      url: 'http://127.0.0.1:9/hook',
    });
    expect(created.status).toBe(201);
    expect(created.body.webhookId).toMatch(/^webhook_[A-Za-z0-9]{22}$/);
    expect(created.body.signatureSecret).toEqual(expect.any(String));
    const other = await call('POST', '/webhooks', '/webhooks', {
      events: ['video.source.recorded'],
      url: 'https://example.com/other',
    });
    const filtered = await call('GET', '/webhooks', '/webhooks?events=video.source.recorded');
    expect(filtered.body.data.map((w: any) => w.webhookId)).toEqual([other.body.webhookId]);
    expect((await call('GET', '/webhooks', '/webhooks')).body.pagination.itemsTotal).toBe(2);
    const got = await call('GET', '/webhooks/{webhookId}', `/webhooks/${created.body.webhookId}`);
    expect(got.body).toEqual(created.body);

    expect((await call('DELETE', '/webhooks/{webhookId}', `/webhooks/${created.body.webhookId}`)).status).toBe(204);
    expectProblem(
      await call('DELETE', '/webhooks/{webhookId}', `/webhooks/${created.body.webhookId}`),
      'resource-not-found',
      'webhookId',
    );
    expectProblem(
      await call('GET', '/webhooks/{webhookId}', `/webhooks/${created.body.webhookId}`),
      'resource-not-found',
    );
  });

  it('refuses missing events or url, unknown events and non-http URLs (400)', async () => {
    const missing = await call('POST', '/webhooks', '/webhooks', {});
    expectProblem(missing, 'attribute-required', 'events');
    expect(missing.body.problems.map((p: any) => p.name)).toEqual(['events', 'url']);
    expectProblem(
      await call('POST', '/webhooks', '/webhooks', { events: ['video.deleted'], url: 'https://x.test/' }),
      'invalid-attribute',
      'events',
    );
    expectProblem(
      await call('POST', '/webhooks', '/webhooks', { events: ['video.source.recorded'], url: 'ftp://x.test/' }),
      'invalid-attribute',
      'url',
    );
  });
});

describe('summaries', () => {
  it('creates one summary per video (409 for a second), writes and reads its source, lists and deletes', async () => {
    const video = await createVideoOn(sb(), { title: 'summarised' });
    const created = await call('POST', '/summaries', '/summaries', { videoId: video.videoId });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ videoId: video.videoId, origin: 'api', sourceStatus: 'missing' });
    expect(created.body.summaryId).toMatch(/^summary_[A-Za-z0-9]{22}$/);
    const again = await call('POST', '/summaries', '/summaries', { videoId: video.videoId, origin: 'auto' });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({
      type: 'https://docs.api.video/reference/summary-already-exists',
      title: 'A summary already exists or is being created on this video.',
      status: 409,
      name: 'videoId',
      detail: 'You can delete the existing summary and generate a new one.',
    });

    const id = created.body.summaryId;
    const source = `/summaries/${id}/source`;
    expect((await call('GET', '/summaries/{summaryId}/source', source)).body).toEqual({});
    const takeaways = ['One.', 'Two.', 'Three.'];
    const written = await call('PATCH', '/summaries/{summaryId}/source', source, { abstract: 'All.', takeaways });
    expect(written.status).toBe(201);
    expect(written.body).toEqual({ abstract: 'All.', takeaways });
    expect((await call('GET', '/summaries/{summaryId}/source', source)).body).toEqual({ abstract: 'All.', takeaways });
    const tooMany = await call('PATCH', '/summaries/{summaryId}/source', source, {
      takeaways: [...takeaways, 'Four.'],
    });
    expectProblem(tooMany, 'invalid-attribute', 'takeaways');

    const listed = await call('GET', '/summaries', `/summaries?videoId=${video.videoId}&sourceStatus=completed`);
    expect(listed.body.data.map((s: any) => s.summaryId)).toEqual([id]);
    expect((await call('GET', '/summaries', '/summaries?origin=auto')).body.data).toEqual([]);
    expectProblem(await call('GET', '/summaries', '/summaries?origin=human'), 'request-invalid-query-parameter');

    expect((await call('DELETE', '/summaries/{summaryId}', `/summaries/${id}`)).status).toBe(204);
    expectProblem(await call('GET', '/summaries/{summaryId}/source', source), 'resource-not-found', 'summaryId');
    expectProblem(await call('DELETE', '/summaries/{summaryId}', `/summaries/${id}`), 'resource-not-found');
    const auto = await call('POST', '/summaries', '/summaries', { videoId: video.videoId, origin: 'auto' });
    expect(auto.body).toMatchObject({ origin: 'auto', sourceStatus: 'unprocessable' });
  });

  it('refuses a missing or unknown videoId', async () => {
    expectProblem(await call('POST', '/summaries', '/summaries', {}), 'attribute-required', 'videoId');
    expectProblem(
      await call('POST', '/summaries', '/summaries', { videoId: 'viUnknownUnknownUnknown00' }),
      'resource-not-found',
      'videoId',
    );
  });
});
