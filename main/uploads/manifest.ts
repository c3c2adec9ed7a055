// The manifest of a queue, as CSV or JSON: one row per file with its video id, links, state and error.
import type { JobView } from '../../common/contract/queue';
import { toCsv } from './csv';

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
}

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
  }));
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
  const header = ['path', 'size', 'videoId', 'title', 'playerUrl', 'embedCode', 'mp4Url', 'status', 'error'] as const;
  const rows = entries.map((e) => header.map((key) => e[key]));
  return { content: toCsv([[...header], ...rows]), suggestedName: `convoy-manifest-${stamp}.csv` };
}
