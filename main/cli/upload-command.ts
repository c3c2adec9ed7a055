// `convoy upload`: queues the paths on the engine (journal in --state-dir, so re-running resumes), shows
// progress, writes the manifest, and answers with an exit code: 0 only when every file arrived.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { redact } from '../log/redact';
import { dataLayout, defaultDataDir } from '../paths';
import { openEngine, type UploadEngine } from '../uploads/index';
import type { UploadArgs } from './args';
import { UsageError } from './args';
import { keyClient, resolveCredentials } from './credentials';
import { describeJob, jsonLine, renderBars, renderJson, renderLines, type Renderer } from './render';

export interface CommandIo {
  stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
}

export function defaultStateDir(env: NodeJS.ProcessEnv): string {
  return join(dataLayout(defaultDataDir(env)).uploads, 'cli');
}

export async function runUpload(args: UploadArgs, io: CommandIo, onEngine?: (engine: UploadEngine) => void): Promise<number> {
  const credentials = resolveCredentials(args.auth, io.env);
  const usesToken = credentials.client.authKind === 'uploadToken';
  if (args.tokenExpires !== undefined && !usesToken) {
    throw new UsageError('--token-expires goes with an upload token (--upload-token, --upload-token-env or a token profile); an API key has no expiry.');
  }
  if (args.lookupKey && !usesToken) {
    throw new UsageError('--lookup-key-env helps an upload token; uploads with an API key already look things up with it.');
  }
  const lookupClient = args.lookupKey ? keyClient(credentials.client.baseUrl, args.lookupKey.value) : undefined;
  const stateDir = resolve(args.stateDir ?? defaultStateDir(io.env));
  const engine = await openEngine({
    stateDir,
    getClient: (profileId) => {
      if (profileId !== credentials.profileId) {
        throw new Error(`This queue holds files of another profile (${profileId}); run convoy with those credentials to finish them.`);
      }
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
    log: (level, message) => {
      if (level === 'error' || io.env.CONVOY_LOG_ECHO === '1') io.stderr.write(`${level}: ${redact(message)}\n`);
    },
  });
  onEngine?.(engine);
  let renderer: Renderer | null = null;
  try {
    const mine = () => engine.snapshot().jobs.filter((job) => job.profileId === credentials.profileId);
    // A re-run retries what failed last time.
    const retry = mine().filter((job) => job.state === 'failed' || job.state === 'cancelled').map((job) => job.id);
    if (retry.length) engine.control('retry', retry);
    const added = await engine.add({
      paths: args.paths.map((p) => resolve(p)),
      profileId: credentials.profileId,
      ...(args.include.length ? { include: args.include } : {}),
      ...(args.exclude.length ? { exclude: args.exclude } : {}),
      defaults: { tags: args.tags, public: !args.private, ...(args.description !== undefined ? { description: args.description } : {}) },
      ...(args.force ? { force: true } : {}),
    });
    for (const skip of added.skipped) io.stderr.write(`skipped: ${skip.path}: ${skip.reason}\n`);
    const summary = `Uploading to ${credentials.label}: ${added.added} new file(s), ${added.alreadyQueued} already in the queue (${stateDir}).\n`;
    if (args.json) io.stdout.write(`${jsonLine({ event: 'added', ...added, stateDir })}\n`);
    else io.stderr.write(summary);
    renderer = args.json ? renderJson(engine, io.stdout) : io.stdout.isTTY ? renderBars(engine, io.stdout) : renderLines(engine, io.stdout);
    await engine.idle();
    renderer.stop();
    renderer = null;
    const jobs = mine();
    if (args.manifest) writeManifest(engine, args.manifest);
    const failed = jobs.filter((job) => job.state !== 'done' && job.state !== 'skipped');
    if (args.json) {
      io.stdout.write(`${JSON.stringify({ event: 'summary', files: jobs.length, done: jobs.length - failed.length, failed: failed.length })}\n`);
    } else {
      for (const job of failed) io.stderr.write(`${describeJob(job)}\n`);
      io.stderr.write(`${jobs.length - failed.length} of ${jobs.length} file(s) arrived${failed.length ? `; ${failed.length} did not (run the same command again to retry)` : ''}.\n`);
    }
    return failed.length === 0 ? 0 : 1;
  } finally {
    renderer?.stop();
    await engine.close();
  }
}

function writeManifest(engine: UploadEngine, file: string): void {
  const format = file.toLowerCase().endsWith('.json') ? 'json' : 'csv';
  const path = resolve(file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, engine.exportManifest(format).content);
}
