// The credential vault: profiles (who uploads, where) persisted in a key-value store, their secrets kept by
// SecretKeeper, one cached api.video client per profile, and the built-in profile on the Local sandbox ("Practice" on first run).
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { SecretStorageInfo } from '../../common/contract/app';
import type {
  ConnectionCheck,
  ProfileView,
  ProfilesState,
  authInput,
  environmentInput,
} from '../../common/contract/profiles';
import { insecureHttpRefusal, needsInsecureHttpConsent } from '../../common/contract/profiles';
import type { ApiVideoClient, Auth, ConnectionCheckResult } from '../apivideo';
import { BaseUrlError, createClient, environmentLabel, normalizeBaseUrl } from '../apivideo';
import { redact } from '../log/redact';
import type { SecretCipher } from '../platform';
import type { ProfileRecord } from './records';
import {
  LOCAL_SANDBOX_ID,
  LOCAL_SANDBOX_NAME,
  keyHintOf,
  profileRecordSchema,
  resolvedBaseUrl,
  toView,
} from './records';
import { SecretKeeper } from './secrets';
import type { KeyValueStore } from './store';
import { confStore } from './store';

export type { KeyValueStore } from './store';
export { LOCAL_SANDBOX_ID } from './records';

export interface AddProfileInput {
  name: string;
  environment: z.output<typeof environmentInput>;
  auth: z.output<typeof authInput>;
  /** 'session' keeps the secret in memory only; forced when encryption at rest is unavailable. */
  secretStorage?: 'encrypted' | 'session';
}

/** Proves a profile's credentials before they are kept; the default calls client.check(). */
export type ConnectionChecker = (client: ApiVideoClient) => Promise<ConnectionCheckResult>;

/**
 * What kind of refusal a VaultError is. Stable: callers branch on it, never on the message.
 * - 'invalid': the input is wrong (a name taken, a bad address, a past expiry).
 * - 'not-found': no profile has this id (it was removed, or never existed).
 * - 'check-failed': the server refused the credentials, or could not be reached, when they were checked.
 * - 'unsupported': the profile cannot do that (the Local sandbox takes no key).
 * - 'key-needed': the profile's key is not known this session (kept in memory only, or undecryptable); it has to
 *   be entered again (provideSecret), after which onChange fires.
 * - 'sandbox-not-running': the profile uses the Local sandbox, which is not running, so it has no address or key.
 */
export type VaultErrorCode =
  'invalid' | 'not-found' | 'check-failed' | 'unsupported' | 'key-needed' | 'sandbox-not-running';

/** A refusal the user can fix: `field` names the input that caused it, `code` what kind of refusal it is. */
export class VaultError extends Error {
  override readonly name = 'VaultError';
  constructor(
    message: string,
    readonly field?: string,
    readonly code: VaultErrorCode = 'invalid',
  ) {
    super(message);
  }
}

export interface Vault {
  list(): ProfilesState;
  get(id: string): ProfileView | undefined;
  activeId(): string | null;
  add(input: AddProfileInput, check?: ConnectionChecker): Promise<{ profile: ProfileView; check: ConnectionCheck }>;
  activate(id: string): ProfilesState;
  rename(id: string, name: string): ProfilesState;
  remove(id: string): ProfilesState;
  /** Gives a profile its secret again (session-only after a restart, or undecryptable); checked first. */
  provideSecret(id: string, secret: string, check?: ConnectionChecker): Promise<ConnectionCheck>;
  secretStorageInfo(): SecretStorageInfo;
  /**
   * The one client of this profile (shared bearer/refresh state). Throws a VaultError: 'not-found' for an unknown
   * (removed) profile, 'key-needed' when its key is not known this session, 'sandbox-not-running' when it uses the
   * Local sandbox and that is not running.
   */
  clientFor(profileId: string): ApiVideoClient;
  onChange(listener: (state: ProfilesState) => void): () => void;
  findByName(name: string): ProfileView | undefined;
  /** For an upload-token profile: the client of the API-key profile that found its token (same account), if any. */
  keyClientOfTokenAccount(profileId: string): ApiVideoClient | undefined;
  /** When an upload-token profile's token expires (epoch ms); undefined when it never does or nobody knows. */
  tokenExpiresAt(profileId: string): number | undefined;
}

