// Sidecars sent to the local sandbox after a video's source: what arrived (byte for byte where nothing needed
// converting), the default caption, an upload token's refusal, and the journal across a crash (no repeat, no loss).
import { createReadStream, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createClient } from '../../../main/apivideo/index';
import type { ApiVideoClient, ClientOptions, SidecarApi } from '../../../main/apivideo/index';
import { SIDECAR_JOURNAL, SidecarUploader } from '../../../main/media/sidecar-upload';
import type { Sidecar } from '../../../main/media/sidecars';
import { checkSidecars, findSidecars } from '../../../main/media/sidecars';
import { makeClip } from '../../support/media-clips';
import { sandboxForFile } from '../../support/sandbox';
import { scratchDirs } from '../../support/scratch-dirs';
import { stillImage } from '../../unit/media/media-fixtures';

/** The sidecar calls of a client made with these options. */
const sidecarApi = (options: ClientOptions): SidecarApi => createClient(options).sidecars;

const sandbox = sandboxForFile();
const newDir = scratchDirs('media-sidecar-upload');
let client: ApiVideoClient;
/** Every call the uploaders made through the real API, as "uploadTrack captions en vi…" lines. */
const calls: string[] = [];

beforeAll(() => {
  client = createClient({ baseUrl: sandbox().url, auth: { kind: 'bearer', apiKey: sandbox().apiKey } });
});

/** The real sidecar API on the sandbox, each call written down (the server's own word is checked separately). */
function counted(api: SidecarApi): SidecarApi {
  const note =
    <A extends unknown[], R>(name: string, call: (...args: A) => Promise<R>) =>
    (...args: A) => {
      calls.push([name, ...args.filter((a) => typeof a === 'string')].join(' '));
      return call(...args);
    };
  return {
    canSend: api.canSend,
    uploadTrack: note('uploadTrack', api.uploadTrack),
    hasTrack: note('hasTrack', api.hasTrack),
    makeDefaultCaption: note('makeDefaultCaption', api.makeDefaultCaption),
    uploadThumbnail: note('uploadThumbnail', api.uploadThumbnail),
    thumbnailIs: note('thumbnailIs', api.thumbnailIs),
    pickThumbnail: note('pickThumbnail', api.pickThumbnail),
  };
}

const keyApi = () =>
  counted(sidecarApi({ baseUrl: sandbox().url, auth: { kind: 'bearer', apiKey: sandbox().apiKey } }));

const englishVtt = 'WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nHello, world\n\n00:00:01.000 --> 00:00:02.000\nGoodbye\n';
/** Windows-1252 (Latin-1 plus the en dash at 0x96), CRLF, as an old subtitle editor writes it. */
const frenchSrtLatin1 = Buffer.concat([
  Buffer.from(
    '1\r\n00:00:00,000 --> 00:00:01,000\r\nÇa commence\r\n\r\n2\r\n00:00:01,000 --> 00:00:02,000\r\nFin ',
    'latin1',
  ),
  Buffer.from([0x96]),
  Buffer.from(' à bientôt\r\n', 'latin1'),
]);
const frenchAsVtt =
  'WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.000\nÇa commence\n\n2\n00:00:01.000 --> 00:00:02.000\nFin – à bientôt\n';
const chaptersVtt = 'WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nIntro\n\n00:00:01.000 --> 00:00:02.000\nDemo\n';

/** A real clip uploaded whole to a new video, with the files beside it; returns the video and its sidecars. */
async function uploadedTalk(dir: string): Promise<{ videoId: string; sidecars: Sidecar[] }> {
  const clip = await makeClip(dir, { container: 'mp4', seconds: 1, width: 160, height: 96, name: 'talk.mp4' });
  writeFileSync(join(dir, 'talk.en.vtt'), englishVtt);
  writeFileSync(join(dir, 'talk.fr.srt'), frenchSrtLatin1);
  writeFileSync(join(dir, 'talk.chapters.vtt'), chaptersVtt);
  await stillImage(dir, 'talk.jpg');
  const video = await client.videos.create({ title: 'talk' });
  const size = statSync(clip).size;
  await client.uploadChunk({ videoId: video.videoId, fileName: 'talk.mp4', size, body: () => createReadStream(clip) });
  const checked = await checkSidecars(await findSidecars(clip));
  expect(checked.problems).toEqual([]);
  return { videoId: video.videoId, sidecars: checked.sidecars };
}

async function served(url: string): Promise<Buffer> {
  const reply = await fetch(url);
  expect(reply.status).toBe(200);
  return Buffer.from(await reply.arrayBuffer());
}

