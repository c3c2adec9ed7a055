// `convoy upload`: queues the paths on the engine (journal in --state-dir, so re-running resumes), shows
// progress, writes the manifest, and answers with an exit code: 0 only when every file arrived.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { redact } from '../log/redact';
import { dataLayout, defaultDataDir } from '../paths';
import type { UploadEngine } from '../uploads/index';
import { missingPaths } from '../uploads/scan';
import type { UploadArgs } from './args';
import { UsageError } from './args';
import { checkCredentialOptions, openCliEngine, resumeEarlierRun } from './cli-engine';
import { resolveCredentials } from './credentials';
import { watchForStall } from './give-up';
import { heldEvents, jsonLine, renderBars, renderJson, renderLines, type Renderer } from './render';
import {
  closingLine,
  countRun,
  notArrived,
  outcomeLine,
  rememberProblems,
  skippedLine,
  skippedMedia,
  type RunEnding,
} from './run-report';

export interface CommandIo {
  stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
}

export function defaultStateDir(env: NodeJS.ProcessEnv): string {
  return join(dataLayout(defaultDataDir(env)).uploads, 'cli');
}

/** Exit code of a run that was interrupted (SIGINT, SIGTERM): 128 + SIGINT. */
export const INTERRUPTED = 130;

/**
 * Runs the upload until every file arrived or failed, `interrupt` fires (Ctrl-C), or --give-up-after runs out; in
 * the last two cases the engine is closed first, so every file's state is saved for the next run.
 */
export async function runUpload(args: UploadArgs, io: CommandIo, interrupt?: AbortSignal): Promise<number> {
  const credentials = resolveCredentials(args.auth, io.env);
  checkCredentialOptions(args, credentials);
  // A path that is not there is a mistake to fix before anything is queued or sent, not a file to skip.
  const missing = await missingPaths(args.paths);
  if (missing.length) {
    throw new UsageError(`${missing.map((m) => `${m.path}: ${m.reason}`).join('\n')}\nNothing was queued or sent.`);
  }
  if (interrupt?.aborted) return INTERRUPTED;
  const stateDir = resolve(args.stateDir ?? defaultStateDir(io.env));
  const engine = await openCliEngine(args, credentials, stateDir, io);
  if (!engine) return 2;
  // A state directory that stops taking writes ends the run: nothing more is sent that could not be journaled.
  let unwritable: string | null = null;
  let giveUp = () => {};
  const stopStorage = engine.on('storage', (status) => {
    if (status.writable) return;
    unwritable = status.message;
    giveUp();
  });
  // Every event from the first moment: a resumed file that fails at once is shown with its reason too.
  const events = heldEvents(engine);
  const seen = rememberProblems(events);
  const known = engine.snapshot().jobs;
  let renderer: Renderer | null = null;
  let stall: { stop(): void } | undefined;
  try {
    const mine = () => engine.snapshot().jobs.filter((job) => job.profileId === credentials.profileId);
    // A re-run retries what failed last time, and counts only what it uploads itself.
    const doneBefore = resumeEarlierRun(engine, credentials.profileId, args);
    const added = await engine.add({
      paths: args.paths.map((p) => resolve(p)),
      profileId: credentials.profileId,
      ...(args.include.length ? { include: args.include } : {}),
      ...(args.exclude.length ? { exclude: args.exclude } : {}),
      defaults: {
        tags: args.tags,
        public: !args.private,
        ...(args.description !== undefined ? { description: args.description } : {}),
      },
      ...(args.force ? { force: true } : {}),
      ...(args.uploadUnrecognised ? { uploadUnrecognised: true } : {}),
      ...(args.sidecars ? {} : { noSidecars: true }),
    });
    for (const skip of added.skipped) io.stderr.write(`skipped: ${redact(skip.path)}: ${redact(skip.reason)}\n`);
    const summary = `Uploading to ${credentials.label}: ${added.added} new file(s), ${added.alreadyQueued} already in the queue (${stateDir}).\n`;
    if (args.json) io.stdout.write(`${jsonLine({ event: 'added', ...added, stateDir })}\n`);
    else io.stderr.write(redact(summary));
    renderer = args.json
      ? renderJson(events, io.stdout, known)
      : io.stdout.isTTY
        ? renderBars(events, io.stdout, known)
        : renderLines(events, io.stdout, known);
    events.release();

    if (args.giveUpAfterMs !== undefined) stall = watchForStall(engine, events, args.giveUpAfterMs, () => giveUp());
    const ending = await new Promise<RunEnding>((settle) => {
      giveUp = () => settle('gave-up');
      if (unwritable !== null) settle('gave-up');
      void engine.idle().then(() => settle('finished'));
      if (interrupt?.aborted) settle('interrupted');
      interrupt?.addEventListener('abort', () => settle('interrupted'), { once: true });
    });
    stall?.stop();
    stopStorage();
    if (unwritable !== null) {
      await engine.close();
      renderer.stop();
      renderer = null;
      io.stderr.write(
        `convoy: ${unwritable} Uploads stopped; what was journaled is kept. Run the same command again once the directory can be written.\n`,
      );
      return 2;
    }
    const jobs = mine();
    const network = engine.snapshot().network;
    // Close first (every file's state saved, and its last changes, such as a thumbnail sent at the very end, shown),
    // then say so.
    await engine.close();
    renderer.stop();
    renderer = null;
    if (args.manifest) writeManifest(engine, args.manifest);
    const counts = countRun(jobs, doneBefore);
    const left = notArrived(jobs, ending, network, seen.problems);
    const skipped = skippedMedia(jobs);
    if (args.json) {
      io.stdout.write(
        `${jsonLine({
          event: 'summary',
          outcome: ending,
          ...counts,
          done: counts.uploaded + counts.alreadyThere,
          notArrived: left,
          skipped,
        })}\n`,
      );
    } else {
      for (const outcome of left) io.stderr.write(`${outcomeLine(outcome)}\n`);
      for (const skip of skipped) io.stderr.write(`${skippedLine(skip)}\n`);
      io.stderr.write(`${closingLine(counts, ending, args.giveUpAfterMs)}\n`);
    }
    if (ending === 'interrupted') return INTERRUPTED;
    return left.length === 0 && ending === 'finished' ? 0 : 1;
  } finally {
    stall?.stop();
    stopStorage();
    seen.stop();
    renderer?.stop();
    events.stop();
    await engine.close();
  }
}

function writeManifest(engine: UploadEngine, file: string): void {
  const format = file.toLowerCase().endsWith('.json') ? 'json' : 'csv';
  const path = resolve(file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, engine.exportManifest(format).content);
}