export interface VaultOptions {
  /** The folder the profiles file lives in (conf's cwd) when no store is given. */
  dataDir: string;
  cipher: SecretCipher | null;
  store?: KeyValueStore;
  localSandbox?: () => { url: string; apiKey: string } | null;
  /** Sent as AV-Origin-App by every client of this vault, e.g. 'convoy-cli:0.1.0'. */
  originApp?: string;
  log?: (level: 'info' | 'warn', message: string) => void;
}

const KEYS = { profiles: 'profiles', activeId: 'activeId', localEnsured: 'localSandboxEnsured' } as const;

const defaultCheck: ConnectionChecker = (client) => client.check();

export function openVault(options: VaultOptions): Vault {
  const log = options.log ?? (() => {});
  const store = options.store ?? confStore(options.dataDir, (message) => log('warn', message));
  const secrets = new SecretKeeper(options.cipher);
  const local = () => options.localSandbox?.() ?? null;
  const listeners = new Set<(state: ProfilesState) => void>();
  const clients = new Map<string, { key: string; client: ApiVideoClient }>();

  // Entries that fail validation are kept as they are on every save, never dropped.
  const { records, unreadable } = loadRecords(store.get(KEYS.profiles), log);
  let active = typeof store.get(KEYS.activeId) === 'string' ? (store.get(KEYS.activeId) as string) : null;
  for (const record of records) {
    if (record.encryptedSecret && !secrets.restore(record.id, record.encryptedSecret)) {
      log(
        'warn',
        `The key of profile "${record.name}" cannot be decrypted on this system; it has to be entered again.`,
      );
    }
  }
  ensureLocalSandbox();
  if (active !== null && !records.some((r) => r.id === active)) active = records[0]?.id ?? null;

  function ensureLocalSandbox(): void {
    if (store.get(KEYS.localEnsured) === true) return;
    if (!records.some((r) => r.id === LOCAL_SANDBOX_ID)) {
      records.unshift({
        id: LOCAL_SANDBOX_ID,
        name: LOCAL_SANDBOX_NAME,
        environment: { kind: 'local' },
        authKind: 'bearer',
        keyHint: '',
        secretStorage: 'session',
        builtIn: true,
        createdAt: new Date().toISOString(),
      });
    }
    active ??= LOCAL_SANDBOX_ID;
    store.set(KEYS.localEnsured, true);
    persist();
  }

  function persist(): void {
    store.set(KEYS.profiles, [...records, ...unreadable]);
    if (active === null) store.delete(KEYS.activeId);
    else store.set(KEYS.activeId, active);
  }

  function secretOf(record: ProfileRecord): string | undefined {
    return record.builtIn ? local()?.apiKey : secrets.get(record.id);
  }

  /** For a token profile: the API-key profile found to be of its account, if it is still there. */
  function ownerOf(record: ProfileRecord | undefined): ProfileRecord | undefined {
    return record?.tokenOwner === undefined ? undefined : records.find((r) => r.id === record.tokenOwner);
  }

  /** The token profiles found to be of this key's account are no longer known to be (it left, or its key changed). */
  function forgetTokensOf(keyId: string): void {
    for (const other of records) if (other.tokenOwner === keyId) delete other.tokenOwner;
  }

  function view(record: ProfileRecord): ProfileView {
    const owner = ownerOf(record);
    return toView(record, {
      local: local(),
      hasSecret: secretOf(record) !== undefined,
      ...(owner
        ? { accountKeyProfile: { id: owner.id, name: owner.name, hasSecret: secretOf(owner) !== undefined } }
        : {}),
    });
  }

  function state(): ProfilesState {
    return { profiles: records.map(view), activeId: active };
  }

  function changed(): ProfilesState {
    persist();
    const current = state();
    for (const listener of listeners) listener(current);
    return current;
  }

  function find(id: string): ProfileRecord {
    const record = records.find((r) => r.id === id);
    if (!record)
      throw new VaultError(
        `There is no profile with id "${id}". It may have been removed; reload the list.`,
        'id',
        'not-found',
      );
    return record;
  }

  function assertNameFree(name: string, exceptId?: string): void {
    const taken = records.find((r) => r.id !== exceptId && r.name.toLowerCase() === name.trim().toLowerCase());
    if (taken) throw new VaultError(`A profile named "${taken.name}" already exists. Choose another name.`, 'name');
  }

  function buildClient(record: ProfileRecord, secret: string): ApiVideoClient {
    const baseUrl = resolvedBaseUrl(record, local());
    if (!baseUrl) {
      throw new VaultError(
        `Profile "${record.name}" uses the Local sandbox, which is not running. Start it, then try again.`,
        'environment.kind',
        'sandbox-not-running',
      );
    }
    const auth: Auth =
      record.authKind === 'uploadToken'
        ? { kind: 'uploadToken', token: secret }
        : { kind: record.authKind, apiKey: secret };
    return createClient({
      baseUrl,
      auth,
      profileName: record.name,
      environmentLabel: environmentLabel(record.environment.kind, baseUrl),
      environmentKind: record.environment.kind,
      ...(options.originApp ? { originApp: options.originApp } : {}),
    });
  }

  async function verified(record: ProfileRecord, secret: string, check: ConnectionChecker, secretField: string) {
    const client = buildClient(record, secret);
    const result = await check(client);
    if (!result.ok) {
      const kind = result.error?.kind;
      // A refused key points at the key; a bad request at nothing in particular; anything else (unreachable, a
      // redirect, a timeout) at a custom server's address.
      const field =
        kind === 'auth'
          ? secretField
          : kind === 'bad-request'
            ? undefined
            : record.environment.kind === 'custom'
              ? 'environment.baseUrl'
              : undefined;
      // Shown next to the field the user just filled in: the result alone, without naming the profile again.
      throw new VaultError(redact(result.summary), field, 'check-failed');
    }
    return { client, check: { ok: true, message: redact(result.message), summary: redact(result.summary) } };
  }

  /** The other profiles on the same server as this one (its address resolved once). */
  function profilesBeside(record: ProfileRecord): ProfileRecord[] {
    const sandbox = local();
    const baseUrl = resolvedBaseUrl(record, sandbox);
    return records.filter((other) => other.id !== record.id && resolvedBaseUrl(other, sandbox) === baseUrl);
  }

  /** The profiles with an API key (usable this session) on the same server as this one. */
  function keyProfilesBeside(record: ProfileRecord): ProfileRecord[] {
    return profilesBeside(record).filter((other) => other.authKind !== 'uploadToken' && secretOf(other) !== undefined);
  }

  /**
   * An upload token cannot tell its own expiry or find its videos; an API key of the same account can. Asks each
   * API-key profile on the same server in turn (or only `askers`); the first that knows the token is of its account.
   */
  async function lookUpToken(
    record: ProfileRecord,
    token: string,
    askers = keyProfilesBeside(record),
  ): Promise<{ ownerId: string; at: string | null } | undefined> {
    for (const other of askers) {
      try {
        const found = await vault.clientFor(other.id).uploadTokens.get(token);
        const at = found.expiresAt ? new Date(found.expiresAt) : null;
        if (at && Number.isNaN(at.getTime())) continue;
        return { ownerId: other.id, at: at ? at.toISOString() : null };
      } catch (error) {
        log(
          'info',
          `Profile "${other.name}" could not look up the token of "${record.name}": ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    return undefined;
  }

  /** Learns a token profile's expiry (the date the user typed wins) and the API-key profile of its account. */
  async function learnToken(
    record: ProfileRecord,
    token: string,
    typed?: string,
    askers?: ProfileRecord[],
  ): Promise<void> {
    if (typed !== undefined) {
      const at = new Date(typed);
      if (at.getTime() <= Date.now()) {
        throw new VaultError(
          `That expiry (${at.toISOString()}) has passed, yet the server still accepts the token. Check the date, or leave it empty.`,
          'auth.expiresAt',
        );
      }
      record.tokenExpiry = { at: at.toISOString(), source: 'user' };
    }
    const found = await lookUpToken(record, token, askers);
    if (!found) return;
    record.tokenOwner = found.ownerId;
    if (record.tokenExpiry?.source !== 'user') record.tokenExpiry = { at: found.at, source: 'server' };
  }

  /**
   * An API key newly usable on a server (added, or its key entered again): token profiles there that nobody could
   * look up yet may be of its account. Only that key is asked; the others were asked when they became usable.
   */
  async function learnTokensBeside(keyRecord: ProfileRecord): Promise<void> {
    for (const record of profilesBeside(keyRecord)) {
      if (record.authKind !== 'uploadToken' || record.tokenOwner) continue;
      const token = secretOf(record);
      if (token !== undefined) await learnToken(record, token, undefined, [keyRecord]);
    }
  }

  function cacheClient(record: ProfileRecord, secret: string, client: ApiVideoClient): void {
    clients.set(record.id, { key: `${client.baseUrl}\n${secret}`, client });
  }

  const vault: Vault = {
    list: state,
    get: (id) => {
      const record = records.find((r) => r.id === id);
      return record ? view(record) : undefined;
    },
    activeId: () => active,

    async add(input, check = defaultCheck) {
      assertNameFree(input.name);
      const record = newRecord(input);
      const secret = input.auth.kind === 'uploadToken' ? input.auth.token : input.auth.apiKey;
      const secretField = input.auth.kind === 'uploadToken' ? 'auth.token' : 'auth.apiKey';
      const proven = await verified(record, secret, check, secretField);
      if (input.auth.kind === 'uploadToken') await learnToken(record, secret, input.auth.expiresAt);
      assertNameFree(input.name); // another add may have finished while this one was checking
      const encrypted = secrets.keep(record.id, secret, input.secretStorage !== 'session');
      if (encrypted) record.encryptedSecret = encrypted;
      else record.secretStorage = 'session';
      records.push(record);
      cacheClient(record, secret, proven.client);
      active ??= record.id;
      if (record.authKind !== 'uploadToken') await learnTokensBeside(record);
      changed();
      return { profile: view(record), check: proven.check };
    },

    activate(id) {
      active = find(id).id;
      return changed();
    },

    rename(id, name) {
      const record = find(id);
      assertNameFree(name, id);
      record.name = name.trim();
      clients.delete(id); // error messages name the profile
      return changed();
    },

    remove(id) {
      const record = find(id);
      records.splice(records.indexOf(record), 1);
      forgetTokensOf(id);
      secrets.forget(id);
      clients.delete(id);
      if (active === id) active = records[0]?.id ?? null;
      return changed();
    },

    async provideSecret(id, secret, check = defaultCheck) {
      const record = find(id);
      if (record.builtIn)
        throw new VaultError(
          'The Local sandbox gets its key from the embedded sandbox; it needs none.',
          'id',
          'unsupported',
        );
      const proven = await verified(record, secret, check, 'secret');
      if (keyHintOf(secret) !== record.keyHint) {
        if (record.authKind === 'uploadToken') {
          // A different token: what was known of the old one's expiry no longer holds.
          delete record.tokenExpiry;
          delete record.tokenOwner;
          await learnToken(record, secret);
        } else {
          forgetTokensOf(record.id); // another key, maybe of another account
        }
      }
      const encrypted = secrets.keep(record.id, secret, record.secretStorage === 'encrypted');
      if (encrypted) record.encryptedSecret = encrypted;
      record.keyHint = keyHintOf(secret);
      cacheClient(record, secret, proven.client);
      // A key usable again: token profiles nobody could look up meanwhile may be of its account.
      if (record.authKind !== 'uploadToken') await learnTokensBeside(record);
      changed();
      return proven.check;
    },

    secretStorageInfo: () => secrets.info(),

    clientFor(profileId) {
      const record = records.find((r) => r.id === profileId);
      if (!record)
        throw new VaultError(
          `There is no profile with id "${profileId}"; it may have been removed.`,
          'id',
          'not-found',
        );
      const secret = secretOf(record);
      if (secret === undefined && record.builtIn) {
        throw new VaultError(
          `Profile "${record.name}": the Local sandbox is not running, so it has no key yet. Start it and try again.`,
          'environment.kind',
          'sandbox-not-running',
        );
      }
      if (secret === undefined) {
        throw new VaultError(
          `Profile "${record.name}" has no key this session (keys are kept in memory only here). Enter its key again in Profiles.`,
          'secret',
          'key-needed',
        );
      }
      const key = `${resolvedBaseUrl(record, local())}\n${secret}`;
      const cached = clients.get(record.id);
      if (cached?.key === key) return cached.client;
      const client = buildClient(record, secret);
      clients.set(record.id, { key, client });
      return client;
    },

    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    keyClientOfTokenAccount(profileId) {
      const owner = ownerOf(records.find((r) => r.id === profileId));
      return owner && secretOf(owner) !== undefined ? vault.clientFor(owner.id) : undefined;
    },

    tokenExpiresAt(profileId) {
      const at = records.find((r) => r.id === profileId)?.tokenExpiry?.at;
      return at ? Date.parse(at) : undefined;
    },

    findByName(name) {
      const wanted = name.trim().toLowerCase();
      const record = records.find((r) => r.name.toLowerCase() === wanted);
      return record ? view(record) : undefined;
    },
  };
  return vault;
}

function newRecord(input: AddProfileInput): ProfileRecord {
  const secret = input.auth.kind === 'uploadToken' ? input.auth.token : input.auth.apiKey;
  return {
    id: randomUUID(),
    name: input.name.trim(),
    environment: environmentOf(input.environment),
    authKind: input.auth.kind,
    keyHint: keyHintOf(secret),
    secretStorage: input.secretStorage === 'session' ? 'session' : 'encrypted',
    createdAt: new Date().toISOString(),
  };
}

function environmentOf(input: AddProfileInput['environment']): ProfileRecord['environment'] {
  if (input.kind !== 'custom') return { kind: input.kind };
  if (!input.baseUrl)
    throw new VaultError('A custom server needs its address, e.g. https://api.example.com.', 'environment.baseUrl');
  let baseUrl: string;
  try {
    baseUrl = normalizeBaseUrl(input.baseUrl);
  } catch (error) {
    if (error instanceof BaseUrlError) throw new VaultError(error.message, 'environment.baseUrl');
    throw error;
  }
  if (!needsInsecureHttpConsent(baseUrl)) return { kind: 'custom', baseUrl };
  if (input.allowInsecureHttp !== true) throw new VaultError(insecureHttpRefusal, 'environment.allowInsecureHttp');
  return { kind: 'custom', baseUrl, allowInsecureHttp: true };
}

function loadRecords(
  raw: unknown,
  log: NonNullable<VaultOptions['log']>,
): { records: ProfileRecord[]; unreadable: unknown[] } {
  const records: ProfileRecord[] = [];
  const unreadable: unknown[] = [];
  if (raw === undefined) return { records, unreadable };
  if (!Array.isArray(raw)) {
    log('warn', 'The stored profiles are not a list; they are kept aside untouched and Convoy starts with none.');
    return { records, unreadable: [raw] };
  }
  for (const entry of raw) {
    const parsed = profileRecordSchema.safeParse(entry);
    if (parsed.success) records.push(parsed.data);
    else {
      unreadable.push(entry);
      log(
        'warn',
        `A stored profile could not be read and is ignored (kept on disk): ${parsed.error.issues[0]?.message ?? 'invalid'}.`,
      );
    }
  }
  return { records, unreadable };
}
