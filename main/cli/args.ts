// Parses and checks the `convoy` command line (node:util parseArgs): which command, which credentials,
// which upload options. Every mistake becomes a UsageError with a message that says what to type instead.
import { parseArgs } from 'node:util';
import { tokenExpiryInput } from '../../common/contract/profiles';

export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** Print the usage text after the message (as written: it is not passed through redaction). */
  readonly showUsage: boolean;
  constructor(message: string, options: ErrorOptions & { showUsage?: boolean } = {}) {
    super(message, options);
    this.showUsage = options.showUsage ?? false;
  }
}

export const usage = `Usage:
  convoy upload <files or folders...> AUTH [options]
  convoy watch <folders...> AUTH [options] [--settle SECONDS] [--existing] [--poll]
  convoy tokens create [--ttl SECONDS] AUTH
  convoy tokens list|get <token>|delete <token> AUTH

AUTH (one of):
  --profile NAME [--api-key-env VAR | --upload-token-env VAR]
                                       a profile saved in the Convoy app: its server and kind of key.
                                       Keys the app keeps in the OS keychain or for one session only
                                       cannot be read here: pass the key in the environment variable VAR.
                                       The Local sandbox (the built-in profile's server) runs only while the app runs: start
                                       the app with CONVOY_SANDBOX_PORT=PORT and set the same variable here.
  --base-url URL --api-key-env VAR     an API key read from the environment variable VAR
  --base-url URL --upload-token TOKEN  a delegated upload token (upload only)
  --base-url URL --upload-token-env VAR
  --token-expires WHEN                 with an upload token: when it expires (ISO 8601, e.g.
                                       2026-12-01T18:00:00Z), to show and keep the resume window.
                                       A saved profile already knows it when the app could look it up.
  --lookup-key-env VAR                 with an upload token: an API key of the same account, used only
                                       to find the video a first chunk made when its reply was lost
                                       (a crash, a dropped connection) and to delete abandoned uploads.

Upload options:
  --concurrency N        requests in flight at once (1-32, default 4)
  --chunk-size SIZE      5MiB..200MiB, or "adaptive" (the default: automatic, by speed and rate limit)
  --bandwidth SIZE       bytes per second for all uploads together, e.g. 20MiB
  --state-dir DIR        where the resumable queue lives (run the same command again to resume)
  --tag T                add a tag (repeatable)
  --description TEXT     description of every video
  --private              make the videos private
  --include GLOB / --exclude GLOB   filter files found in folders (repeatable)
  --force                upload even if this content was already uploaded with these credentials
  --no-sidecars          send the videos alone. By default the files beside each video follow it once
                         it has arrived: NAME.LANG.vtt/.srt as captions, NAME.chapters[.LANG].vtt as
                         chapters, NAME.jpg/.png/.webp as the thumbnail (they need an API key)
  --upload-unrecognised  upload files whose content Convoy does not recognise as video (skipped
                         otherwise, with why); files that are something else, or cut short, are
                         always skipped
  --wait-playable        wait until each video is playable
  --manifest FILE        write a manifest (.csv or .json) when done
  --json                 print NDJSON events instead of progress bars
  --give-up-after DURATION
                         e.g. 30s, 10m, 2h: when the files left have made no progress for that long
                         (server offline, or failing and retrying), stop, keep every file's state for
                         the next run, print each file's state and exit 1. Default: never give up;
                         offline files wait and continue when the server is back.

Watch options (convoy watch keeps uploading what arrives in the folders until Ctrl-C; the upload
options above apply, but not --manifest nor --give-up-after):
  --settle SECONDS       a new or changed file is uploaded once its size and modification time have
                         not moved for this long and it can be read (default 5)
  --existing             on the first run for a folder, upload the files already in it too (later
                         runs upload what arrived while convoy was not running, either way)
  --poll                 poll the folders instead of waiting for the OS (network shares; a share the
                         OS reports as NFS or SMB is polled anyway)

Paths that do not exist stop the command before anything is sent (exit 2).
Exit codes: 0 every file arrived; 1 some did not (each with its reason), or --give-up-after
gave up; 2 usage, credentials or a missing path; 130 interrupted (Ctrl-C: resumes on the next run).
convoy watch stopped with Ctrl-C exits 0 when every file it took had arrived, 1 when some failed,
130 when some were still on their way (they resume on the next run).
`;

