// Video summaries: create one per video, list, delete, and read or write its source (abstract and takeaways). The
// sandbox transcribes nothing: an `auto` summary is `unprocessable` at once; an `api` one is `missing` until its
// source is written (PATCH), then `completed`.
import { z } from 'zod';
import type { SandboxContext } from './context';
import type { SummaryRecord } from './state';
import { ApiProblem } from './problems';
import { atom } from './clock';
import { enumParam } from './http';
import { paginate } from './pagination';
import { parseOrThrow } from './payloads';
import { findVideo } from './videos';
import { newSummaryId } from './resource-ids';

const creationPayload = z.object({
  videoId: z.string(),
  origin: z.enum(['auto']).optional(),
  attributes: z.array(z.enum(['abstract', 'takeaways'])).optional(),
});

const sourcePayload = z.object({ abstract: z.string(), takeaways: z.array(z.string()).max(3) }).partial();

const SOURCE_STATUSES = ['missing', 'waiting', 'failed', 'completed', 'unprocessable'] as const;

const present = (summary: SummaryRecord) => ({
  summaryId: summary.summaryId,
  createdAt: atom(summary.createdAt),
  updatedAt: atom(summary.updatedAt),
  videoId: summary.videoId,
  origin: summary.origin,
  sourceStatus: summary.sourceStatus,
});

const presentSource = (summary: SummaryRecord) => ({
  ...(summary.abstract === null ? {} : { abstract: summary.abstract }),
  ...(summary.takeaways === null ? {} : { takeaways: summary.takeaways }),
});

function findSummary(ctx: SandboxContext, summaryId: string): SummaryRecord {
  const summary = Object.hasOwn(ctx.state.summaries, summaryId) ? ctx.state.summaries[summaryId] : undefined;
  if (!summary) throw new ApiProblem('resource-not-found', 'summaryId');
  return summary;
}

export function createSummary(ctx: SandboxContext, body: unknown) {
  const payload = parseOrThrow(creationPayload, body);
  findVideo(ctx, payload.videoId);
  if (Object.values(ctx.state.summaries).some((summary) => summary.videoId === payload.videoId))
    throw new ApiProblem(
      'summary-already-exists',
      'videoId',
      'You can delete the existing summary and generate a new one.',
    );
  const now = ctx.clock.now();
  const auto = payload.origin === 'auto';
  const summary: SummaryRecord = {
    summaryId: newSummaryId(),
    videoId: payload.videoId,
    createdAt: now,
    updatedAt: now,
    origin: auto ? 'auto' : 'api',
    sourceStatus: auto ? 'unprocessable' : 'missing',
    abstract: null,
    takeaways: null,
  };
  ctx.state.summaries[summary.summaryId] = summary;
  ctx.save();
  return present(summary);
}

export function listSummaries(ctx: SandboxContext, query: URLSearchParams) {
  const origin = query.get('origin') ? enumParam(query, 'origin', ['auto', 'api'] as const, 'api') : null;
  const status = query.get('sourceStatus') ? enumParam(query, 'sourceStatus', SOURCE_STATUSES, 'missing') : null;
  const sortBy = enumParam(query, 'sortBy', ['createdAt', 'updatedAt', 'videoId'] as const, 'createdAt');
  const direction = enumParam(query, 'sortOrder', ['asc', 'desc'] as const, 'asc') === 'asc' ? 1 : -1;
  const videoId = query.get('videoId');
  const found = Object.values(ctx.state.summaries).filter(
    (summary) =>
      (!videoId || summary.videoId === videoId) &&
      (origin === null || summary.origin === origin) &&
      (status === null || summary.sourceStatus === status),
  );
  found.sort((a, b) => {
    const [left, right] = [a[sortBy], b[sortBy]];
    return direction * (left < right ? -1 : left > right ? 1 : a.createdAt - b.createdAt);
  });
  return paginate(found.map(present), ctx.baseUrl, '/summaries', query);
}

export function deleteSummary(ctx: SandboxContext, summaryId: string): void {
  findSummary(ctx, summaryId);
  delete ctx.state.summaries[summaryId];
  ctx.save();
}

export const getSummarySource = (ctx: SandboxContext, summaryId: string) => presentSource(findSummary(ctx, summaryId));

/** PATCH /summaries/{id}/source: the given parts replace what was there; the summary is then `completed`. */
export function updateSummarySource(ctx: SandboxContext, summaryId: string, body: unknown) {
  const summary = findSummary(ctx, summaryId);
  const changes = parseOrThrow(sourcePayload, body);
  if (summary.sourceStatus === 'waiting')
    throw new ApiProblem('summary-already-exists', 'summaryId', 'This summary is still being generated.');
  if (changes.abstract !== undefined) summary.abstract = changes.abstract;
  if (changes.takeaways !== undefined) summary.takeaways = changes.takeaways;
  summary.sourceStatus = 'completed';
  summary.updatedAt = ctx.clock.now();
  ctx.save();
  return presentSource(summary);
}
