// The CLI, as a real process, against a server that is up but answers as api.video never does (the hostile server in
// front of the real sandbox): with --give-up-after it exits 1 naming what the server did, never "offline" or "check
// your connection", with the file's state saved; once the server behaves, the same command finishes the file once,
// byte-identical. A late reply takes the CLI's 30 s request timeout per attempt, so it is proven through the engine
// with short timeouts (server-engine.test.ts) rather than here.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../integration/cli/built-cli';
import { useCliWithSandbox } from '../integration/cli/cli-with-sandbox';
import { allVideos } from '../integration/uploads/helpers';
import { makeClip } from '../support/media-clips';
import { startHostileServer, type HostileServer, type Misbehaviour } from './hostile-server';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** What the CLI must say the server did, for each misbehaviour (the request it names varies). */
const cases: [Misbehaviour, RegExp][] = [
  ['malformed-json', /with malformed JSON \(HTTP 200: /],
  ['html-page', /with an HTML page \(HTTP 200\) instead of api\.video's JSON/],
  ['html-404', /with an HTML page \(HTTP 404\) instead of api\.video's JSON/],
  ['empty-200', /with an empty reply \(HTTP 200\) where api\.video sends JSON/],
  ['endless-body', /with a reply larger than \d+ MiB; Convoy stopped reading it/],
  ['huge-headers', /with headers larger than 64 KiB/],
  ['redirect', /with a redirect \(HTTP 302\)/],
  ['reset-mid-body', /then the reply broke off/],
  ['retry-after-day', /asked to wait .*(5 min|300 s)/],
];

/** Words that would blame the user's network for what the server did. */
const OFFLINE = /offline|cannot be reached|could not be reached|check your connection/i;

describe('convoy upload against a server that misbehaves', () => {
  const t = useCliWithSandbox();
  let hostile: HostileServer | null = null;
  afterEach(async () => {
    await hostile?.close();
    hostile = null;
  });
  const env = () => ({ HOSTILE_KEY: t.sandbox.apiKey });
  /** `convoy upload` of `media` through the hostile server, giving up after 2 s without progress. */
  const uploadThrough = (server: HostileServer, media: string, state: string) => [
    'upload',
    media,
    '--base-url',
    server.url,
    '--api-key-env',
    'HOSTILE_KEY',
    '--state-dir',
    t.dir(state),
    '--give-up-after',
    '2s',
  ];

  it.each(cases)(
    '%s on every request: exit 1 after --give-up-after with that reason, then one byte-identical video',
    async (misbehaviour, said) => {
      await t.sandbox.reset();
      hostile = await startHostileServer('well-behaved', { upstream: t.sandbox.url });
      const media = t.dir(`hostile-${misbehaviour}-media`);
      const clip = await makeClip(media, { container: 'mp4', seconds: 1, width: 160, height: 120, tag: misbehaviour });
      const args = uploadThrough(hostile, media, `hostile-${misbehaviour}-state`);

      hostile.behave(misbehaviour);
      const refused = await runCli(t.cli, args, env());
      expect(refused.code, refused.stderr).toBe(1);
      const said1 = refused.stdout + refused.stderr;
      expect(said1).toMatch(said);
      expect(said1).not.toMatch(OFFLINE);
      expect(hostile.spoiled).toBeGreaterThan(0);
      // The file's state is saved and said, with the reason, in the closing lines.
      expect(said1).toMatch(/resumes on the next run/);
      expect(await allVideos(t.client)).toHaveLength(0);

      hostile.behave('well-behaved');
      const finished = await runCli(t.cli, [...args, '--json'], env());
      expect(finished.code, finished.stdout + finished.stderr).toBe(0);
      const videos = await allVideos(t.client);
      expect(videos).toHaveLength(1);
      const detail = await t.client.videos.get(videos[0]!.videoId);
      const stored = Buffer.from(await (await fetch(detail.assets!.mp4!)).arrayBuffer());
      expect(sha256(stored)).toBe(sha256(readFileSync(clip)));
    },
    90_000,
  );

  it.each<[Misbehaviour, RegExp]>([
    ['html-page', /answered POST \/videos\/vi\w+\/source with an HTML page/],
    ['reset-mid-body', /began answering POST \/videos\/vi\w+\/source, then the reply broke off/],
  ])(
    '%s on the parts only: exit 1 naming the part request; the next run continues the same video, nothing twice',
    async (misbehaviour, said) => {
      await t.sandbox.reset();
      hostile = await startHostileServer('well-behaved', { upstream: t.sandbox.url });
      const media = t.dir(`hostile-parts-${misbehaviour}-media`);
      const clip = await makeClip(media, { container: 'mp4', seconds: 1, width: 160, height: 120, tag: misbehaviour });
      const args = uploadThrough(hostile, media, `hostile-parts-${misbehaviour}-state`);

      hostile.behave(misbehaviour, { match: ({ method, url }) => method === 'POST' && url.endsWith('/source') });
      const refused = await runCli(t.cli, args, env());
      expect(refused.code, refused.stderr).toBe(1);
      const said1 = refused.stdout + refused.stderr;
      expect(said1).toMatch(said);
      expect(said1).not.toMatch(OFFLINE);
      const [container] = await allVideos(t.client);
      expect(container, 'the container the first run created').toBeDefined();

      hostile.behave('well-behaved');
      const finished = await runCli(t.cli, args, env());
      expect(finished.code, finished.stdout + finished.stderr).toBe(0);
      const videos = await allVideos(t.client);
      expect(videos.map((v) => v.videoId)).toEqual([container!.videoId]);
      const detail = await t.client.videos.get(container!.videoId);
      const stored = Buffer.from(await (await fetch(detail.assets!.mp4!)).arrayBuffer());
      expect(sha256(stored)).toBe(sha256(readFileSync(clip)));
    },
    120_000,
  );
});