/** A secret read from an environment variable, given alongside --profile. */
export interface EnvSecret {
  kind: 'apiKey' | 'uploadToken';
  envVar: string;
  value: string;
}

export type AuthArgs =
  | { kind: 'profile'; name: string; secret?: EnvSecret }
  | { kind: 'apiKey'; baseUrl: string; envVar: string }
  | { kind: 'uploadToken'; baseUrl: string; token: string };

/** Options `upload` and `watch` share. */
export interface SendingOptions {
  auth: AuthArgs;
  concurrency?: number;
  chunkSize?: number | 'adaptive';
  bandwidth?: number;
  stateDir?: string;
  tags: string[];
  description?: string;
  private: boolean;
  include: string[];
  exclude: string[];
  force: boolean;
  waitPlayable: boolean;
  json: boolean;
  /** Send the captions, chapters and thumbnail found beside each video (false: --no-sidecars). */
  sidecars: boolean;
  /** --upload-unrecognised: upload files the media preflight did not recognise. */
  uploadUnrecognised: boolean;
  /** --token-expires: when the upload token expires (epoch ms). */
  tokenExpires?: number;
  /** --lookup-key-env: an API key that helps a token upload (finds lost first replies, deletes abandoned uploads). */
  lookupKey?: EnvSecret;
}

export interface UploadArgs extends SendingOptions {
  command: 'upload';
  paths: string[];
  manifest?: string;
  /** --give-up-after: ms without progress after which the run stops (undefined: never). */
  giveUpAfterMs?: number;
}

export interface WatchArgs extends SendingOptions {
  command: 'watch';
  dirs: string[];
  /** --settle: seconds a file's size and modification time must stay still before it is uploaded. */
  settleSeconds?: number;
  /** --existing: on the first run for a folder, upload the files already there too. */
  existing: boolean;
  /** --poll: poll the folders (network shares) rather than wait for the OS to tell. */
  polling?: boolean;
}

export interface TokensArgs {
  command: 'tokens';
  action: 'create' | 'list' | 'get' | 'delete';
  token?: string;
  ttl?: number;
  auth: AuthArgs;
  json: boolean;
}

export type CliArgs = UploadArgs | WatchArgs | TokensArgs | { command: 'help' };

const options = {
  profile: { type: 'string' },
  'base-url': { type: 'string' },
  'api-key-env': { type: 'string' },
  'upload-token': { type: 'string' },
  'upload-token-env': { type: 'string' },
  concurrency: { type: 'string' },
  'chunk-size': { type: 'string' },
  bandwidth: { type: 'string' },
  'state-dir': { type: 'string' },
  tag: { type: 'string', multiple: true },
  description: { type: 'string' },
  private: { type: 'boolean' },
  include: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  force: { type: 'boolean' },
  'no-sidecars': { type: 'boolean' },
  'upload-unrecognised': { type: 'boolean' },
  'upload-unrecognized': { type: 'boolean' },
  'wait-playable': { type: 'boolean' },
  manifest: { type: 'string' },
  json: { type: 'boolean' },
  ttl: { type: 'string' },
  'token-expires': { type: 'string' },
  'lookup-key-env': { type: 'string' },
  'give-up-after': { type: 'string' },
  settle: { type: 'string' },
  existing: { type: 'boolean' },
  poll: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const units: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  kib: 1024,
  m: 1e6,
  mb: 1e6,
  mib: 1024 ** 2,
  g: 1e9,
  gb: 1e9,
  gib: 1024 ** 3,
};

/** '50MiB', '5 mb', '1048576' → bytes. */
export function parseSize(text: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = units[match?.[2]?.toLowerCase() ?? 'x'];
  if (!match || unit === undefined)
    throw new UsageError(`${flag}: "${text}" is not a size; write e.g. 50MiB or 5242880.`);
  return Math.round(Number(match[1]) * unit);
}

const durationUnits: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };

