// Turns the CLI's auth flags into an api.video client and a stable profile id: a saved profile from the
// app's vault (its server; its key from the environment when the keychain holds it), or a base URL with a key.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient, normalizeBaseUrl, type ApiVideoClient } from '../apivideo/index';
import { defaultDataDir, dataLayout } from '../paths';
import { LOCAL_SANDBOX_ID, openVault } from '../vault/index';
import { keyHintOf } from '../vault/records';
import type { AuthArgs } from './args';
import { UsageError } from './args';

export interface Credentials {
  profileId: string;
  label: string;
  client: ApiVideoClient;
  /** Upload-token profiles: when the token expires (epoch ms), as the app recorded it. */
  tokenExpiresAt?: number;
}

const originApp = 'convoy-cli:0.1.0';

/**
 * The warning for a secret given on the command line (`--upload-token TOKEN` or `--upload-token=TOKEN`), or
 * undefined. Argv is readable by every user of the machine (ps, /proc/PID/cmdline) and the shell keeps it in its
 * history; an environment variable, filled from stdin without echo, is neither.
 */
export function argvSecretWarning(argv: readonly string[]): string | undefined {
  const onArgv = argv.some((arg) => arg === '--upload-token' || arg.startsWith('--upload-token='));
  if (!onArgv) return undefined;
  return (
    'convoy: warning: --upload-token puts the token on the command line, where other users of this machine can ' +
    'read it (ps, /proc) and your shell history keeps it. Pass it through the environment instead, typed on stdin ' +
    'without echo: read -rs CONVOY_UPLOAD_TOKEN && export CONVOY_UPLOAD_TOKEN, then --upload-token-env ' +
    'CONVOY_UPLOAD_TOKEN.\n'
  );
}

function short(secret: string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 12);
}

export function resolveCredentials(auth: AuthArgs, env: NodeJS.ProcessEnv = process.env): Credentials {
  if (auth.kind === 'profile') return fromProfile(auth, env);
  let baseUrl: string;
  try {
    baseUrl = normalizeBaseUrl(auth.baseUrl);
  } catch (error) {
    throw new UsageError(`--base-url: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (auth.kind === 'apiKey') {
    const apiKey = env[auth.envVar]!.trim();
    return {
      profileId: `cli:key:${baseUrl}:${short(apiKey)}`,
      label: `${baseUrl} (API key from $${auth.envVar})`,
      client: keyClient(baseUrl, apiKey),
    };
  }
  return {
    profileId: `cli:token:${baseUrl}:${short(auth.token)}`,
    label: `${baseUrl} (upload token)`,
    client: createClient({ baseUrl, auth: { kind: 'uploadToken', token: auth.token }, originApp }),
  };
}

/**
 * A profile saved in the app: its server and kind of key come from the profile; its key from the vault when
 * the command line can read it, else from the environment variable given with --api-key-env/--upload-token-env.
 */
function fromProfile(auth: Extract<AuthArgs, { kind: 'profile' }>, env: NodeJS.ProcessEnv): Credentials {
  const dataDir = defaultDataDir(env);
  const sandbox = localSandbox(dataDir, env);
  // The vault resolves every "Local sandbox" profile's server from the app's sandbox, as in the app.
  const vault = openVault({
    dataDir: dataLayout(dataDir).profiles,
    cipher: null,
    originApp,
    localSandbox: () => sandbox,
  });
  const profile = vault.findByName(auth.name);
  if (!profile) {
    const names = vault
      .list()
      .profiles.map((p) => `"${p.name}"`)
      .join(', ');
    throw new UsageError(`No profile named "${auth.name}" in ${dataDir}.${names ? ` Profiles there: ${names}.` : ''}`);
  }
  const label = `profile "${profile.name}"`;
  if (profile.environment.kind === 'local' && sandbox === null) {
    throw new UsageError(
      `Profile "${profile.name}" uses the Convoy app's built-in local sandbox: it runs only while the app runs, on a port the app picks at start, so the command line cannot find it. ` +
        'Start the app with CONVOY_SANDBOX_PORT=PORT and run this command with the same CONVOY_SANDBOX_PORT, or use --base-url URL --api-key-env VAR.',
    );
  }
  if (profile.builtIn) return fromLocalSandbox(profile.name, sandbox!, auth, dataDir);
  const wanted = profile.authKind === 'uploadToken' ? 'uploadToken' : 'apiKey';
  const flag = wanted === 'uploadToken' ? '--upload-token-env VAR' : '--api-key-env VAR';
  if (auth.secret) {
    if (auth.secret.kind !== wanted) {
      throw new UsageError(
        `Profile "${profile.name}" uses ${wanted === 'uploadToken' ? 'an upload token' : 'an API key'}; pass it with ${flag}.`,
      );
    }
    const secret = auth.secret.value;
    const baseUrl = profile.environment.baseUrl;
    // The recorded expiry belongs to the profile's token; a different token from the environment has its own.
    const expiresAt = keyHintOf(secret) === profile.keyHint ? vault.tokenExpiresAt(profile.id) : undefined;
    return {
      profileId: profile.id,
      ...(expiresAt !== undefined ? { tokenExpiresAt: expiresAt } : {}),
      label: `${label} (${wanted === 'uploadToken' ? 'upload token' : 'API key'} from $${auth.secret.envVar})`,
      client: createClient({
        baseUrl,
        auth:
          profile.authKind === 'uploadToken'
            ? { kind: 'uploadToken', token: secret }
            : { kind: profile.authKind, apiKey: secret },
        originApp,
      }),
    };
  }
  try {
    const expiresAt = vault.tokenExpiresAt(profile.id);
    return {
      profileId: profile.id,
      label,
      client: vault.clientFor(profile.id),
      ...(expiresAt !== undefined ? { tokenExpiresAt: expiresAt } : {}),
    };
  } catch (error) {
    const where =
      profile.secretStorage === 'session'
        ? 'is kept by the Convoy app in memory for one session only and is never written to disk, so the command line cannot read it'
        : "is encrypted by the Convoy app's keychain and cannot be read from the command line";
    throw new UsageError(`The key of profile "${profile.name}" ${where}; pass it with ${flag}.`, { cause: error });
  }
}

