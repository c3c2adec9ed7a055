// Player themes: create, get, list, update and delete a theme (its colours and switches), upload and delete its logo
// (JPEG or PNG, at most 100 KiB and 200×100 px, served under /player/<id>/), and the check of a video's playerId.
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { SandboxContext } from './context';
import type { PlayerThemeRecord } from './state';
import { ApiProblem } from './problems';
import { atom } from './clock';
import { enumParam } from './http';
import { paginate } from './pagination';
import { parseOrThrow } from './payloads';
import { imageType } from '../lib/image-signature';
import { imageSize } from './image-types';
import { newPlayerId } from './resource-ids';
import { accountFile, keepSidecar, receiveSidecar, removeFile, sidecarBytes, withSidecar } from './sidecar-files';

/** The logo limits the spec states for POST /players/{playerId}/logo. */
export const MAX_LOGO_BYTES = 100 * 1024;
const MAX_LOGO_WIDTH = 200;
const MAX_LOGO_HEIGHT = 100;

const COLOURS = [
  'text',
  'link',
  'linkHover',
  'linkActive',
  'trackPlayed',
  'trackUnplayed',
  'trackBackground',
  'backgroundTop',
  'backgroundBottom',
  'backgroundText',
] as const;
const SWITCHES = ['enableApi', 'enableControls', 'forceAutoplay', 'hideTitle', 'forceLoop'] as const;

/** The defaults the spec's descriptions state (linkActive has none); applied at creation. */
const DEFAULTS: Record<string, string | boolean> = {
  text: 'rgba(255, 255, 255, 1)',
  link: 'rgba(255, 255, 255, 1)',
  linkHover: 'rgba(255, 255, 255, 1)',
  trackPlayed: 'rgba(88, 131, 255, .95)',
  trackUnplayed: 'rgba(255, 255, 255, .35)',
  trackBackground: 'rgba(255, 255, 255, .2)',
  backgroundTop: 'rgba(0, 0, 0, .7)',
  backgroundBottom: 'rgba(0, 0, 0, .7)',
  backgroundText: 'rgba(255, 255, 255, 1)',
  enableApi: true,
  enableControls: true,
  forceAutoplay: false,
  hideTitle: false,
  forceLoop: false,
};

/** player-theme-creation-payload and player-theme-update-payload: the same fields, none required. */
const themePayload = z
  .object({
    name: z.string().max(100),
    ...Object.fromEntries(COLOURS.map((key) => [key, z.string()])),
    ...Object.fromEntries(SWITCHES.map((key) => [key, z.boolean()])),
  })
  .partial();

const SORT_KEYS = ['name', 'createdAt', 'updatedAt'] as const;

export const logoFile = (ctx: SandboxContext, playerId: string): string => accountFile(ctx, 'logos', playerId);

/** The public URL of a theme's logo (the spec's `assets.logo`). */
const logoUrl = (ctx: SandboxContext, theme: PlayerThemeRecord): string =>
  `${ctx.baseUrl}/player/${theme.playerId}/logo.${theme.logo?.contentType === 'image/png' ? 'png' : 'jpg'}`;

function present(ctx: SandboxContext, theme: PlayerThemeRecord) {
  return {
    ...theme.settings,
    playerId: theme.playerId,
    createdAt: atom(theme.createdAt),
    updatedAt: atom(theme.updatedAt),
    ...(theme.logo
      ? { assets: { logo: logoUrl(ctx, theme), ...(theme.logo.link === null ? {} : { link: theme.logo.link }) } }
      : {}),
  };
}

export function findPlayerTheme(ctx: SandboxContext, playerId: string): PlayerThemeRecord {
  const theme = Object.hasOwn(ctx.state.playerThemes, playerId) ? ctx.state.playerThemes[playerId] : undefined;
  if (!theme) throw new ApiProblem('resource-not-found', 'playerId');
  return theme;
}

/** A video's playerId must name an existing theme: 400 invalid-attribute otherwise. */
export function checkPlayerId(ctx: SandboxContext, playerId: string): void {
  if (!Object.hasOwn(ctx.state.playerThemes, playerId))
    throw new ApiProblem('invalid-attribute', 'playerId', `"playerId": no player theme ${playerId} exists.`);
}

