// `convoy watch`: keeps uploading what arrives in the given folders (once each file has settled) on the same engine
// and journal as `convoy upload`, until Ctrl-C; prints each file as it is noticed, added and uploaded (NDJSON with
// --json), and on stopping what did not arrive, with the same counts and exit codes as upload.
import { stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { JobView } from '../../common/contract/queue';
import type { WatchState } from '../../common/contract/watch';
import { redact } from '../log/redact';
import { missingPaths } from '../uploads/scan';
import { openWatches, type WatchFileEvent } from '../watch/index';
import { UsageError, type WatchArgs } from './args';
import { logTo, openCliEngine, resumeEarlierRun } from './cli-engine';
import { resolveCredentials } from './credentials';
import { heldEvents, jsonLine, renderLines, sidecarEvent, sidecarTracker, type Renderer } from './render';
import { closingLine, countRun, notArrived, outcomeLine, skippedLine, skippedMedia } from './run-report';
import { defaultStateDir, INTERRUPTED, type CommandIo } from './upload-command';

/** Checks the folders: each must be there and be a folder (a mistake to fix before anything is watched). */
async function checkFolders(dirs: string[]): Promise<string[]> {
  const missing = await missingPaths(dirs);
  if (missing.length)
    throw new UsageError(`${missing.map((m) => `${m.path}: ${m.reason}`).join('\n')}\nNothing was watched or sent.`);
  const absolute = dirs.map((dir) => resolve(dir));
  for (const dir of absolute) {
    if (!(await stat(dir)).isDirectory())
      throw new UsageError(`${dir} is a file; convoy watch takes folders (convoy upload sends single files).`);
  }
  return [...new Set(absolute)];
}

const fileWords: Record<WatchFileEvent['kind'], string> = {
  noticed: 'noticed',
  settled: 'settled',
  added: 'queued',
  renamed: 'renamed',
  changed: 'changed',
  'not-added': 'skipped',
  attached: 'attached',
  'not-attached': 'refused',
};

/** Watches until `interrupt` fires; then closes everything (every file's state saved) and reports. */
export async function runWatch(args: WatchArgs, io: CommandIo, interrupt?: AbortSignal): Promise<number> {
  const credentials = resolveCredentials(args.auth, io.env);
  const dirs = await checkFolders(args.dirs);
  if (interrupt?.aborted) return INTERRUPTED;
  const stateDir = resolve(args.stateDir ?? defaultStateDir(io.env));
  const engine = await openCliEngine(args, credentials, stateDir, io);
  if (!engine) return 2;
  const out = (value: object) => io.stdout.write(`${jsonLine(value)}\n`);
  const events = heldEvents(engine);
  const stops: (() => void)[] = [];
  let renderer: Renderer | null = null;
  let watches: Awaited<ReturnType<typeof openWatches>> | null = null;
  let unwritable: string | null = null;
  let stopRun = () => {};
  try {
    const mine = () => engine.snapshot().jobs.filter((job) => job.profileId === credentials.profileId);
    // A re-run retries what failed last time, and counts only what it uploads itself.
    const doneBefore = resumeEarlierRun(engine, credentials.profileId, args);

    watches = await openWatches(
      {
        stateDir: join(stateDir, 'watch'),
        engine,
        log: (level, message) => logTo(io, level, message),
      },
      { only: () => false },
    );
    const ours = new Set<string>();
    const states = new Map<string, WatchState>();
    stops.push(
      watches.on('file', (event) => {
        if (event.kind === 'settled') return;
        if (args.json) out({ event: 'file', ...event });
        else
          io.stdout.write(
            `${fileWords[event.kind].padEnd(8)} ${event.from ? `${event.from} → ` : ''}${event.path}${event.video ? ` (with ${basename(event.video)})` : ''}${event.reason ? `: ${event.reason}` : ''}\n`,
          );
      }),
      watches.on('changed', ({ upserts }) => {
        for (const view of upserts) {
          if (!ours.has(view.id)) continue;
          const before = states.get(view.id);
          const shown = (s: WatchState | undefined) => (s === 'settling' ? 'watching' : s);
          states.set(view.id, view.state);
          if (shown(before) === shown(view.state)) continue;
          if (args.json) out({ event: 'watch', path: view.path, state: view.state, reason: view.reason });
          else if (view.state === 'unavailable') io.stderr.write(`unavailable ${view.path}: ${view.reason ?? ''}\n`);
          else if (before === 'unavailable') io.stderr.write(`watching ${view.path} again\n`);
        }
      }),
      engine.on('storage', (status) => {
        if (status.writable) return;
        unwritable = status.message;
        stopRun();
      }),
    );
    for (const dir of dirs) {
      const view = await watches.ensure({
        path: dir,
        profileId: credentials.profileId,
        existing: args.existing,
        include: args.include,
        exclude: args.exclude,
        defaults: {
          tags: args.tags,
          public: !args.private,
          ...(args.description !== undefined ? { description: args.description } : {}),
        },
        ...(args.settleSeconds !== undefined ? { settleSeconds: args.settleSeconds } : {}),
        ...(args.polling ? { polling: true } : {}),
        // Kept on the watch, so each file it adds carries them (and a later run without them drops them).
        ...(args.sidecars ? {} : { noSidecars: true }),
        ...(args.uploadUnrecognised ? { uploadUnrecognised: true } : {}),
      });
      ours.add(view.id);
      states.set(view.id, view.state);
      if (view.state === 'unavailable') io.stderr.write(`unavailable ${view.path}: ${view.reason ?? ''}\n`);
    }
    const views = watches.list().filter((view) => ours.has(view.id));
    const settle = views[0]?.settleSeconds ?? 5;
    if (args.json) out({ event: 'watching', dirs, stateDir, settleSeconds: settle });
    else
      io.stderr.write(
        redact(
          `Watching ${dirs.join(', ')} for ${credentials.label} (files upload once still for ${settle} s; state in ${stateDir}). Ctrl-C stops.\n`,
        ),
      );
    const known = engine.snapshot().jobs;
    renderer = args.json ? renderJobOutcomes(events, out, known) : renderLines(events, io.stdout, known);
    events.release();

    // Until Ctrl-C, or a state directory that stops taking writes (nothing more is sent that could not be journaled).
    // The watch's own timers do not hold the process open (in the app they must not): this does, while it waits.
    const keepAlive = setInterval(() => {}, 3_600_000);
    await new Promise<void>((done) => {
      stopRun = done;
      if (unwritable !== null || interrupt?.aborted) done();
      interrupt?.addEventListener('abort', () => done(), { once: true });
    }).finally(() => clearInterval(keepAlive));
    await watches.close();
    const jobs = mine();
    const network = engine.snapshot().network;
    await engine.close(); // every unfinished file's state saved before it is reported
    renderer.stop();
    renderer = null;
    if (unwritable !== null) {
      io.stderr.write(
        `convoy: ${unwritable} Uploads stopped; what was journaled is kept. Run the same command again once the directory can be written.\n`,
      );
      return 2;
    }
    const counts = countRun(jobs, doneBefore);
    const left = notArrived(jobs, 'interrupted', network);
    if (args.json) {
      out({
        event: 'summary',
        outcome: 'interrupted',
        ...counts,
        done: counts.uploaded + counts.alreadyThere,
        notArrived: left,
        skipped: skippedMedia(jobs),
      });
    } else {
      for (const outcome of left) io.stderr.write(`${outcomeLine(outcome)}\n`);
      for (const skip of skippedMedia(jobs)) io.stderr.write(`${skippedLine(skip)}\n`);
      io.stderr.write(
        `${closingLine(counts, left.length ? 'interrupted' : 'finished').replace(/^Finished/, 'Stopped watching')}\n`,
      );
    }
    if (counts.failed > 0) return 1;
    return counts.unfinished > 0 ? INTERRUPTED : 0;
  } finally {
    for (const stop of stops.splice(0)) stop();
    renderer?.stop();
    events.stop();
    await watches?.close();
    await engine.close();
  }
}

/**
 * --json: one `job` line per file that is uploaded, skipped or fails, with its media facts and sidecars, and a
 * `sidecar` line per sidecar whose state moved (the watch's own lines say the rest).
 */
function renderJobOutcomes(
  events: ReturnType<typeof heldEvents>,
  out: (value: object) => void,
  known: JobView[],
): Renderer {
  const seen = new Map<string, string>(known.map((job) => [job.id, job.state]));
  const moved = sidecarTracker(known);
  const stops = [
    events.on('jobs', ({ upserts }) => {
      for (const job of upserts) {
        const changed = seen.get(job.id) !== job.state;
        seen.set(job.id, job.state);
        if (changed && (job.state === 'done' || job.state === 'failed' || job.state === 'skipped'))
          out({
            event: 'job',
            id: job.id,
            path: job.path,
            state: job.state,
            ...(job.videoId ? { videoId: job.videoId } : {}),
            ...(job.playerUrl ? { playerUrl: job.playerUrl } : {}),
            ...(job.reason ? { reason: job.reason } : {}),
            ...(job.refused ? { refused: job.refused } : {}),
            ...(job.media ? { media: job.media } : {}),
            sidecars: job.sidecars ?? [],
          });
        for (const sidecar of moved(job)) out(sidecarEvent(job, sidecar));
      }
    }),
    events.on('network', (status) => out({ event: 'network', ...status })),
  ];
  return { stop: () => stops.forEach((stop) => stop()) };
}
