// Per-caller rate limits: each API key (Basic or a Bearer token minted from it), each upload token and each client
// address of unauthenticated endpoints has its own counters; the presets and X-RateLimit-* headers are unchanged.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { sandboxForFile } from '../../support/sandbox';
import { form, randomBytesOf } from './spec';

const sb = sandboxForFile();
/** the second API key, minted through the test control */
let otherKey: string;

const basic = (key: string) => ({ Authorization: 'Basic ' + Buffer.from(`${key}:`).toString('base64') });
const json = { 'Content-Type': 'application/json' };

beforeEach(async () => {
  await sb().reset();
  await sb().setRateLimit('sandbox');
  // Counts are per minute of the sandbox clock: start each test at the top of a fresh minute, so a test that
  // fills the window never sees it turn half-way (it did when a run crossed a minute boundary).
  const { now } = (await (
    await fetch(`${sb().url}/_sandbox/clock`, { method: 'POST', headers: json, body: '{"advanceSeconds":0}' })
  ).json()) as { now: string };
  await sb().advanceClock(60 - ((Date.parse(now) / 1000) % 60) + 0.5);
  const added = await fetch(`${sb().url}/_sandbox/api-keys`, { method: 'POST' });
  expect(added.status).toBe(201);
  otherKey = ((await added.json()) as { apiKey: string }).apiKey;
  expect(otherKey).not.toBe(sb().apiKey);
});

interface Limited {
  status: number;
  limit: number;
  remaining: number;
  body: unknown;
}

async function send(path: string, init: RequestInit = {}): Promise<Limited> {
  const reply = await fetch(sb().url + path, init);
  const text = await reply.text();
  return {
    status: reply.status,
    limit: Number(reply.headers.get('x-ratelimit-limit')),
    remaining: Number(reply.headers.get('x-ratelimit-remaining')),
    body: text ? JSON.parse(text) : null,
  };
}

const createToken = (headers: Record<string, string>) =>
  send('/upload-tokens', { method: 'POST', headers: { ...headers, ...json }, body: '{}' });

async function login(key: string): Promise<Record<string, string>> {
  const reply = await send('/auth/api-key', { method: 'POST', headers: json, body: JSON.stringify({ apiKey: key }) });
  expect(reply.status).toBe(200);
  return { Authorization: `Bearer ${(reply.body as { access_token: string }).access_token}` };
}

/** Sends writes as `headers` until the sandbox preset (40/min) is spent; the next one is refused. */
async function exhaustWrites(headers: Record<string, string>): Promise<void> {
  for (let i = 0; i < 40; i += 1) expect((await createToken(headers)).status).toBe(200);
  const refused = await createToken(headers);
  expect(refused.status).toBe(429);
  expect(refused.remaining).toBe(0);
  expect(refused.body).toEqual({
    type: 'https://docs.api.video/reference/too-many-requests',
    title: 'Too many requests.',
    status: 429,
  });
}

describe('per-caller rate limits', () => {
  it('gives two API keys independent counters, shared by Basic and the Bearer tokens of the same key', async () => {
    const bearerA = await login(sb().apiKey);
    const bearerB = await login(otherKey);
    await exhaustWrites(basic(sb().apiKey));
    expect((await createToken(bearerA)).status).toBe(429);

    const first = await createToken(basic(otherKey));
    expect(first).toMatchObject({ status: 200, limit: 40, remaining: 39 });
    expect(await createToken(bearerB)).toMatchObject({ status: 200, limit: 40, remaining: 38 });
    // reads are a class of their own, for the exhausted key too
    expect(await send('/upload-tokens', { headers: basic(sb().apiKey) })).toMatchObject({
      status: 200,
      limit: 100,
      remaining: 99,
    });

    await sb().advanceClock(61);
    expect(await createToken(basic(sb().apiKey))).toMatchObject({ status: 200, remaining: 39 });
  });

  it('counts delegated uploads per upload token, apart from the key that created it', async () => {
    const video = (await (
      await fetch(`${sb().url}/videos`, {
        method: 'POST',
        headers: { ...basic(sb().apiKey), ...json },
        body: '{"title":"t"}',
      })
    ).json()) as { videoId: string };
    const chunk = () => form(randomBytesOf(10));
    // the first upload completes the video, the rest answer 400 but count all the same
    for (let i = 0; i < 40; i += 1)
      expect(
        (await send(`/videos/${video.videoId}/source`, { method: 'POST', headers: basic(sb().apiKey), body: chunk() }))
          .status,
      ).not.toBe(429);
    expect(
      (await send(`/videos/${video.videoId}/source`, { method: 'POST', headers: basic(sb().apiKey), body: chunk() }))
        .status,
    ).toBe(429);

    const tokens = [(await createToken(basic(sb().apiKey))).body, (await createToken(basic(sb().apiKey))).body] as {
      token: string;
    }[];
    const first = await send(`/upload?token=${tokens[0]!.token}`, { method: 'POST', body: chunk() });
    expect(first).toMatchObject({ status: 201, limit: 40, remaining: 39 });
    expect(await send(`/upload?token=${tokens[0]!.token}`, { method: 'POST', body: chunk() })).toMatchObject({
      status: 201,
      remaining: 38,
    });
    expect(await send(`/upload?token=${tokens[1]!.token}`, { method: 'POST', body: chunk() })).toMatchObject({
      status: 201,
      remaining: 39,
    });
  });

  it('counts unauthenticated endpoints and bad credentials by client address, not against a key', async () => {
    await exhaustWrites(basic(sb().apiKey));
    const viaAddress = await send('/auth/api-key', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ apiKey: sb().apiKey }),
    });
    expect(viaAddress).toMatchObject({ status: 200, limit: 40, remaining: 39 });
    expect(
      await send('/upload-tokens', { method: 'POST', headers: { ...basic('not-a-key'), ...json }, body: '{}' }),
    ).toMatchObject({ status: 401, remaining: 38 });
    expect(await createToken(basic(otherKey))).toMatchObject({ status: 200, remaining: 39 });
  });

  it('keeps added keys and the key behind each access token across a restart, and loads a state file from before them', async () => {
    const bearerB = await login(otherKey);
    await sb.restart();
    await sb().setRateLimit('sandbox');
    expect(await createToken(basic(otherKey))).toMatchObject({ status: 200, remaining: 39 });
    expect(await createToken(bearerB)).toMatchObject({ status: 200, remaining: 38 });

    const stateFile = join(sb().dataDir, 'state.json');
    const {
      tokenOwners: _owners,
      addedApiKeys: _added,
      ...older
    } = JSON.parse(readFileSync(stateFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(stateFile, JSON.stringify(older)); // no request until the restart: nothing rewrites it
    await sb.restart();
    expect((await send('/upload-tokens', { headers: basic(sb().apiKey) })).status).toBe(200);
    expect((await send('/upload-tokens', { headers: basic(otherKey) })).status).toBe(401);
  });
});
