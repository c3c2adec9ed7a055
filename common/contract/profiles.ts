// Contract: profiles (who uploads, where) and the upload tokens of the active profile.
// Only non-secret views cross the bridge: a profile shows the last four characters of its key, never the key.
import { z } from 'zod';
import { event, request } from './define';

export const environmentKinds = ['local', 'sandbox', 'production', 'custom'] as const;
export type EnvironmentKind = (typeof environmentKinds)[number];

export interface EnvironmentView {
  kind: EnvironmentKind;
  /** Resolved base URL (for 'local': the embedded sandbox's loopback URL once it runs). */
  baseUrl: string;
  label: string;
  /**
   * A custom server on plain http:// to another machine, added with `allowInsecureHttp`: its key and videos cross
   * the network unencrypted. The card says so.
   */
  insecureHttp?: true;
}

export type AuthKind = 'bearer' | 'basic' | 'uploadToken';

export interface ProfileView {
  id: string;
  name: string;
  environment: EnvironmentView;
  authKind: AuthKind;
  /** e.g. "••••a1b2" */
  keyHint: string;
  /** Where the secret lives: encrypted on disk, or in memory for this session only. */
  secretStorage: 'encrypted' | 'session';
  /** False once a session-only secret is gone (after a restart): the profile needs its key again. */
  hasSecret: boolean;
  createdAt: string;
  /** True for the Local sandbox profile: its URL and key come from the embedded sandbox at runtime. */
  builtIn?: boolean;
  /** Upload-token profiles: when the token expires (ISO), null when it never does; absent when unknown. */
  tokenExpiresAt?: string | null;
  /** Where that expiry came from: read from the server with an API-key profile, or typed in by the user. */
  tokenExpirySource?: 'server' | 'user';
  /**
   * Upload-token profiles: the API-key profile of the same account, when one is known. A token can only send the
   * file; through that key Convoy sets the video's title, description, tags and privacy, follows its encoding,
   * finds a lost first reply and deletes abandoned uploads, while its key is entered (`hasSecret`). Absent: the
   * video keeps the file name and stays public.
   */
  accountKeyProfile?: { id: string; name: string; hasSecret: boolean };
}

export interface ProfilesState {
  profiles: ProfileView[];
  activeId: string | null;
}

export interface ConnectionCheck {
  ok: boolean;
  /** What the server answered, in plain words, naming the profile and server. */
  message: string;
  /** The result alone, for a card that already names them: "Key works · 2 active upload tokens". */
  summary: string;
}

/** A token's expiry as a person gives it: ISO 8601 with a time zone, seconds optional, a real day (dialog, CLI). */
export const tokenExpiryInput = z.union([
  z.iso.datetime({ offset: true }),
  z.iso.datetime({ offset: true, precision: -1 }),
]);

/** Whether `hostname` (as URL.hostname gives it) is this machine: localhost, 127.0.0.0/8 or ::1. */
export function isLoopbackHostname(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '[::1]' ||
    /^127(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(host)
  );
}

/**
 * True when a custom server's address is plain http:// to another machine: the key, its tokens and the videos
 * would cross the network unencrypted, so adding it needs `allowInsecureHttp: true`. False for https://, for
 * http:// on this machine, and for text that is not a URL (refused for that reason elsewhere).
 */
export function needsInsecureHttpConsent(baseUrl: string): boolean {
  try {
    const url = new URL(baseUrl.trim());
    return url.protocol === 'http:' && !isLoopbackHostname(url.hostname);
  } catch {
    return false;
  }
}

/** Why a plain-http custom server was refused without `allowInsecureHttp` (field 'environment.allowInsecureHttp'). */
export const insecureHttpRefusal =
  'This address uses plain http:// to another machine: the key and your videos would cross the network unencrypted, readable and changeable by anyone on the way. Use https://, or confirm that you accept this for this server.';

export const environmentInput = z
  .object({
    kind: z.enum(environmentKinds),
    /** Required for 'custom': http(s) URL, no query or fragment. */
    baseUrl: z.string().max(2000).optional(),
    /**
     * The user's explicit consent to a custom server on plain http:// to another machine (see
     * needsInsecureHttpConsent); without it such a profile is refused with `insecureHttpRefusal`.
     */
    allowInsecureHttp: z.literal(true).optional(),
  })
  .strict();

export const authInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('bearer'), apiKey: z.string().min(1).max(500) }).strict(),
  z.object({ kind: z.literal('basic'), apiKey: z.string().min(1).max(500) }).strict(),
  z
    .object({
      kind: z.literal('uploadToken'),
      token: z.string().min(1).max(500),
      /** When the token expires, if the user knows. Otherwise Convoy asks the server. */
      expiresAt: tokenExpiryInput.optional(),
    })
    .strict(),
]);

const id = z.object({ id: z.string().min(1).max(100) }).strict();
const add = z
  .object({
    name: z.string().trim().min(1).max(80),
    environment: environmentInput,
    auth: authInput,
    /** 'session': keep the secret in memory only (offered when encryption at rest is unavailable). */
    secretStorage: z.enum(['encrypted', 'session']).default('encrypted'),
  })
  .strict();
const rename = z.object({ id: z.string().min(1).max(100), name: z.string().trim().min(1).max(80) }).strict();
const provideSecret = z.object({ id: z.string().min(1).max(100), secret: z.string().min(1).max(500) }).strict();
const empty = z.object({}).strict();

export const profileRequests = {
  'profiles.list': request<typeof empty, ProfilesState>(empty),
  /** Validates the credentials with a real call to the environment before saving. */
  'profiles.add': request<typeof add, { profile: ProfileView; check: ConnectionCheck }>(add),
  'profiles.activate': request<typeof id, ProfilesState>(id),
  'profiles.rename': request<typeof rename, ProfilesState>(rename),
  'profiles.remove': request<typeof id, ProfilesState>(id),
  /** Gives a session-only profile its secret again after a restart. */
  'profiles.provideSecret': request<typeof provideSecret, { check: ConnectionCheck }>(provideSecret),
  'profiles.check': request<typeof id, ConnectionCheck>(id),
};

// ---- upload tokens ---------------------------------------------------------------------------

export interface UploadTokenView {
  token: string;
  ttl: number;
  createdAt: string;
  /** Absent when the token never expires (ttl 0). */
  expiresAt?: string;
}

export interface PaginationView {
  currentPage: number;
  pageSize: number;
  pagesTotal: number;
  itemsTotal: number;
  currentPageItems: number;
}

const tokenList = z
  .object({
    currentPage: z.number().int().min(1).default(1),
    pageSize: z.number().int().min(1).max(100).default(25),
    sortBy: z.enum(['createdAt', 'ttl']).default('createdAt'),
    sortOrder: z.enum(['asc', 'desc']).default('desc'),
  })
  .strict();
const tokenCreate = z.object({ ttl: z.number().int().min(0).max(2147483647) }).strict();
const tokenRef = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/) }).strict();

export const tokenRequests = {
  'tokens.list': request<typeof tokenList, { data: UploadTokenView[]; pagination: PaginationView }>(tokenList),
  'tokens.create': request<typeof tokenCreate, UploadTokenView>(tokenCreate),
  'tokens.get': request<typeof tokenRef, UploadTokenView>(tokenRef),
  'tokens.delete': request<typeof tokenRef, { deleted: true }>(tokenRef),
};

export const profileEvents = {
  'profiles.changed': event<ProfilesState>(),
};
