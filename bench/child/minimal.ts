// Benchmark child: the least a client can do (create each video, then POST every chunk, `concurrency` at a
// time, bodies streamed from disk): `node .bench/child/minimal.mjs <dir> <url> <apiKey> <concurrency> <chunkMiB>`.
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { report, watchMemory } from './memory';
import { countRequests } from './requests';

const MiB = 1024 * 1024;
const [dir, url, apiKey, concurrency, chunkMiB] = process.argv.slice(2) as [string, string, string, string, string];

function postChunk(
  target: string,
  auth: string,
  path: string,
  start: number,
  end: number,
  range: string,
): Promise<number> {
  const boundary = 'benchBoundary';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="f.mp4"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: 'POST',
        headers: {
          authorization: auth,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-range': range,
          'content-length': head.length + (end - start + 1) + tail.length,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.write(head);
    const body = createReadStream(path, { start, end });
    body.on('error', reject);
    body.on('end', () => req.end(tail));
    body.pipe(req, { end: false });
  });
}

const auth = `Basic ${Buffer.from(`${apiKey}:`).toString('base64')}`;
const chunk = Number(chunkMiB) * MiB;
const memory = watchMemory();
const requests = countRequests();
const started = performance.now();
const tasks: (() => Promise<number>)[] = [];
for (const name of readdirSync(dir).sort()) {
  const path = join(dir, name);
  const size = statSync(path).size;
  const response = await fetch(`${url}/videos`, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: JSON.stringify({ title: name }),
  });
  const { videoId } = (await response.json()) as { videoId: string };
  const total = Math.ceil(size / chunk);
  for (let part = 1; part <= total; part += 1) {
    const start = (part - 1) * chunk;
    const end = Math.min(size, start + chunk) - 1;
    tasks.push(() => postChunk(`${url}/videos/${videoId}/source`, auth, path, start, end, `part ${part}/${total}`));
  }
}
let next = 0;
let failed = 0;
await Promise.all(
  Array.from({ length: Number(concurrency) }, async () => {
    while (next < tasks.length) if ((await tasks[next++]!()) >= 300) failed += 1;
  }),
);
const seconds = (performance.now() - started) / 1000;
report({ ...memory.finish(seconds, failed), requests: requests.finish(seconds) });
