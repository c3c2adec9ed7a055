// Identifiers of the account's other resources, in api.video's shapes: pl…, watermark_…, webhook_…, summary_…
// (a prefix and 22 letters or digits, drawn as a videoId's are).
import { newVideoId } from './ids';

const random22 = (): string => newVideoId().slice(2);

export const newPlayerId = (): string => 'pl' + random22();
export const newWatermarkId = (): string => 'watermark_' + random22();
export const newWebhookId = (): string => 'webhook_' + random22();
export const newSummaryId = (): string => 'summary_' + random22();
export const newSignatureSecret = (): string => 'sig_sec_' + random22();
