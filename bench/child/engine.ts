// Benchmark child: the Convoy upload engine and API client (bundled to plain JS by engine.bench.ts, run with
// `node .bench/child/engine.mjs <dir> <url> <apiKey> <concurrency> <chunkMiB|auto> [auto|worker|thread]`) uploads
// every file of a folder (bytes on the wire: files the media check would refuse go as "upload anyway"); the last
// argument places the digests (main/uploads/unit-digests.ts). Its state folder goes however the child ends.
import { openEngine } from '../../main/uploads/index';
import { createClient } from '../../main/apivideo/index';
import { placeDigests, type DigestPlacement } from '../../main/uploads/unit-digests';
import { report, watchMemory } from './memory';
import { countRequests } from './requests';
import { removeTempDir, tempDir } from '../../test/support/temp-dirs';

const MiB = 1024 * 1024;
const [dir, url, apiKey, concurrency, chunkMiB, digests = 'auto'] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  DigestPlacement?,
];
await placeDigests(digests);

const client = createClient({ baseUrl: url, auth: { kind: 'bearer', apiKey } });
// Removed on exit or a signal too (test/support/temp-dirs.ts): a child that fails before its last line (a
// throw, a refused request, the parent's Ctrl-C) leaves no state folder behind.
const stateDir = tempDir('bench-state');
await client.videos.list({ pageSize: 1 }); // loads the HTTP stack before the baseline
const memory = watchMemory();
const requests = countRequests();
const started = performance.now();
const engine = await openEngine({
  stateDir,
  getClient: () => client,
  settings: { concurrency: Number(concurrency), chunkSize: chunkMiB === 'auto' ? 'adaptive' : Number(chunkMiB) * MiB },
});
await engine.add({ paths: [dir], profileId: 'bench', uploadUnrecognised: true });
await engine.idle();
const seconds = (performance.now() - started) / 1000;
const failed = engine.snapshot().jobs.filter((j) => j.state !== 'done').length;
await engine.close();
removeTempDir(stateDir); // now, as before: not during report()'s last memory sample
report({ ...memory.finish(seconds, failed), requests: requests.finish(seconds) });