const track = (videoId: string, kind: 'captions' | 'chapters', language: string) =>
  client.videos.get(videoId).then(async () => {
    const reply = await fetch(`${sandbox().url}/videos/${videoId}/${kind}/${language}`, {
      headers: { authorization: sandbox().basicAuth },
    });
    return {
      status: reply.status,
      body: reply.status === 200 ? ((await reply.json()) as { src: string; default?: boolean }) : null,
    };
  });

const count = (line: string) => calls.filter((c) => c === line).length;
const posts = (videoId: string, what: 'captions/en' | 'captions/fr' | 'thumbnail') =>
  what === 'thumbnail'
    ? count(`uploadThumbnail ${videoId} thumbnail.jpg`)
    : count(`uploadTrack captions ${videoId} ${what.slice('captions/'.length)}`);
const lookups = (videoId: string, language: string) => count(`hasTrack captions ${videoId} ${language}`);

describe('sidecars sent after the source', () => {
  it('arrive on the server: captions (SRT converted), chapters and thumbnail, the first caption the default', async () => {
    const dir = newDir();
    const { videoId, sidecars } = await uploadedTalk(dir);
    const uploader = new SidecarUploader({ stateDir: join(dir, 'state'), api: keyApi() });
    const entries = await uploader.add(videoId, sidecars);
    expect(Object.fromEntries(Object.entries(entries).map(([k, e]) => [k, e.state]))).toEqual({
      'caption:en': 'done',
      'caption:fr': 'done',
      'chapters:en': 'done',
      thumbnail: 'done',
    });
    expect(entries['caption:fr']?.reason).toBe(
      'Sent as WebVTT (converted from windows-1252 to UTF-8, line endings made LF, converted from SRT to WebVTT)',
    );

    const en = await track(videoId, 'captions', 'en');
    expect(en.body?.default).toBe(true);
    expect((await served(en.body!.src)).equals(readFileSync(join(dir, 'talk.en.vtt')))).toBe(true);
    const fr = await track(videoId, 'captions', 'fr');
    expect(fr.body?.default).toBe(false);
    expect((await served(fr.body!.src)).toString('utf8')).toBe(frenchAsVtt);
    const chapters = await track(videoId, 'chapters', 'en');
    expect((await served(chapters.body!.src)).equals(readFileSync(join(dir, 'talk.chapters.vtt')))).toBe(true);
    const video = await client.videos.get(videoId);
    expect((await served(video.assets!.thumbnail!)).equals(readFileSync(join(dir, 'talk.jpg')))).toBe(true);

    const journal = JSON.parse(readFileSync(join(dir, 'state', SIDECAR_JOURNAL), 'utf8'));
    expect(Object.values(journal.videos[videoId]).map((e) => (e as { state: string }).state)).toEqual([
      'done',
      'done',
      'done',
      'done',
    ]);
  });

  it('with an upload token alone: none is sent, each says it needs the API key, and goes once a key is there', async () => {
    const dir = newDir();
    const { videoId, sidecars } = await uploadedTalk(dir);
    const token = await client.uploadTokens.create(3600);
    const tokenApi = counted(sidecarApi({ baseUrl: sandbox().url, auth: { kind: 'uploadToken', token: token.token } }));
    const events: string[] = [];
    const stateDir = join(dir, 'state');
    const withToken = new SidecarUploader({
      stateDir,
      api: tokenApi,
      onChange: (e) => events.push(`${e.key} ${e.entry.state}`),
    });
    const entries = await withToken.add(videoId, sidecars);
    for (const entry of Object.values(entries)) {
      expect(entry.state).toBe('needs-key');
      expect(entry.reason).toMatch(
        /^Captions, chapters and thumbnails need the API key: an upload token can only upload videos\./,
      );
    }
    expect(events).toContain('thumbnail needs-key');
    expect(posts(videoId, 'captions/en') + posts(videoId, 'thumbnail')).toBe(0);
    expect((await track(videoId, 'captions', 'en')).status).toBe(404);

    await new SidecarUploader({ stateDir, api: keyApi() }).resume();
    expect((await track(videoId, 'captions', 'en')).status).toBe(200);
    expect(posts(videoId, 'captions/en')).toBe(1);
  });

  it("a sidecar the server refuses fails alone, with the server's reason, and the others arrive", async () => {
    const dir = newDir();
    const { videoId, sidecars } = await uploadedTalk(dir);
    const odd: Sidecar = {
      kind: 'caption',
      path: join(dir, 'talk.en.vtt'),
      language: 'qq',
      format: 'vtt',
      isDefault: false,
    };
    const entries = await new SidecarUploader({ stateDir: join(dir, 'state'), api: keyApi() }).add(videoId, [
      ...sidecars,
      odd,
    ]);
    expect(entries['caption:qq']).toMatchObject({ state: 'failed', reason: expect.stringContaining('HTTP 400') });
    expect(entries['caption:en']?.state).toBe('done');
    expect(entries.thumbnail?.state).toBe('done');
  });
});

