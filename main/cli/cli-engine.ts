// The engine of a CLI run (`convoy upload` and `convoy watch`): the command line's credentials and settings on the
// journal in --state-dir; a damaged or lost journal is acknowledged where the files can be checked on the server, and
// refused with a token alone unless --force or --lookup-key-env says otherwise.
import type { JobView } from '../../common/contract/queue';
import { redact } from '../log/redact';
import { openEngine, type UploadEngine } from '../uploads/index';
import { UsageError, type SendingOptions } from './args';
import { keyClient, type resolveCredentials } from './credentials';
import type { CommandIo } from './upload-command';

type Credentials = ReturnType<typeof resolveCredentials>;

/** Options that only go with one kind of credential: a usage error before anything else is looked at. */
export function checkCredentialOptions(args: SendingOptions, credentials: Credentials): void {
  const usesToken = credentials.client.authKind === 'uploadToken';
  if (args.tokenExpires !== undefined && !usesToken)
    throw new UsageError(
      '--token-expires goes with an upload token (--upload-token, --upload-token-env or a token profile); an API key has no expiry.',
    );
  if (args.lookupKey && !usesToken)
    throw new UsageError(
      '--lookup-key-env helps an upload token; uploads with an API key already look things up with it.',
    );
}

/** The engine on `stateDir`; null when a lost journal with a token alone refused to send (the caller exits 2). */
export async function openCliEngine(
  args: SendingOptions,
  credentials: Credentials,
  stateDir: string,
  io: CommandIo,
): Promise<UploadEngine | null> {
  checkCredentialOptions(args, credentials);
  const usesToken = credentials.client.authKind === 'uploadToken';
  const lookupClient = args.lookupKey ? keyClient(credentials.client.baseUrl, args.lookupKey.value) : undefined;
  const engine = await openEngine({
    stateDir,
    getClient: (profileId) => {
      if (profileId !== credentials.profileId)
        throw new Error(
          `This queue holds files of another profile (${profileId}); run convoy with those credentials to finish them.`,
        );
      return credentials.client;
    },
    tokenExpiresAt: () => args.tokenExpires ?? credentials.tokenExpiresAt,
    ...(lookupClient ? { keyClientFor: () => lookupClient } : {}),
    platform: {},
    settings: {
      ...(args.concurrency !== undefined ? { concurrency: args.concurrency } : {}),
      ...(args.chunkSize !== undefined ? { chunkSize: args.chunkSize } : {}),
      ...(args.bandwidth !== undefined ? { bandwidthLimit: args.bandwidth } : {}),
      waitForPlayable: args.waitPlayable,
    },
    log: (level, message) => logTo(io, level, message),
  });
  const notice = engine.journalNotice();
  if (notice) {
    if (usesToken && !lookupClient && !args.force) {
      await engine.close();
      io.stderr.write(
        `convoy: ${notice.message} With an upload token alone Convoy cannot tell which files already arrived, so sending now may upload them a second time. ` +
          'Run again with --lookup-key-env VAR (an API key of the same account finds them), or with --force to upload anyway.\n',
      );
      return null;
    }
    io.stderr.write(
      `warning: ${notice.message} ${usesToken && !lookupClient ? 'Uploading anyway (--force).' : 'Files already on the server are found there, and unfinished uploads continued.'}\n`,
    );
    engine.acknowledgeJournal();
  }
  return engine;
}

/**
 * The start of a run on a journal that may hold earlier runs: the ids of this profile's files already done (so the
 * run counts only what it uploads itself), after asking the engine to retry the ones that failed or were cancelled,
 * and to look again at the ones the media preflight refused (a copy cut short may be complete now); one it did not
 * recognise is retried only with --upload-unrecognised, which is the user's word that it is a video.
 */
export function resumeEarlierRun(
  engine: UploadEngine,
  profileId: string,
  options: { uploadUnrecognised?: boolean } = {},
): Set<string> {
  const mine = engine.snapshot().jobs.filter((job) => job.profileId === profileId);
  const doneBefore = new Set(mine.filter((job) => job.state === 'done').map((job) => job.id));
  const again = (job: JobView) =>
    job.state === 'failed' ||
    job.state === 'cancelled' ||
    (job.state === 'skipped' &&
      job.refused !== undefined &&
      (job.refused !== 'unknown' || !!options.uploadUnrecognised));
  const retry = mine.filter(again).map((job) => job.id);
  if (retry.length) engine.control('retry', retry);
  return doneBefore;
}

/** The engine's log on the command line: errors always, the rest with CONVOY_LOG_ECHO=1; redacted. */
export function logTo(io: CommandIo, level: 'debug' | 'info' | 'warn' | 'error', message: string): void {
  if (level === 'error' || io.env.CONVOY_LOG_ECHO === '1') io.stderr.write(`${level}: ${redact(message)}\n`);
}
