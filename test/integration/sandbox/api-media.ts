// Shared set-up of the sandbox API tests (api-*.test.ts): real pictures made by ffmpeg, WebVTT text, a real clip
// uploaded as a video's source, and the problem check against the sandbox's catalogue.
/* eslint-disable @typescript-eslint/no-explicit-any -- reply bodies are checked against the spec schemas at runtime */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { CATALOGUE, type ProblemSlug } from '../../../main/sandbox/problems';
import { makeClip } from '../../support/media-clips';
import { tempDir } from '../../support/temp-dirs';
import { api, createVideoOn, form, type ApiResult } from './spec';

const run = promisify(execFile);

export interface SandboxAccess {
  url: string;
  basicAuth: string;
  advanceClock(seconds: number): Promise<void>;
}

let scratch: string | null = null;
function scratchDir(): string {
  scratch ??= tempDir('api-media');
  return scratch;
}

/** A real picture (ffmpeg's test pattern in `color`) encoded as PNG or JPEG; its path and bytes. */
export async function makeImage(
  format: 'png' | 'jpg',
  { width = 64, height = 36, color = 'orange' } = {},
): Promise<{ path: string; bytes: Buffer }> {
  const path = join(scratchDir(), `${color}-${width}x${height}.${format}`);
  await run('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', `color=c=${color}:size=${width}x${height}`],
    ...['-frames:v', '1', path],
  ]);
  return { path, bytes: readFileSync(path) };
}

/** A WebVTT captions file with one cue per line of text, one second each. */
export function captionsVtt(...lines: string[]): string {
  const cue = (text: string, i: number) => `${i + 1}\n00:00:0${i}.000 --> 00:00:0${i + 1}.000\n${text}\n`;
  return `WEBVTT\n\n${lines.map(cue).join('\n')}`;
}

/** A WebVTT chapters file: one chapter title per second. */
export const chaptersVtt = (...titles: string[]): string => captionsVtt(...titles);

/** A real one-second MP4 clip in the scratch folder (test/support/media-clips.ts). */
export const clipFile = (): Promise<string> =>
  makeClip(scratchDir(), { container: 'mp4', seconds: 1, width: 320, height: 240 });

/** Creates a video and uploads a real clip as its source in one request; the video as the upload answered it. */
export async function videoWithClip(sb: SandboxAccess, payload: Record<string, unknown> = { title: 'clip' }) {
  const video = await createVideoOn(sb, payload);
  const clip = readFileSync(await clipFile());
  const uploaded = await api(`${sb.url}/videos/${video.videoId}/source`, {
    method: 'POST',
    template: '/videos/{videoId}/source',
    headers: { Authorization: sb.basicAuth },
    body: form(clip, {}, { filename: 'clip.mp4' }),
  });
  expect(uploaded.status).toBe(201);
  return uploaded.body;
}

/** A multipart body with one file part named `file`. */
export const fileForm = (bytes: Buffer | string, filename: string, fields: Record<string, string> = {}): FormData =>
  form(Buffer.from(bytes), fields, { filename });

/** The reply is the catalogue's problem for `slug` (type, title, status), with `name` when given. */
export function expectProblem(result: ApiResult, slug: ProblemSlug, name?: string): void {
  const [status, title] = CATALOGUE[slug];
  expect(result.body).toMatchObject({ type: `https://docs.api.video/reference/${slug}`, title, status });
  expect(result.status).toBe(status);
  if (name !== undefined) expect((result.body as any).name).toBe(name);
}
