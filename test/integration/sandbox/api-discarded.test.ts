// Discarded videos against the spec: DELETE /videos/{id} moves a video to /discarded/videos with its files, where
// it is listed, fetched and restored whole; 90 days of sandbox clock later it is purged. Also: a state file from
// before these resources existed still loads.
/* eslint-disable @typescript-eslint/no-explicit-any -- reply bodies are checked against the spec schemas at runtime */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandboxForFile, startTestSandbox } from '../../support/sandbox';
import { api, createVideoOn } from './spec';
import { captionsVtt, clipFile, expectProblem, fileForm, videoWithClip } from './api-media';

const sb = sandboxForFile();
const auth = () => ({ Authorization: sb().basicAuth });
const DAY = 24 * 3600;

const call = (method: string, template: string, path: string, body?: unknown) =>
  api(`${sb().url}${path}`, {
    method,
    template,
    headers: body === undefined ? auth() : { ...auth(), 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const discard = (videoId: string) => call('DELETE', '/videos/{videoId}', `/videos/${videoId}`);
const getDiscarded = (videoId: string) => call('GET', '/discarded/videos/{videoId}', `/discarded/videos/${videoId}`);
const restore = (videoId: string, body: unknown) =>
  call('PATCH', '/discarded/videos/{videoId}', `/discarded/videos/${videoId}`, body);

describe('discarded videos', () => {
  it('keeps a deleted video out of /videos, lists and fetches it as discarded, and restores it whole', async () => {
    const video = await videoWithClip(sb(), { title: 'to restore', tags: ['keep'] });
    const caption = await api(`${sb().url}/videos/${video.videoId}/captions/en`, {
      method: 'POST',
      template: '/videos/{videoId}/captions/{language}',
      headers: auth(),
      body: fileForm(captionsVtt('Still here'), 'en.vtt'),
    });
    expect(caption.status).toBe(200);

    expect((await discard(video.videoId)).status).toBe(204);
    expectProblem(await call('GET', '/videos/{videoId}', `/videos/${video.videoId}`), 'resource-not-found');
    expect((await call('GET', '/videos', '/videos')).body.data.map((v: any) => v.videoId)).not.toContain(video.videoId);
    expectProblem(await discard(video.videoId), 'resource-not-found');

    const fetched = await getDiscarded(video.videoId);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toMatchObject({ videoId: video.videoId, discarded: true, title: 'to restore' });
    expect(fetched.body.assets).toBeUndefined();
    const discardedAt = Date.parse(fetched.body.discardedAt);
    expect(Date.parse(fetched.body.deletesAt) - discardedAt).toBe(90 * DAY * 1000);
    const listed = await call('GET', '/discarded/videos', '/discarded/videos?title=restore&tags[]=keep');
    expect(listed.body.data.map((v: any) => v.videoId)).toEqual([video.videoId]);
    expect((await call('GET', '/discarded/videos', '/discarded/videos?title=other')).body.data).toEqual([]);

    expectProblem(await restore(video.videoId, { discarded: true }), 'invalid-attribute', 'discarded');
    expectProblem(await restore(video.videoId, {}), 'attribute-required', 'discarded');
    const restored = await restore(video.videoId, { discarded: false });
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ videoId: video.videoId, discarded: false, tags: ['keep'] });
    expectProblem(await getDiscarded(video.videoId), 'resource-not-found', 'videoId');

    await sb().advanceClock(10);
    const mp4 = Buffer.from(await (await fetch(restored.body.assets.mp4)).arrayBuffer());
    expect(mp4.equals(readFileSync(await clipFile()))).toBe(true);
    expect(await (await fetch(caption.body.src)).text()).toBe(captionsVtt('Still here'));
  });

  it('purges a discarded video and its files after 90 days of sandbox clock', async () => {
    const video = await videoWithClip(sb(), { title: 'to purge' });
    const folder = join(sb().dataDir, 'videos', video.videoId);
    expect(existsSync(folder)).toBe(true);
    await discard(video.videoId);
    await sb().advanceClock(89 * DAY);
    expect((await getDiscarded(video.videoId)).status).toBe(200);
    expect(existsSync(folder)).toBe(true);
    await sb().advanceClock(DAY + 1);
    expectProblem(await getDiscarded(video.videoId), 'resource-not-found', 'videoId');
    expect(existsSync(folder)).toBe(false);
    expectProblem(await restore(video.videoId, { discarded: false }), 'resource-not-found', 'videoId');
  });

  it('answers 404 for videos that were never discarded and 400 for a bad list query', async () => {
    const live = await createVideoOn(sb(), { title: 'alive' });
    expectProblem(await getDiscarded(live.videoId), 'resource-not-found', 'videoId');
    expectProblem(await restore('viUnknownUnknownUnknown00', { discarded: false }), 'resource-not-found');
    expectProblem(
      await call('GET', '/discarded/videos', '/discarded/videos?sortBy=size'),
      'request-invalid-query-parameter',
      'sortBy',
    );
  });
});

describe('state files written before these resources', () => {
  it('load, with no captions, chapters, themes, watermarks, webhooks, summaries or discarded videos', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'convoy-old-state-'));
    const videoId = 'viOldOldOldOldOldOldOld0';
    const upload = { mode: null, totalBytes: null, totalParts: null, ranges: [], parts: [] };
    const oldVideo = {
      ...{ videoId, createdAt: Date.now(), updatedAt: Date.now(), title: 'old', description: '' },
      ...{ public: true, panoramic: false, mp4Support: true, tags: [], metadata: [], playerId: null, language: null },
      ...{ sourceKind: 'upload', uploadToken: null },
      upload: { ...upload, firstChunkAt: null, completedAt: null, filesize: null, assembled: false },
    };
    const oldState = { version: 1, clockOffsetMs: 0, accessTokens: {}, refreshTokens: {}, uploadTokens: {} };
    writeFileSync(join(dataDir, 'state.json'), JSON.stringify({ ...oldState, videos: { [videoId]: oldVideo } }));
    const old = await startTestSandbox({ dataDir });
    try {
      const get = (path: string, template: string) =>
        api(`${old.url}${path}`, { method: 'GET', template, headers: { Authorization: old.basicAuth } });
      expect((await get(`/videos/${videoId}`, '/videos/{videoId}')).body.title).toBe('old');
      expect((await get(`/videos/${videoId}/captions`, '/videos/{videoId}/captions')).body.data).toEqual([]);
      expect((await get(`/videos/${videoId}/chapters`, '/videos/{videoId}/chapters')).body.data).toEqual([]);
      for (const [path, template] of [
        ['/players', '/players'],
        ['/watermarks', '/watermarks'],
        ['/webhooks', '/webhooks'],
        ['/summaries', '/summaries'],
        ['/discarded/videos', '/discarded/videos'],
      ] as const)
        expect((await get(path, template)).body.data).toEqual([]);
    } finally {
      await old.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
