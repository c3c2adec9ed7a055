// The manifest of a queue, as CSV or JSON: one row per file with its video id, links, state and error, what the
// media preflight read (container, duration, picture, codecs) and what became of its captions, chapters, thumbnail.
import type { JobView, SidecarViewState } from '../../common/contract/queue';
import { toCsv } from './csv';

export interface ManifestSidecar {
  /** 'caption:en', 'chapters:fr', 'thumbnail' (an invalid file: 'file:<name>'). */
  key: string;
  state: SidecarViewState;
  reason?: string;
}

export interface ManifestEntry {
  path: string;
  size: number;
  videoId: string | null;
  title: string;
  playerUrl: string | null;
  embedCode: string | null;
  mp4Url: string | null;
  status: JobView['state'];
  error: string | null;
  container: string | null;
  durationSec: number | null;
  width: number | null;
  height: number | null;
  fps: number | null;
  videoCodec: string | null;
  audioCodec: string | null;
  /** In CSV one cell: "caption:en=done;caption:fr=failed;thumbnail=done". */
  sidecars: ManifestSidecar[];
}

const columns = [
  'path',
  'size',
  'videoId',
  'title',
  'playerUrl',
  'embedCode',
  'mp4Url',
  'status',
  'error',
  'container',
  'durationSec',
  'width',
  'height',
  'fps',
  'videoCodec',
  'audioCodec',
  'sidecars',
] as const satisfies readonly (keyof ManifestEntry)[];

/** Three decimals at most: a duration or frame rate read from a container (29.97002997 → 29.97). */
const rounded = (n: number | undefined): number | null => (n === undefined ? null : Math.round(n * 1000) / 1000);

export function manifestEntries(jobs: JobView[]): ManifestEntry[] {
  return jobs.map((job) => ({
    path: job.path,
    size: job.size,
    videoId: job.videoId ?? null,
    title: job.title,
    playerUrl: job.playerUrl ?? null,
    embedCode: job.embedCode ?? null,
    mp4Url: job.mp4Url ?? null,
    status: job.state,
    error: job.state === 'failed' || job.state === 'skipped' || job.state === 'cancelled' ? (job.reason ?? null) : null,
    container: job.media?.container ?? null,
    durationSec: rounded(job.media?.durationSec),
    width: job.media?.width ?? null,
    height: job.media?.height ?? null,
    fps: rounded(job.media?.fps),
    videoCodec: job.media?.videoCodec ?? null,
    audioCodec: job.media?.audioCodec ?? null,
    sidecars: (job.sidecars ?? []).map((s) => ({
      key: s.key,
      state: s.state,
      ...(s.reason ? { reason: s.reason } : {}),
    })),
  }));
}

/** The CSV cell of a file's sidecars: "caption:en=done;thumbnail=failed" (reasons are in the JSON manifest). */
export function sidecarsCell(sidecars: ManifestSidecar[]): string {
  return sidecars.map((s) => `${s.key}=${s.state}`).join(';');
}

export function renderManifest(
  jobs: JobView[],
  format: 'csv' | 'json',
  now = new Date(),
): { content: string; suggestedName: string } {
  const entries = manifestEntries(jobs);
  const stamp = now.toISOString().replace(/[:T]/g, '-').slice(0, 19);
  if (format === 'json')
    return { content: `${JSON.stringify(entries, null, 2)}\n`, suggestedName: `convoy-manifest-${stamp}.json` };
  const rows = entries.map((e) => columns.map((key) => (key === 'sidecars' ? sidecarsCell(e.sidecars) : e[key])));
  return { content: toCsv([[...columns], ...rows]), suggestedName: `convoy-manifest-${stamp}.csv` };
}
