// The sandbox CLI: --json first line, key generated once and reused with the same data dir, clean SIGTERM.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';

const dataDir = mkdtempSync(join(tmpdir(), 'convoy-sandbox-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function runOnce(
  extra: string[] = [],
): Promise<{ url: string; apiKey: string; dataDir: string; exitCode: number | null }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'main/sandbox/cli.ts', '--port', '0', '--data', dataDir, '--json', ...extra],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const firstLine = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`cli exited early with ${code}`)));
  });
  const info = JSON.parse(firstLine) as { url: string; apiKey: string; dataDir: string };
  const reply = await fetch(`${info.url}/videos`, {
    headers: { Authorization: 'Basic ' + Buffer.from(`${info.apiKey}:`).toString('base64') },
  });
  expect(reply.status).toBe(200);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  return { ...info, exitCode: await exited };
}

describe('sandbox CLI', () => {
  it('prints its URL and key as JSON, keeps the generated key for the same data dir, and exits cleanly on SIGTERM', async () => {
    const first = await runOnce();
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(first.dataDir).toBe(dataDir);
    expect(first.exitCode).toBe(0);
    const second = await runOnce();
    expect(second.apiKey).toBe(first.apiKey);
    const given = await runOnce(['--api-key', 'my-own-key-123']);
    expect(given.apiKey).toBe('my-own-key-123');
  });
});
