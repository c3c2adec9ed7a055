// What the CLI shows while uploading: progress bars on a terminal (one line per active file and a total),
// plain lines when piped, or NDJSON events with --json; each file's media facts and its sidecars as they change.
// Never prints a secret (messages pass through redact).
import type { JobView, MediaFactsView, QueueTotals, SidecarView } from '../../common/contract/queue';
import type { EngineEvents, UploadEngine } from '../uploads/index';
import { redact } from '../log/redact';
import { outcomeLine, outcomeOf, skippedLine, skippedMedia } from './run-report';

/** Where the renderers listen: the engine itself, or heldEvents() in front of it. */
export type EventSource = Pick<UploadEngine, 'on'>;

type Listener = (payload: never) => void;

/**
 * Listens to the engine from the moment it opens and keeps every event until release(): jobs a resumed run fails at
 * once (before the renderer exists) are still shown, with their reason, and after the first line the CLI prints.
 */
export function heldEvents(engine: UploadEngine): EventSource & { release(): void; stop(): void } {
  const events: (keyof EngineEvents)[] = ['jobs', 'progress', 'settings', 'network', 'batch'];
  const listeners = new Map<keyof EngineEvents, Set<Listener>>(events.map((e) => [e, new Set()]));
  let held: [keyof EngineEvents, unknown][] | null = [];
  const deliver = (event: keyof EngineEvents, payload: unknown) => {
    for (const listener of listeners.get(event)!) (listener as (p: unknown) => void)(payload);
  };
  const stops = events.map((event) =>
    engine.on(event, (payload) => {
      if (held) held.push([event, payload]);
      else deliver(event, payload);
    }),
  );
  return {
    on(event, listener) {
      const set = listeners.get(event)!;
      set.add(listener as Listener);
      return () => set.delete(listener as Listener);
    },
    release() {
      const queued = held ?? [];
      held = null;
      for (const [event, payload] of queued) deliver(event, payload);
    },
    stop: () => stops.forEach((stop) => stop()),
  };
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function formatEta(seconds: number | null): string {
  if (seconds === null) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0
    ? `${h}h${String(m).padStart(2, '0')}m`
    : `${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
}

/** A clip's length as players show it: 125 → "2:05", 3725 → "1:02:05", 9.6 → "0:10". */
export function clockDuration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s % 60)}` : `${m}:${two(s % 60)}`;
}

/** "2:05, 1920×1080" from what the preflight read ('' when it read neither). */
export function mediaWords(media: MediaFactsView | undefined): string {
  if (!media) return '';
  const parts: string[] = [];
  if (media.durationSec !== undefined) parts.push(clockDuration(media.durationSec));
  if (media.width !== undefined && media.height !== undefined) parts.push(`${media.width}×${media.height}`);
  return parts.join(', ');
}

/** Sidecar states a person is told about in text mode: it will not reach the server, or cannot without a key. */
const sidecarTrouble = new Set<SidecarView['state']>(['invalid', 'failed', 'needs-key']);
const sidecarWords: Partial<Record<SidecarView['state'], string>> = {
  invalid: 'not sent',
  failed: 'failed',
  'needs-key': 'needs an API key',
};

/** "sidecar  /v/clip.fr.srt: caption:fr of clip.mp4 failed: why". */
export function sidecarLine(job: JobView, sidecar: SidecarView): string {
  const why = sidecar.reason ? `: ${redact(sidecar.reason)}` : '';
  return `${'sidecar'.padEnd(8)} ${sidecar.path}: ${sidecar.key} of ${job.name} ${sidecarWords[sidecar.state] ?? sidecar.state}${why}`;
}

/**
 * Remembers each file's sidecars as last shown and returns those whose state (or reason) moved since: the `sidecar`
 * events of --json and the trouble lines of text mode. `known`: jobs as the run found them (not announced again).
 */
export function sidecarTracker(known: JobView[] = []): (job: JobView) => SidecarView[] {
  const shown = new Map<string, string>();
  const mark = (job: JobView, sidecar: SidecarView) => {
    const key = `${job.id}\n${sidecar.key}`;
    const value = `${sidecar.state}\n${sidecar.reason ?? ''}`;
    if (shown.get(key) === value) return false;
    shown.set(key, value);
    return true;
  };
  for (const job of known) for (const sidecar of job.sidecars ?? []) mark(job, sidecar);
  return (job) => (job.sidecars ?? []).filter((sidecar) => mark(job, sidecar));
}

/** One `sidecar` NDJSON event: which file, which sidecar, its state now and why. */
export function sidecarEvent(job: JobView, sidecar: SidecarView): object {
  return {
    event: 'sidecar',
    id: job.id,
    file: job.path,
    ...(job.videoId ? { videoId: job.videoId } : {}),
    key: sidecar.key,
    path: sidecar.path,
    state: sidecar.state,
    ...(sidecar.reason ? { reason: sidecar.reason } : {}),
  };
}

function bar(fraction: number, width: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text.padEnd(width) : `…${text.slice(text.length - width + 1)}`;
}

export interface Renderer {
  stop(): void;
}

type Out = { write(text: string): unknown; columns?: number; isTTY?: boolean };

/** One JSON line with every string value passed through redact (the structure itself is never touched). */
export function jsonLine(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? redact(v) : v));
}

/**
 * NDJSON: one object per engine event (each job in `jobs` carries its `media` and `sidecars`), and a `sidecar`
 * event per sidecar whose state moved; `known` as for renderLines.
 */