/**
 * The app's embedded sandbox as the command line can reach it: only while the app runs, on the port it was started
 * with (CONVOY_SANDBOX_PORT); its key is the sandbox's own key file ('' when there is none yet). Null without a port.
 */
function localSandbox(dataDir: string, env: NodeJS.ProcessEnv): { url: string; apiKey: string } | null {
  const port = Number(env.CONVOY_SANDBOX_PORT);
  if (!Number.isInteger(port) || port <= 0 || port > 65_535) return null;
  return { url: `http://127.0.0.1:${port}`, apiKey: readKeyFile(sandboxKeyFile(dataDir)) ?? '' };
}

/** The built-in Local sandbox profile: the sandbox's own key, unless one is given with --api-key-env. */
function fromLocalSandbox(
  name: string,
  sandbox: { url: string; apiKey: string },
  auth: Extract<AuthArgs, { kind: 'profile' }>,
  dataDir: string,
): Credentials {
  if (auth.secret?.kind === 'uploadToken')
    throw new UsageError(`Profile "${name}" uses an API key; pass it with --api-key-env VAR.`);
  const apiKey = auth.secret?.value ?? sandbox.apiKey;
  if (!apiKey) {
    throw new UsageError(
      `Profile "${name}": the local sandbox's key file ${sandboxKeyFile(dataDir)} is missing or unreadable (the app creates it when its sandbox first starts); pass the key with --api-key-env VAR.`,
    );
  }
  return {
    profileId: LOCAL_SANDBOX_ID,
    label: `profile "${name}" (${sandbox.url}, only while the app runs)`,
    client: keyClient(sandbox.url, apiKey),
  };
}

const sandboxKeyFile = (dataDir: string): string => join(dataLayout(dataDir).sandbox, 'api-key');

function readKeyFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** A bearer client for an API key (the client registers the key with the log redaction itself). */
export function keyClient(baseUrl: string, apiKey: string): ApiVideoClient {
  return createClient({ baseUrl, auth: { kind: 'bearer', apiKey }, originApp });
}
