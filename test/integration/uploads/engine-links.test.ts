// Links that last (issue 15): when the local sandbox had to take another port after a restart, the links of videos
// uploaded before it (shown, copied, exported) are rebuilt on the port it has now, and they answer.
import { cpSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../../../main/apivideo/index';
import { startSandbox } from '../../../main/sandbox/index';
import { currentLinks } from '../../../main/uploads/links';
import { harness, jobOf, makeFiles, MiB, type Harness } from './helpers';

let h: Harness | null = null;
afterEach(async () => {
  await h?.cleanup();
  h = null;
});

describe('links after the sandbox moved to another port', () => {
  it('are rebuilt on the new port and answer 200; the manifest carries the same', async () => {
    h = await harness({ settings: { chunkSize: 5 * MiB, concurrency: 2, waitForPlayable: true } });
    const [file] = makeFiles(h.dir, [1 * MiB]);
    await h.engine.add({ paths: [file!], profileId: 'p1' });
    await h.engine.idle();
    const before = jobOf(h.engine, file!)!;
    expect(before.mp4Url).toContain(h.sandbox.url);
    expect((await fetch(before.mp4Url!)).status).toBe(200);
    await h.engine.close();

    // Another program takes the old port while Convoy is closed: the sandbox starts on another one.
    const oldPort = Number(new URL(h.sandbox.url).port);
    const { apiKey } = h.sandbox;
    const dataDir = join(h.dir, 'sandbox-data'); // the test sandbox removes its own folder when it closes
    cpSync(h.sandbox.dataDir, dataDir, { recursive: true });
    await h.sandbox.close();
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(oldPort, '127.0.0.1', resolve));
    const moved = await startSandbox({ port: 0, apiKey, dataDir, testControls: true });
    try {
      expect(moved.url).not.toBe(h.sandbox.url);
      const client = createClient({ baseUrl: moved.url, auth: { kind: 'bearer', apiKey } });
      await h.open({ getClient: () => client });
      const after = jobOf(h.engine, file!)!;
      for (const link of [after.mp4Url!, after.playerUrl!]) {
        expect(link.startsWith(moved.url)).toBe(true);
        expect((await fetch(link)).status, link).toBe(200);
      }
      expect(after.embedCode).toContain(moved.url);
      expect(after.embedCode).not.toContain(`:${oldPort}`);
      const manifest = h.engine.exportManifest('json').content;
      expect(manifest).toContain(after.mp4Url!);
      expect(manifest).not.toContain(`:${oldPort}/`);
    } finally {
      await h.engine.close();
      await moved.close();
      squatter.close();
    }
  });
});

describe('currentLinks', () => {
  const links = {
    playerUrl: 'http://127.0.0.1:4000/vod/vi1/player',
    embedCode: '<iframe src="http://127.0.0.1:4000/vod/vi1/player"></iframe>',
    mp4Url: 'http://127.0.0.1:4000/vod/vi1/mp4/source.mp4',
  };
  it('moves loopback links to the loopback server of now, and leaves the rest alone', () => {
    expect(currentLinks(links, 'http://127.0.0.1:4100').mp4Url).toBe('http://127.0.0.1:4100/vod/vi1/mp4/source.mp4');
    expect(currentLinks(links, 'http://127.0.0.1:4100').embedCode).toBe(
      '<iframe src="http://127.0.0.1:4100/vod/vi1/player"></iframe>',
    );
    expect(currentLinks(links, 'http://127.0.0.1:4000')).toEqual(links);
    expect(currentLinks(links, 'https://ws.api.video')).toEqual(links);
    expect(currentLinks(links, undefined)).toEqual(links);
    const hosted = { playerUrl: 'https://embed.api.video/vod/vi1' };
    expect(currentLinks(hosted, 'http://127.0.0.1:4100')).toEqual(hosted);
  });
});