describe('a server that fails for a while', () => {
  it('leaves the sidecars waiting with the reason, and sends them by themselves once it answers again', async () => {
    const dir = newDir();
    const { videoId, sidecars } = await uploadedTalk(dir);
    await sandbox().setFaults({ failRate: 1, failStatus: 503 });
    const policy = { attempts: 50, baseDelayMs: 300, maxDelayMs: 600, maxRetryAfterMs: 1000 };
    const uploader = new SidecarUploader({
      stateDir: join(dir, 'state'),
      api: keyApi(),
      retryPolicy: policy,
      maxAttempts: 50,
    });
    try {
      const entries = await uploader.add(videoId, sidecars);
      for (const entry of Object.values(entries)) {
        expect(entry.state).toBe('sending');
        expect(entry.reason).toMatch(/^Will retry: .*HTTP 503/);
      }
      await sandbox().clearFaults();
      await vi.waitFor(
        () =>
          expect(Object.values(uploader.entries(videoId)).map((e) => e.state)).toEqual([
            'done',
            'done',
            'done',
            'done',
          ]),
        { timeout: 15_000, interval: 200 },
      );
      expect((await track(videoId, 'captions', 'en')).body?.default).toBe(true);
    } finally {
      uploader.close();
      await sandbox().clearFaults();
    }
  });
});

/** The real API, with the process "killed" right before or right after one caption's request reaches the server. */
function crashing(api: SidecarApi, when: 'before' | 'after'): SidecarApi {
  return {
    ...api,
    canSend: api.canSend,
    async uploadTrack(kind, videoId, language, vtt) {
      if (language === 'en' && kind === 'captions') {
        if (when === 'after') await api.uploadTrack(kind, videoId, language, vtt);
        throw new Error('the process was killed');
      }
      return api.uploadTrack(kind, videoId, language, vtt);
    },
  };
}

describe('the sidecar journal across a crash', () => {
  it('a caption the server took just before the crash is looked up on restart, not sent again', async () => {
    const dir = newDir();
    const { videoId, sidecars } = await uploadedTalk(dir);
    const stateDir = join(dir, 'state');
    await expect(
      new SidecarUploader({ stateDir, api: crashing(keyApi(), 'after') }).add(videoId, sidecars),
    ).rejects.toThrow('killed');
    const left = JSON.parse(readFileSync(join(stateDir, SIDECAR_JOURNAL), 'utf8')).videos[videoId];
    expect(left['caption:en'].state).toBe('sending');
    expect(left['caption:fr'].state).toBe('pending');

    await new SidecarUploader({ stateDir, api: keyApi() }).resume();
    expect(posts(videoId, 'captions/en')).toBe(1);
    expect(lookups(videoId, 'en')).toBe(1);
    expect(posts(videoId, 'captions/fr')).toBe(1);
    expect(posts(videoId, 'thumbnail')).toBe(1);
    expect((await track(videoId, 'captions', 'en')).body?.default).toBe(true);
    const after = new SidecarUploader({ stateDir, api: keyApi() });
    expect(Object.values(after.entries(videoId)).map((e) => e.state)).toEqual(['done', 'done', 'done', 'done']);
  });

  it('a caption whose request never left is sent on restart (nothing lost)', async () => {
    const dir = newDir();
    const { videoId, sidecars } = await uploadedTalk(dir);
    const stateDir = join(dir, 'state');
    await expect(
      new SidecarUploader({ stateDir, api: crashing(keyApi(), 'before') }).add(videoId, sidecars),
    ).rejects.toThrow('killed');
    expect(posts(videoId, 'captions/en')).toBe(0);

    await new SidecarUploader({ stateDir, api: keyApi() }).resume();
    expect(lookups(videoId, 'en')).toBe(1);
    expect(posts(videoId, 'captions/en')).toBe(1);
    const en = await track(videoId, 'captions', 'en');
    expect((await served(en.body!.src)).equals(readFileSync(join(dir, 'talk.en.vtt')))).toBe(true);
  });
});
