// Automatic sizes and SIGKILL: each byte range is journaled before it leaves, so the CLI killed in the middle of one
// finds it in its journal and sends exactly that range again on resume (the server never sees an overlap), and the
// file arrives once, byte-identical.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type ApiVideoClient } from '../../../main/apivideo/index';
import { Journal } from '../../../main/uploads/journal';
import { spanRange } from '../../../main/uploads/plan';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { allVideos, makeFiles, MiB, sha256, tempDir, waitFor } from '../uploads/helpers';

const root = new URL('../../../', import.meta.url).pathname;

/** Runs the CLI to its end, or kills it with SIGKILL once `killWhen` resolves. */
function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  killWhen: (() => Promise<unknown>) | null,
): Promise<{ code: number | null; killed: boolean; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli/convoy.ts', ...args], {
      cwd: root,
      env: { ...process.env, ...env },
    });
    let stderr = '';
    let killed = false;
    child.stdout.resume();
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    if (killWhen)
      void killWhen().then(() => {
        killed = true;
        child.kill('SIGKILL');
      });
    child.on('exit', (code) => resolve({ code, killed, stderr }));
  });
}

describe('convoy upload with automatic sizes, killed mid-request', () => {
  let sandbox: TestSandbox;
  let client: ApiVideoClient;
  let dir: string;
  let stateDir: string;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    client = createClient({ baseUrl: sandbox.url, auth: { kind: 'bearer', apiKey: sandbox.apiKey } });
    dir = tempDir('kill-spans-files');
    stateDir = tempDir('kill-spans-state');
  });
  afterAll(async () => {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('re-sends exactly the journaled byte range after SIGKILL, and the server holds the file once', async () => {
    const size = 41 * MiB + 777;
    const [file] = makeFiles(dir, [size]);
    const args = ['upload', file!, '--base-url', sandbox.url, '--api-key-env', 'SPAN_KEY'];
    const more = ['--concurrency', '1', '--state-dir', stateDir, '--json'];
    const env = { SPAN_KEY: sandbox.apiKey };
    await sandbox.setFaults({ connectionBytesPerSec: 4 * MiB });

    // Killed half a second into the request after the first acknowledged one.
    const killed = await runCli([...args, ...more], env, async () => {
      while ((await sandbox.stats()).chunksAccepted < 1) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 500));
    });
    expect(killed.killed, killed.stderr).toBe(true);

    const journal = Journal.open({ dir: stateDir });
    const job = [...journal.jobs.values()][0]!;
    journal.close();
    expect(job.byteRanges).toBe(true);
    expect(job.chunkSize).toBe(5 * MiB);
    expect(job.openSpans).toHaveLength(1); // the request in flight at the kill, journaled before it left
    const [first, last] = job.openSpans![0]!;
    const open = spanRange(size, job.chunkSize!, first, last);
    // The request cut short by the kill is refused by the server once it sees the body end early.
    await waitFor(async () => (await sandbox.stats()).chunksRejected === 1, 10_000, 'the cut request refused');
    const before = await sandbox.stats();
    expect(before.chunksAccepted).toBe(1);

    await sandbox.clearFaults();
    const resumed = await runCli([...args, ...more], env, null);
    expect(resumed.code, resumed.stderr).toBe(0);

    const videos = await allVideos(client);
    expect(videos).toHaveLength(1);
    const status = await client.videos.status(videos[0]!.videoId);
    const received = status.ingest?.receivedBytes ?? [];
    expect(received).toContainEqual({ from: open.start, to: open.end, total: size }); // exactly that range again
    const after = await sandbox.stats();
    // No overlap refused: nothing the server held was sent again.
    expect(after.chunksRejected).toBe(before.chunksRejected);
    expect(after.chunksAccepted).toBe(received.length);
    const mp4 = (await client.videos.get(videos[0]!.videoId)).assets?.mp4;
    const bytes = Buffer.from(await (await fetch(mp4!)).arrayBuffer());
    expect(sha256(bytes)).toBe(sha256(readFileSync(file!)));
  }, 120_000);
});
