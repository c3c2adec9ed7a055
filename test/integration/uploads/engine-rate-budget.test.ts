// Issue 12: the engine plans around the server's upload budget instead of waiting on 429s. Against the sandbox with
// its "sandbox" rate-limit preset (40 upload requests a minute), a batch of more single-request files than one window
// allows finishes without a single 429: the requests past the budget wait for the next window.
import { afterEach, describe, expect, it } from 'vitest';
import { ApiVideoError, createClient, type ApiVideoClient } from '../../../main/apivideo/index';
import { harness, makeFiles, waitFor, type Harness } from './helpers';

let h: Harness | null = null;
afterEach(async () => {
  await h?.sandbox.setRateLimit('off');
  await h?.cleanup();
  h = null;
});

/** The client as it is, counting the upload replies that were 429s. */
function counting(client: ApiVideoClient, seen: { uploads: number; rateLimited: number }): ApiVideoClient {
  return {
    ...client,
    uploadChunk: async (request) => {
      seen.uploads += 1;
      try {
        return await client.uploadChunk(request);
      } catch (error) {
        if (error instanceof ApiVideoError && error.status === 429) seen.rateLimited += 1;
        throw error;
      }
    },
  };
}

describe('the engine and the server upload budget', () => {
  it('sends 45 one-request files through a 40-a-minute budget without one 429', async () => {
    h = await harness();
    const { token } = await h.client.uploadTokens.create(0);
    await h.engine.close();
    const seen = { uploads: 0, rateLimited: 0 };
    const tokenClient = counting(createClient({ baseUrl: h.sandbox.url, auth: { kind: 'uploadToken', token } }), seen);
    await h.sandbox.setRateLimit('sandbox');
    const engine = await h.open({ getClient: () => tokenClient });
    const files = makeFiles(
      h.dir,
      Array.from({ length: 45 }, () => 64 * 1024),
    );
    await engine.add({ paths: [h.dir], profileId: 'p1' });
    await waitFor(
      () => engine.snapshot().jobs.filter((job) => job.state === 'done').length === files.length,
      150_000,
      'every file to arrive',
    );
    expect(seen.rateLimited).toBe(0);
    expect(seen.uploads).toBe(files.length);
    expect((await h.sandbox.stats()).chunksAccepted).toBe(files.length);
  }, 180_000);
});
