// Finishing a file with an API key: the reply to the request that completed its source is the video finalize
// reads (no second look-up), and the content hash joins the metadata that reply carries without losing any; a
// reply without metadata is not trusted for that, and the video is asked for again.
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type ApiVideoClient } from '../../../main/apivideo/index';
import { CONTENT_KEY } from '../../../main/uploads/content-hash';
import { FINGERPRINT_KEY } from '../../../main/uploads/index';
import { expectAllUploaded, harness, makeFiles, MiB, type Harness } from './helpers';

let h: Harness | null = null;
afterEach(async () => {
  await h?.cleanup();
  h = null;
});

/** A client for the key that counts its look-ups of single videos; `bare`: chunk replies lose their metadata. */
function counting(base: ApiVideoClient, gets: string[], bare: boolean): ApiVideoClient {
  return {
    ...base,
    videos: { ...base.videos, get: (id: string) => (gets.push(id), base.videos.get(id)) },
    uploadChunk: async (request) => {
      const video = await base.uploadChunk(request);
      if (!bare) return video;
      const { metadata: _dropped, ...rest } = video;
      return rest;
    },
  };
}

describe('finalize', () => {
  for (const bare of [false, true]) {
    it(
      bare
        ? 'asks for the video again when the last reply carries no metadata, and keeps every key'
        : 'reads the last reply instead of asking for the video again, and keeps every key',
      async () => {
        const gets: string[] = [];
        h = await harness({}, (sandbox) =>
          counting(
            createClient({ baseUrl: sandbox.url, auth: { kind: 'bearer', apiKey: sandbox.apiKey } }),
            gets,
            bare,
          ),
        );
        const files = makeFiles(h.dir, [12 * MiB]); // three parts of 5 MiB
        await h.engine.add({ paths: files, profileId: 'p1' });
        await h.engine.idle();
        await expectAllUploaded(h, files);
        const job = h.engine.snapshot().jobs[0]!;
        expect(gets.filter((id) => id === job.videoId)).toHaveLength(bare ? 1 : 0);
        // The content hash was merged into the metadata the video had (its fingerprint), none lost.
        const keys = (await h.client.videos.get(job.videoId!)).metadata?.map((m) => m.key) ?? [];
        expect(keys).toEqual(expect.arrayContaining([FINGERPRINT_KEY, CONTENT_KEY]));
      },
    );
  }
});
