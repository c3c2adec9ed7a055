// A server that writes the request's credentials back into its error text, as some proxies and debug builds do:
// whether it echoes the whole "Authorization: Bearer …" header or only the bare token, no key or token it saw may
// reach a bridge envelope, an event to the page, the journal or the log.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { QueueSnapshot } from '../../../common/api';
import { startCore, type Core } from '../../../main/core';
import { startLocalServer, type LocalServer } from '../../support/local-server';
import { makeClip } from '../../support/media-clips';
import { scratchDirs } from '../../support/scratch-dirs';

const scratch = scratchDirs('echo');
const dataDir = mkdtempSync(join(tmpdir(), 'convoy-echo-data-'));
let core: Core;
let echo: LocalServer;
/** Every credential the echoing server was sent: Authorization values, bare tokens, keys in bodies. */
const seen = new Set<string>();

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** A problem reply carrying the caller's credentials, once with the header's name and once bare. */
function echoProblem(authorization: string): string {
  const bare = authorization.replace(/^\w+\s+/, '');
  return JSON.stringify({
    type: 'https://docs.api.video/reference/invalid-request',
    title: `Refused ${bare}`,
    detail: `Debug: request had Authorization: ${authorization}; token ${bare} is not allowed here.`,
    status: 400,
  });
}

beforeAll(async () => {
  core = await startCore({ dataDir, platform: { mode: 'browser', secretCipher: null }, version: '0.0.0-test' });
  const upstream = core.sandbox.url;
  echo = await startLocalServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      const body = Buffer.concat(parts);
      const authorization = String(req.headers.authorization ?? '');
      if (authorization) {
        seen.add(authorization);
        seen.add(authorization.replace(/^\w+\s+/, ''));
      }
      const path = (req.url ?? '').split('?')[0] ?? '';
      const refuse =
        (req.method === 'POST' && /^\/videos\/[^/]+\/source$/.test(path)) ||
        (req.method === 'POST' && path === '/upload-tokens');
      if (refuse && authorization) {
        res.writeHead(400, { 'Content-Type': 'application/problem+json' }).end(echoProblem(authorization));
        return;
      }
      // Everything else goes to the real sandbox, so the key checks out and the token exchange is real.
      void fetch(`${upstream}${req.url ?? '/'}`, {
        method: req.method ?? 'GET',
        headers: Object.fromEntries(
          Object.entries(req.headers).filter(([k, v]) => typeof v === 'string' && !['host', 'connection'].includes(k)),
        ) as Record<string, string>,
        ...(body.length > 0 ? { body } : {}),
      }).then(async (reply) => {
        const text = await reply.text();
        const headers: Record<string, string> = {};
        reply.headers.forEach((value, key) => {
          if (!['content-length', 'transfer-encoding', 'connection', 'content-encoding'].includes(key))
            headers[key] = value;
        });
        res.writeHead(reply.status, headers).end(text);
      });
    });
  });
}, 60_000);

afterAll(async () => {
  await core?.close();
  await echo?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

it('keeps every echoed key and token out of envelopes, events, the journal and the log', async () => {
  const events: string[] = [];
  core.events.subscribe((name, payload) => events.push(`${name} ${JSON.stringify(payload)}`));
  const envelopes: string[] = [];
  const call = async (channel: string, payload: unknown) => {
    const envelope = await core.router.dispatch(channel, payload);
    envelopes.push(`${channel} ${JSON.stringify(envelope)}`);
    return envelope;
  };

  const added = await call('profiles.add', {
    name: 'Echo',
    environment: { kind: 'custom', baseUrl: echo.url },
    auth: { kind: 'bearer', apiKey: core.sandbox.apiKey },
    secretStorage: 'session',
  });
  expect(added.ok).toBe(true);
  const profileId = (added as { value: { profile: { id: string } } }).value.profile.id;
  await call('profiles.activate', { id: profileId });

  // A handler's error built from the server's text: creating an upload token is refused with the echo.
  const created = await call('tokens.create', { ttl: 60 });
  expect(created.ok).toBe(false);

  // A job's reason built from the server's text: every chunk is refused with the echo.
  const clip = await makeClip(scratch(), { container: 'mp4', seconds: 1, width: 160, height: 90 });
  expect((await call('queue.add', { paths: [clip] })).ok).toBe(true);
  let snapshot: QueueSnapshot | undefined;
  await expect
    .poll(
      async () => {
        const envelope = await call('queue.snapshot', {});
        snapshot = (envelope as { value: QueueSnapshot }).value;
        return snapshot.jobs.map((job) => job.state).join(',');
      },
      { timeout: 30_000, interval: 200 },
    )
    .toBe('failed');
  // The refusal did reach the user, credentials masked: the test sees the server's text, not an empty reason.
  expect(snapshot?.jobs[0]?.reason).toMatch(/Refused \[redacted\]/);
  await core.engine.idle();

  const secrets = [...seen, core.sandbox.apiKey].filter((s) => s.length >= 8);
  expect(seen.size).toBeGreaterThanOrEqual(2);
  // The embedded sandbox keeps its own key in its folder by design (it is the server side).
  const dataFiles = filesUnder(dataDir).filter((f) => !f.startsWith(join(dataDir, 'sandbox') + sep));
  const journal = dataFiles.filter((f) => f.startsWith(join(dataDir, 'uploads') + sep));
  const logs = dataFiles.filter((f) => f.endsWith('.log'));
  expect(journal.length).toBeGreaterThan(0);
  expect(logs.length).toBeGreaterThan(0);
  const exits: [string, string][] = [
    ['bridge envelopes', envelopes.join('\n')],
    ['events to the page', events.join('\n')],
    ...[...journal, ...logs].map((f): [string, string] => [f, readFileSync(f, 'latin1')]),
  ];
  for (const [where, text] of exits)
    for (const secret of secrets) expect(text.includes(secret), `${where} holds a credential`).toBe(false);
}, 60_000);
