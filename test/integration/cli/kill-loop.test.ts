// The CLI killed with SIGKILL at random moments and run again until it reports success: every file ends up
// on the server exactly once and byte-identical, and little is sent twice. With an API key, and with a
// delegated upload token whose first replies are lost right before a kill (helped by --lookup-key-env).
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type ApiVideoClient } from '../../../main/apivideo/index';
import { FINGERPRINT_KEY } from '../../../main/uploads/index';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { allVideos, makeVideos, MiB, sha256, tempDir } from '../uploads/helpers';

const root = new URL('../../../', import.meta.url).pathname;

interface RunResult {
  code: number | null;
  killed: boolean;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; kills it `killAfter` ms after its first output line, or once `killAfter()` resolves. */
function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  killAfter: number | (() => Promise<unknown>) | null,
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli/convoy.ts', ...args], {
      cwd: root,
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let killed = false;
    let timer: NodeJS.Timeout | null = null;
    // Kill once the queue is journaled (the first NDJSON line), at a random moment after it.
    const kill = () => {
      killed = true;
      child.kill('SIGKILL');
    };
    child.stdout.once('data', () => {
      if (typeof killAfter === 'number') timer = setTimeout(kill, killAfter);
      else if (killAfter) void killAfter().then(kill);
    });
    child.on('exit', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, killed, stdout, stderr });
    });
  });
}

describe('convoy upload survives SIGKILL at any moment', () => {
  let sandbox: TestSandbox;
  let client: ApiVideoClient;
  let dir: string;
  let stateDir: string;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    client = createClient({ baseUrl: sandbox.url, auth: { kind: 'bearer', apiKey: sandbox.apiKey } });
    dir = tempDir('kill-files');
    stateDir = tempDir('kill-state');
  });
  afterAll(async () => {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  });

  /** `convoy upload <files>` to the sandbox with these credentials: 5 MiB parts, 3 at a time, --json. */
  const uploadArgs = (files: string, state: string, credentials: string[]) => [
    'upload',
    files,
    '--base-url',
    sandbox.url,
    ...credentials,
    '--chunk-size',
    '5MiB',
    '--concurrency',
    '3',
    '--state-dir',
    state,
    '--json',
  ];

  it('re-runs until done: one byte-identical video per file', async () => {
    const files = await makeVideos(dir, [6 * MiB, 11 * MiB, 16 * MiB, 20 * MiB]);
    await sandbox.setFaults({ connectionBytesPerSec: 6 * MiB });
    const args = uploadArgs(dir, stateDir, ['--api-key-env', 'KILL_TEST_KEY']);
    const env = { KILL_TEST_KEY: sandbox.apiKey };
    let kills = 0;
    let last: RunResult | null = null;
    for (let round = 0; round < 25; round += 1) {
      // Anywhere from while the first containers are created to several chunks in.
      const killAt = round < 6 ? Math.floor(Math.random() * 1500) : null;
      last = await runCli(args, env, killAt);
      if (last.killed) {
        kills += 1;
        continue;
      }
      break;
    }
    expect(last?.code, last?.stderr).toBe(0);
    expect(kills).toBeGreaterThanOrEqual(3);
    expect(last!.stderr).not.toContain(sandbox.apiKey);
    expect(last!.stdout).not.toContain(sandbox.apiKey);
    await sandbox.clearFaults();

    const videos = await allVideos(client);
    expect(videos).toHaveLength(files.length);
    for (const path of files) {
      const content = readFileSync(path);
      const matches = [];
      for (const video of videos) {
        const mp4 = (await client.videos.get(video.videoId)).assets?.mp4;
        const response = await fetch(mp4!);
        if (response.ok && sha256(Buffer.from(await response.arrayBuffer())) === sha256(content)) matches.push(video);
      }
      expect(matches, path).toHaveLength(1);
      expect(matches[0]!.metadata?.some((m) => m.key === FINGERPRINT_KEY)).toBe(true);
    }
    const stats = await sandbox.stats();
    const total = files.reduce((sum, path) => sum + readFileSync(path).length, 0);
    // Re-sent bytes: at most the chunks in flight at each kill (3 requests × 5 MiB).
    expect(stats.bytesReceived).toBeLessThanOrEqual(total + kills * 3 * 5 * MiB + 5 * MiB);
  }, 240_000);

  it('with an upload token: killed after first chunks whose replies were lost, and at random, still one video per file', async () => {
    await sandbox.reset();
    const tokenDir = tempDir('kill-token-files');
    const tokenState = tempDir('kill-token-state');
    try {
      const files = await makeVideos(tokenDir, [7 * MiB, 12 * MiB, 16 * MiB]);
      const { token } = await client.uploadTokens.create(0);
      const args = uploadArgs(tokenDir, tokenState, ['--upload-token', token, '--lookup-key-env', 'KILL_TEST_KEY']);
      const env = { KILL_TEST_KEY: sandbox.apiKey };

      // The state a crash between the server's first reply and the journal leaves: the server made the videos,
      // the journal never learnt their ids. Their replies are lost; the CLI is killed before it can try again.
      await sandbox.setFaults({ connectionBytesPerSec: 6 * MiB, loseUploadReplies: 3 });
      const videosMade = async () => {
        for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 20))) {
          if ((await allVideos(client)).length >= 3) return;
        }
      };
      const first = await runCli(args, env, videosMade);
      expect(first.killed).toBe(true);
      expect(await allVideos(client)).toHaveLength(3); // the first chunks landed; nobody knows their videos yet
      await sandbox.setFaults({ connectionBytesPerSec: 6 * MiB });

      let last: RunResult | null = null;
      for (let round = 0; round < 25; round += 1) {
        last = await runCli(args, env, round < 3 ? Math.floor(Math.random() * 1500) : null);
        if (!last.killed) break;
      }
      expect(last?.code, last?.stderr).toBe(0);
      expect(last!.stdout + last!.stderr).not.toContain(token);
      await sandbox.clearFaults();

      const videos = await allVideos(client);
      expect(videos).toHaveLength(files.length);
      for (const path of files) {
        const content = sha256(readFileSync(path));
        let matches = 0;
        for (const video of videos) {
          const mp4 = (await client.videos.get(video.videoId)).assets?.mp4;
          const response = await fetch(mp4!);
          if (response.ok && sha256(Buffer.from(await response.arrayBuffer())) === content) matches += 1;
        }
        expect(matches, path).toBe(1);
      }
    } finally {
      rmSync(tokenDir, { recursive: true, force: true });
      rmSync(tokenState, { recursive: true, force: true });
    }
  }, 240_000);
});
