// No secret in a log: every API key, access token, refresh token and upload token the client handles is
// registered, so even a careless log line that prints them raw comes out masked in the log file.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createClient } from '../../../main/apivideo';
import { createLogger } from '../../../main/log/logger';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { startRecorder, type Recorder } from '../../support/recorder';

let sandbox: TestSandbox;
let recorder: Recorder;
const dir = mkdtempSync(join(tmpdir(), 'convoy-redaction-'));

beforeAll(async () => {
  sandbox = await startTestSandbox();
  recorder = await startRecorder(sandbox.url);
});
afterAll(async () => {
  await recorder?.close();
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every secret value that crossed the wire, read from the recorded bodies. */
function secretsOnTheWire(): string[] {
  const found = new Set<string>();
  for (const exchange of recorder.exchanges) {
    for (const body of [exchange.requestBody, exchange.responseBody]) {
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        continue;
      }
      const visit = (value: unknown): void => {
        if (Array.isArray(value)) value.forEach(visit);
        else if (value && typeof value === 'object') {
          for (const [key, inner] of Object.entries(value)) {
            if (
              ['apiKey', 'access_token', 'refresh_token', 'refreshToken', 'token'].includes(key) &&
              typeof inner === 'string'
            )
              found.add(inner);
            else visit(inner);
          }
        }
      };
      visit(json);
    }
  }
  return [...found];
}

it('masks keys and tokens the client handled, wherever a log line puts them', async () => {
  const client = createClient({
    baseUrl: recorder.url,
    auth: { kind: 'bearer', apiKey: sandbox.apiKey },
    profileName: 'Work',
  });
  const { token } = await client.uploadTokens.create(0);
  await sandbox.advanceClock(3700);
  await client.uploadTokens.list(); // 401 -> refresh: a second access/refresh pair
  const tokenClient = createClient({ baseUrl: recorder.url, auth: { kind: 'uploadToken', token } });
  await tokenClient.check();
  await client.uploadTokens.delete(token);
  const refused = await tokenClient.check();

  const secrets = secretsOnTheWire();
  expect(secrets.length).toBeGreaterThanOrEqual(6); // key, 2 access, 2 refresh (one sent back), upload token
  expect(secrets).toContain(sandbox.apiKey);
  expect(secrets).toContain(token);

  const file = join(dir, 'convoy.log');
  const log = createLogger(file);
  const unregistered = randomBytes(32).toString('base64url');
  for (const secret of secrets) {
    log.log('info', 'test', `bare ${secret} end`);
    log.log('info', 'test', `plain text mention: the value was ${secret}, see`);
  }
  for (const exchange of recorder.exchanges)
    log.log('debug', 'wire', `${exchange.method} ${exchange.path} ${exchange.requestBody} -> ${exchange.responseBody}`);
  log.log('warn', 'test', refused.message);
  log.log('info', 'control', `unregistered ${unregistered}`);

  const text = readFileSync(file, 'utf8');
  for (const secret of secrets) expect(text.includes(secret), `a secret of length ${secret.length} leaked`).toBe(false);
  expect(text).toContain('[redacted]');
  // Control: masking comes from registration, not from hiding everything.
  expect(text).toContain(unregistered);
});
