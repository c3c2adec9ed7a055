// Turns the CLI's auth flags into an api.video client and a stable profile id: a saved profile from the
// app's vault (read-only use, no keychain here), or a base URL with an API key from the environment / a token.
import { createHash } from 'node:crypto';
import { createClient, normalizeBaseUrl, type ApiVideoClient } from '../apivideo/index';
import { registerSecret } from '../log/redact';
import { defaultDataDir, dataLayout } from '../paths';
import { openVault } from '../vault/index';
import type { AuthArgs } from './args';
import { UsageError } from './args';

export interface Credentials {
  profileId: string;
  label: string;
  client: ApiVideoClient;
}

const originApp = 'convoy-cli:0.1.0';

function short(secret: string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 12);
}

export function resolveCredentials(auth: AuthArgs, env: NodeJS.ProcessEnv = process.env): Credentials {
  if (auth.kind === 'profile') return fromProfile(auth.name, env);
  let baseUrl: string;
  try {
    baseUrl = normalizeBaseUrl(auth.baseUrl);
  } catch (error) {
    throw new UsageError(`--base-url: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (auth.kind === 'apiKey') {
    const apiKey = env[auth.envVar]!.trim();
    registerSecret(apiKey);
    return {
      profileId: `cli:key:${baseUrl}:${short(apiKey)}`,
      label: `${baseUrl} (API key from $${auth.envVar})`,
      client: createClient({ baseUrl, auth: { kind: 'bearer', apiKey }, originApp }),
    };
  }
  registerSecret(auth.token);
  return {
    profileId: `cli:token:${baseUrl}:${short(auth.token)}`,
    label: `${baseUrl} (upload token)`,
    client: createClient({ baseUrl, auth: { kind: 'uploadToken', token: auth.token }, originApp }),
  };
}

function fromProfile(name: string, env: NodeJS.ProcessEnv): Credentials {
  const dataDir = defaultDataDir(env);
  const vault = openVault({ dataDir: dataLayout(dataDir).profiles, cipher: null, originApp });
  const profile = vault.findByName(name);
  if (!profile) {
    const names = vault.list().profiles.map((p) => `"${p.name}"`).join(', ');
    throw new UsageError(`No profile named "${name}" in ${dataDir}.${names ? ` Profiles there: ${names}.` : ''}`);
  }
  try {
    return { profileId: profile.id, label: `profile "${profile.name}"`, client: vault.clientFor(profile.id) };
  } catch (error) {
    throw new UsageError(
      `Profile "${profile.name}" has no key the command line can read (keys kept in the OS keychain or for one app session only are not available here). ` +
        `Use --base-url ${profile.environment.baseUrl || 'URL'} --api-key-env VAR instead, with the key in the environment variable VAR.`,
      { cause: error },
    );
  }
}
