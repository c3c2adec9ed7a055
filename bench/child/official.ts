// Benchmark child: @api.video/nodejs-client as its README shows (create, then videos.upload(videoId, path), file
// after file, default chunk size), run as plain JS: `node .bench/child/official.mjs <dir> <url> <apiKey>`.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import ApiVideoClient from '@api.video/nodejs-client';
import { report, watchMemory } from './memory';

const [dir, url, apiKey] = process.argv.slice(2) as [string, string, string];

const client = new ApiVideoClient({ apiKey, baseUri: url });
await client.videos.list({ pageSize: 1 }); // loads the HTTP stack before the baseline
const memory = watchMemory();
const started = performance.now();
for (const name of readdirSync(dir).sort()) {
  const video = await client.videos.create({ title: name });
  await client.videos.upload(video.videoId, join(dir, name));
}
report(memory.finish((performance.now() - started) / 1000));