/** '30s', '10m', '2h', '1.5h' → ms (at least one second). */
export function parseDuration(text: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([smh])\s*$/i.exec(text);
  const ms = match ? Math.round(Number(match[1]) * durationUnits[match[2]!.toLowerCase()]!) : NaN;
  if (!(ms >= 1000))
    throw new UsageError(`${flag}: "${text}" is not a duration; write e.g. 30s, 10m or 2h (at least 1s).`);
  return ms;
}

function parseInteger(text: string, flag: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max} (got "${text}").`);
  return n;
}

type ParsedValues = ReturnType<
  typeof parseArgs<{ options: typeof options; allowPositionals: true; strict: true }>
>['values'];

function parseAuth(values: Record<string, unknown>, env: NodeJS.ProcessEnv): AuthArgs {
  const profile = values.profile as string | undefined;
  const baseUrl = values['base-url'] as string | undefined;
  const keyEnv = values['api-key-env'] as string | undefined;
  const tokenFlag = values['upload-token'] as string | undefined;
  const tokenEnv = values['upload-token-env'] as string | undefined;
  if (profile !== undefined) {
    if (baseUrl || tokenFlag)
      throw new UsageError(
        '--profile takes the server from the profile: drop --base-url and --upload-token (pass a key with --api-key-env VAR or --upload-token-env VAR).',
      );
    if (keyEnv !== undefined && tokenEnv !== undefined)
      throw new UsageError('With --profile, give at most one of --api-key-env VAR or --upload-token-env VAR.');
    if (keyEnv === undefined && tokenEnv === undefined) return { kind: 'profile', name: profile };
    return {
      kind: 'profile',
      name: profile,
      secret: envSecret(keyEnv !== undefined ? 'apiKey' : 'uploadToken', (keyEnv ?? tokenEnv)!, env),
    };
  }
  if (!baseUrl)
    throw new UsageError(
      'Say who uploads: --profile NAME, or --base-url URL with --api-key-env VAR or --upload-token TOKEN.',
    );
  const chosen = [keyEnv, tokenFlag, tokenEnv].filter((v) => v !== undefined).length;
  if (chosen !== 1)
    throw new UsageError(
      'With --base-url, give exactly one of --api-key-env VAR, --upload-token TOKEN or --upload-token-env VAR.',
    );
  if (keyEnv !== undefined) {
    envSecret('apiKey', keyEnv, env);
    return { kind: 'apiKey', baseUrl, envVar: keyEnv };
  }
  const token = tokenFlag ?? envSecret('uploadToken', tokenEnv!, env).value;
  return { kind: 'uploadToken', baseUrl, token };
}

/** --token-expires: as the app's dialog takes it (ISO 8601 with a time zone, a real day), still ahead. */
function parseTokenExpiry(text: string | undefined, now = Date.now()): number | undefined {
  if (text === undefined) return undefined;
  const parsed = tokenExpiryInput.safeParse(text.trim());
  if (!parsed.success)
    throw new UsageError(
      `--token-expires: "${text}" is not a date; write it as ISO 8601 with a time zone, e.g. 2026-12-01T18:00:00Z.`,
    );
  const at = Date.parse(parsed.data);
  if (at <= now)
    throw new UsageError(
      `--token-expires: ${new Date(at).toISOString()} has already passed; a token past its expiry cannot start uploads.`,
    );
  return at;
}

function envSecret(
  kind: EnvSecret['kind'],
  envVar: string,
  env: NodeJS.ProcessEnv,
  flag = kind === 'apiKey' ? '--api-key-env' : '--upload-token-env',
): EnvSecret {
  const value = env[envVar]?.trim();
  if (!value) throw new UsageError(`The environment variable ${envVar} (from ${flag}) is empty or not set.`);
  return { kind, envVar, value };
}

/** What `upload` and `watch` share: who uploads, how, and the details of every video. */
function sendingOptions(values: ParsedValues, env: NodeJS.ProcessEnv): SendingOptions {
  const chunk = values['chunk-size'];
  let chunkSize: number | 'adaptive' | undefined;
  if (chunk === 'adaptive') chunkSize = 'adaptive';
  else if (chunk !== undefined) {
    chunkSize = parseSize(chunk, '--chunk-size');
    if (chunkSize < 5 * 1024 ** 2 || chunkSize > 200 * 1024 ** 2)
      throw new UsageError('--chunk-size must be between 5MiB and 200MiB (or "adaptive").');
  }
  const bandwidth = values.bandwidth === undefined ? undefined : parseSize(values.bandwidth, '--bandwidth');
  if (bandwidth !== undefined && bandwidth < 65_536)
    throw new UsageError('--bandwidth must be at least 64KiB per second.');
  const auth = parseAuth(values, env);
  const tokenExpires = parseTokenExpiry(values['token-expires']);
  const lookupKeyEnv = values['lookup-key-env'];
  return {
    auth,
    ...(tokenExpires !== undefined ? { tokenExpires } : {}),
    ...(lookupKeyEnv !== undefined ? { lookupKey: envSecret('apiKey', lookupKeyEnv, env, '--lookup-key-env') } : {}),
    ...(values.concurrency !== undefined
      ? { concurrency: parseInteger(values.concurrency, '--concurrency', 1, 32) }
      : {}),
    ...(chunkSize !== undefined ? { chunkSize } : {}),
    ...(bandwidth !== undefined ? { bandwidth } : {}),
    ...(values['state-dir'] !== undefined ? { stateDir: values['state-dir'] } : {}),
    tags: values.tag ?? [],
    ...(values.description !== undefined ? { description: values.description } : {}),
    private: values.private ?? false,
    include: values.include ?? [],
    exclude: values.exclude ?? [],
    force: values.force ?? false,
    waitPlayable: values['wait-playable'] ?? false,
    json: values.json ?? false,
    sidecars: !values['no-sidecars'],
    uploadUnrecognised: (values['upload-unrecognised'] || values['upload-unrecognized']) ?? false,
  };
}

export function parseCli(argv: string[], env: NodeJS.ProcessEnv = process.env): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), { cause: error, showUsage: true });
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command || command === 'help') return { command: 'help' };
  if (command === 'upload') {
    if (rest.length === 0) throw new UsageError('convoy upload needs at least one file or folder.');
    if (values.settle !== undefined || values.existing || values.poll)
      throw new UsageError('--settle, --existing and --poll go with convoy watch.');
    const manifest = values.manifest;
    if (manifest !== undefined && !/\.(csv|json)$/i.test(manifest))
      throw new UsageError('--manifest must end in .csv or .json.');
    return {
      command: 'upload',
      paths: rest,
      ...sendingOptions(values, env),
      ...(values['give-up-after'] !== undefined
        ? { giveUpAfterMs: parseDuration(values['give-up-after'], '--give-up-after') }
        : {}),
      ...(manifest !== undefined ? { manifest } : {}),
    };
  }
  if (command === 'watch') {
    if (rest.length === 0) throw new UsageError('convoy watch needs at least one folder.');
    if (values.manifest !== undefined || values['give-up-after'] !== undefined)
      throw new UsageError('--manifest and --give-up-after go with convoy upload; convoy watch runs until stopped.');
    const settle = values.settle === undefined ? undefined : Number(values.settle);
    if (settle !== undefined && !(settle >= 0.5 && settle <= 3600))
      throw new UsageError(`--settle must be a number of seconds from 0.5 to 3600 (got "${values.settle}").`);
    return {
      command: 'watch',
      dirs: rest,
      ...sendingOptions(values, env),
      ...(settle !== undefined ? { settleSeconds: settle } : {}),
      existing: values.existing ?? false,
      ...(values.poll ? { polling: true } : {}),
    };
  }
  if (command === 'tokens') {
    const action = rest[0];
    if (action !== 'create' && action !== 'list' && action !== 'get' && action !== 'delete') {
      throw new UsageError('convoy tokens needs an action: create, list, get <token> or delete <token>.');
    }
    const token = rest[1];
    if ((action === 'get' || action === 'delete') && !token)
      throw new UsageError(`convoy tokens ${action} needs the token.`);
    return {
      command: 'tokens',
      action,
      ...(token ? { token } : {}),
      ...(values.ttl !== undefined ? { ttl: parseInteger(values.ttl, '--ttl', 0, 2_147_483_647) } : {}),
      auth: parseAuth(values, env),
      json: values.json ?? false,
    };
  }
  throw new UsageError(`Unknown command "${command}".`, { showUsage: true });
}
