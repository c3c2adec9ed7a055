// Benchmark child: @api.video/nodejs-client as its README shows (create, then videos.upload(videoId, path), file
// after file, default chunk size), run as plain JS: `node .bench/child/official.mjs <dir> <url> <apiKey> [retry429]`.
// With `retry429` a file refused with 429 (the client neither waits nor resumes) is uploaded again as a new video
// after the wait the reply named (X-RateLimit-Retry-After), as a script built on the README would do.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import ApiVideoClient from '@api.video/nodejs-client';
import { report, watchMemory } from './memory';
import { countRequests } from './requests';

const [dir, url, apiKey, mode] = process.argv.slice(2) as [string, string, string, string | undefined];

const client = new ApiVideoClient({ apiKey, baseUri: url });
await client.videos.list({ pageSize: 1 }); // loads the HTTP stack before the baseline
const memory = watchMemory();
const requests = countRequests();
const started = performance.now();
let failed = 0;
for (const name of readdirSync(dir).sort()) {
  for (;;) {
    const video = await client.videos.create({ title: name });
    try {
      await client.videos.upload(video.videoId, join(dir, name));
      break;
    } catch (error) {
      if (mode !== 'retry429' || (error as { code?: number }).code !== 429) {
        failed += 1;
        break;
      }
      const wait = requests.retryAfterSeconds() ?? 60;
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, wait) * 1000));
    }
  }
}
const seconds = (performance.now() - started) / 1000;
report({ ...memory.finish(seconds, failed), requests: requests.finish(seconds) });