export function createPlayerTheme(ctx: SandboxContext, body: unknown) {
  const payload = parseOrThrow(themePayload, body);
  const now = ctx.clock.now();
  const theme: PlayerThemeRecord = {
    playerId: newPlayerId(),
    createdAt: now,
    updatedAt: now,
    settings: { ...DEFAULTS, ...payload },
    logo: null,
  };
  ctx.state.playerThemes[theme.playerId] = theme;
  ctx.save();
  return present(ctx, theme);
}

export const getPlayerTheme = (ctx: SandboxContext, playerId: string) => present(ctx, findPlayerTheme(ctx, playerId));

export function listPlayerThemes(ctx: SandboxContext, query: URLSearchParams) {
  const sortBy = enumParam(query, 'sortBy', SORT_KEYS, 'createdAt');
  const direction = enumParam(query, 'sortOrder', ['asc', 'desc'] as const, 'asc') === 'asc' ? 1 : -1;
  const key = (theme: PlayerThemeRecord): string | number =>
    sortBy === 'name' ? String(theme.settings.name ?? '') : theme[sortBy];
  const found = Object.values(ctx.state.playerThemes).sort((a, b) => {
    const [left, right] = [key(a), key(b)];
    return direction * (left < right ? -1 : left > right ? 1 : a.createdAt - b.createdAt);
  });
  return paginate(
    found.map((theme) => present(ctx, theme)),
    ctx.baseUrl,
    '/players',
    query,
  );
}

export function updatePlayerTheme(ctx: SandboxContext, playerId: string, body: unknown) {
  const theme = findPlayerTheme(ctx, playerId);
  Object.assign(theme.settings, parseOrThrow(themePayload, body));
  theme.updatedAt = ctx.clock.now();
  ctx.save();
  return present(ctx, theme);
}

/** Deletes the theme and its logo; videos that used it keep playing with the default player (playerId removed). */
export function deletePlayerTheme(ctx: SandboxContext, playerId: string): void {
  findPlayerTheme(ctx, playerId);
  delete ctx.state.playerThemes[playerId];
  for (const video of [...Object.values(ctx.state.videos), ...Object.values(ctx.state.discardedVideos)])
    if (video.playerId === playerId) video.playerId = null;
  ctx.save();
  removeFile(logoFile(ctx, playerId));
}

/** POST /players/{id}/logo: multipart `file` (JPEG or PNG within the limits) and an optional `link`. */
export async function uploadLogo(ctx: SandboxContext, playerId: string, req: IncomingMessage, body: Readable) {
  findPlayerTheme(ctx, playerId);
  const upload = await receiveSidecar(ctx, req, body, MAX_LOGO_BYTES);
  return withSidecar(upload, () => {
    const bytes = sidecarBytes(upload);
    const contentType = imageType(bytes);
    if (contentType !== 'image/jpeg' && contentType !== 'image/png')
      throw new ApiProblem('uploaded-file-invalid-file', 'file', 'A logo must be a JPEG or PNG image.');
    const size = imageSize(bytes);
    if (!size || size.width > MAX_LOGO_WIDTH || size.height > MAX_LOGO_HEIGHT)
      throw new ApiProblem(
        'uploaded-file-invalid-file',
        'file',
        `A logo must fit within ${MAX_LOGO_WIDTH}×${MAX_LOGO_HEIGHT} px${size ? ` (this one is ${size.width}×${size.height})` : ''}.`,
      );
    const link = upload.fields.link;
    if (link !== undefined && link !== '' && !/^https?:\/\/\S+$/i.test(link))
      throw new ApiProblem('invalid-attribute', 'link', '"link" must be an http(s) URL.');
    const theme = findPlayerTheme(ctx, playerId);
    keepSidecar(upload, logoFile(ctx, playerId));
    theme.logo = { contentType, link: link || null };
    theme.updatedAt = ctx.clock.now();
    ctx.save();
    return present(ctx, theme);
  });
}

export function deleteLogo(ctx: SandboxContext, playerId: string): void {
  const theme = findPlayerTheme(ctx, playerId);
  if (theme.logo !== null) {
    theme.logo = null;
    theme.updatedAt = ctx.clock.now();
    ctx.save();
  }
  removeFile(logoFile(ctx, playerId));
}

/** The stored logo of a theme, for /player/<id>/logo.(png|jpg). */
export function storedLogo(ctx: SandboxContext, playerId: string): { path: string; contentType: string } {
  const theme = findPlayerTheme(ctx, playerId);
  if (!theme.logo) throw new ApiProblem('resource-not-found', 'logo', 'This player theme has no logo.');
  return { path: logoFile(ctx, playerId), contentType: theme.logo.contentType };
}
