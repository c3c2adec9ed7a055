// Webhook subscriptions: create, list (filtered by event), get and delete. The local sandbox records them but
// delivers no notification (documented in operations.md).
import { z } from 'zod';
import type { SandboxContext } from './context';
import type { WebhookRecord } from './state';
import { ApiProblem } from './problems';
import { atom } from './clock';
import { paginate } from './pagination';
import { parseOrThrow } from './payloads';
import { newSignatureSecret, newWebhookId } from './resource-ids';

const EVENTS = [
  'live-stream.broadcast.started',
  'live-stream.broadcast.ended',
  'video.source.recorded',
  'video.encoding.quality.completed',
  'video.caption.generated',
  'video.summary.generated',
] as const;

const creationPayload = z.object({
  events: z.array(z.enum(EVENTS)).min(1),
  url: z.string().regex(/^https?:\/\/\S+$/i, 'must be an http or https URL'),
});

const present = (webhook: WebhookRecord) => ({
  webhookId: webhook.webhookId,
  createdAt: atom(webhook.createdAt),
  events: webhook.events,
  url: webhook.url,
  signatureSecret: webhook.signatureSecret,
});

export function createWebhook(ctx: SandboxContext, body: unknown) {
  const payload = parseOrThrow(creationPayload, body);
  const webhook: WebhookRecord = {
    webhookId: newWebhookId(),
    createdAt: ctx.clock.now(),
    events: [...new Set(payload.events)],
    url: payload.url,
    signatureSecret: newSignatureSecret(),
  };
  ctx.state.webhooks[webhook.webhookId] = webhook;
  ctx.save();
  return present(webhook);
}

function findWebhook(ctx: SandboxContext, webhookId: string): WebhookRecord {
  const webhook = Object.hasOwn(ctx.state.webhooks, webhookId) ? ctx.state.webhooks[webhookId] : undefined;
  if (!webhook) throw new ApiProblem('resource-not-found', 'webhookId');
  return webhook;
}

export const getWebhook = (ctx: SandboxContext, webhookId: string) => present(findWebhook(ctx, webhookId));

/** GET /webhooks[?events=e]: oldest first, only those subscribed to `events` when given. */
export function listWebhooks(ctx: SandboxContext, query: URLSearchParams) {
  const event = query.get('events');
  const found = Object.values(ctx.state.webhooks)
    .filter((webhook) => !event || webhook.events.includes(event))
    .sort((a, b) => a.createdAt - b.createdAt);
  return paginate(found.map(present), ctx.baseUrl, '/webhooks', query);
}

export function deleteWebhook(ctx: SandboxContext, webhookId: string): void {
  findWebhook(ctx, webhookId);
  delete ctx.state.webhooks[webhookId];
  ctx.save();
}