export function renderJson(engine: EventSource, out: Out, known: JobView[] = []): Renderer {
  const events: (keyof EngineEvents)[] = ['jobs', 'progress', 'network', 'batch'];
  const moved = sidecarTracker(known);
  const stops = events.map((event) =>
    engine.on(event, (payload) => {
      out.write(`${jsonLine({ event, ...(payload as object) })}\n`);
      if (event !== 'jobs') return;
      for (const job of (payload as EngineEvents['jobs']).upserts)
        for (const sidecar of moved(job)) out.write(`${jsonLine(sidecarEvent(job, sidecar))}\n`);
    }),
  );
  return { stop: () => stops.forEach((stop) => stop()) };
}

/** The text lines a jobs event adds: files that finished, failed or were skipped, and sidecars in trouble. */
function jobLines(known: JobView[]): (job: JobView) => string[] {
  const seen = new Map<string, string>(known.map((job) => [job.id, job.state]));
  const moved = sidecarTracker(known);
  return (job) => {
    const lines: string[] = [];
    if (seen.get(job.id) !== job.state) {
      seen.set(job.id, job.state);
      if (job.state === 'done' || job.state === 'failed' || job.state === 'skipped') lines.push(describeJob(job));
    }
    for (const sidecar of moved(job)) if (sidecarTrouble.has(sidecar.state)) lines.push(sidecarLine(job, sidecar));
    return lines;
  };
}

/**
 * Plain lines: one per file that finishes, fails or is skipped during this run, plus network changes. `known`: the
 * jobs as the run found them (a file done in an earlier run is not announced again).
 */
export function renderLines(engine: EventSource, out: Out, known: JobView[] = []): Renderer {
  const linesOf = jobLines(known);
  const stops = [
    engine.on('jobs', ({ upserts }) => {
      for (const job of upserts) for (const line of linesOf(job)) out.write(`${line}\n`);
    }),
    engine.on('network', (status) => out.write(`${redact(status.message)}\n`)),
  ];
  return { stop: () => stops.forEach((stop) => stop()) };
}

export function describeJob(job: JobView): string {
  if (job.state === 'done') {
    const media = mediaWords(job.media);
    return `done     ${job.path} → ${job.videoId ?? ''} ${job.playerUrl ?? ''}${media ? ` (${media})` : ''}${job.reason ? ` (${redact(job.reason)})` : ''}`;
  }
  const [refused] = skippedMedia([job]);
  return refused ? skippedLine(refused) : outcomeLine(outcomeOf(job, 'finished'));
}

/** Progress bars on a TTY, redrawn at most 4 times a second; `known` as for renderLines. */
export function renderBars(engine: EventSource, out: Out, known: JobView[] = []): Renderer {
  const jobs = new Map<string, JobView>(known.map((job) => [job.id, job]));
  const linesOf = jobLines(known);
  const live = new Map<string, { confirmed: number; inflight: number; speed: number }>();
  let totals: QueueTotals | null = null;
  let network = '';
  let drawn = 0;
  const finished: string[] = [];
  const stops = [
    engine.on('jobs', ({ upserts, removed }) => {
      for (const job of upserts) {
        jobs.set(job.id, job);
        finished.push(...linesOf(job));
      }
      for (const id of removed) jobs.delete(id);
    }),
    engine.on('progress', (p) => {
      totals = p.totals;
      for (const j of p.jobs)
        live.set(j.id, { confirmed: j.confirmedBytes, inflight: j.inflightBytes, speed: j.speed });
    }),
    engine.on('network', (status) => {
      network = status.online ? '' : redact(status.message);
    }),
  ];
  const draw = () => {
    const width = Math.max(60, out.columns ?? 100);
    let text = drawn > 0 ? `\x1b[${drawn}F\x1b[J` : '';
    for (const line of finished.splice(0)) text += `${line}\n`;
    const active = [...jobs.values()]
      .filter((j) => ['uploading', 'retrying', 'offline', 'finalizing'].includes(j.state))
      .slice(0, 8);
    const lines: string[] = [];
    for (const job of active) {
      const l = live.get(job.id);
      const done = (l?.confirmed ?? job.confirmedBytes) + (l?.inflight ?? 0);
      const state = job.state === 'uploading' ? `${formatBytes(l?.speed ?? 0)}/s` : job.state;
      lines.push(
        `${truncate(job.name, width - 52)} ${bar(done / Math.max(1, job.size), 20)} ${String(Math.floor((100 * done) / Math.max(1, job.size))).padStart(3)}% ${state}`,
      );
    }
    const t = totals as QueueTotals | null;
    if (t) {
      const done = t.confirmedBytes + t.inflightBytes;
      const counts = `${t.byState.done + t.byState.skipped}/${t.files} files`;
      lines.push(
        `Total ${bar(done / Math.max(1, t.bytes), 30)} ${formatBytes(done)}/${formatBytes(t.bytes)} ${formatBytes(t.speed)}/s ETA ${formatEta(t.eta)} ${counts}${t.byState.failed ? `, ${t.byState.failed} failed` : ''}`,
      );
    }
    if (network) lines.push(network.slice(0, width));
    text += lines.map((l) => `${l.slice(0, width - 1)}\n`).join('');
    drawn = lines.length;
    out.write(text);
  };
  const timer = setInterval(draw, 250);
  return {
    stop() {
      clearInterval(timer);
      draw();
      stops.forEach((stop) => stop());
    },
  };
}
